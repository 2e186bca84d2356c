package arcsecond

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/loadavg"
)

// TestSoak is issue 21's "done when": on loopback, 10,000 distinct listing
// queries and 1,000 slow clients (500 server-sent-event clients that never
// read, 500 that trickle their POST body) leave the process under 200 MB,
// with every well-behaved client served. It uses the node's default
// timeouts and Node.Server. The figures (peak RSS of the whole test
// process, clients included; peak heap in use) are logged.
//
//	go test -run '^TestSoak$' -v .
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test")
	}
	if raceEnabled {
		t.Skip("soak test: the race detector multiplies memory use several times")
	}
	// The limit is on the process: run the soak in a process of its own,
	// so the memory other tests of the package left behind does not count.
	if os.Getenv("ARCSECOND_SOAK_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSoak$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "ARCSECOND_SOAK_CHILD=1")
		out, err := cmd.CombinedOutput()
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "soak_test.go") {
				t.Log(strings.TrimSpace(l))
			}
		}
		if err != nil {
			t.Fatalf("the soak process failed: %v\n%s", err, tail(out, 4000))
		}
		return
	}
	const (
		queries       = 10000
		silentSSE     = 500
		tricklers     = 500
		maxActivities = 20000
		limitRSS      = 200 << 20
		listWorkers   = 16
	)
	n, base := startServed(t, NodeOptions{Store: storeOf(t, syntheticActivities(t, 3000))}, nil, nil)
	sse := n.metrics.liveClients.WithLabelValues("sse")

	// Memory, sampled throughout: the process's RSS, the Go heap in use,
	// and what the runtime held when the RSS peaked. With
	// ARCSECOND_SOAK_HEAPPROFILE=file, a heap profile is written to file at
	// each new peak of the heap in use (the last one is the peak's: read it
	// with go tool pprof -sample_index=inuse_space).
	var peak struct {
		rss, heap         uint64
		heapAtRSS, stacks uint64 // when the RSS peaked
		goroutines        int
	}
	profile := os.Getenv("ARCSECOND_SOAK_HEAPPROFILE")
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if r := rss(t); r > peak.rss {
				peak.rss, peak.heapAtRSS, peak.stacks, peak.goroutines = r, ms.HeapInuse, ms.StackInuse, runtime.NumGoroutine()
			}
			if ms.HeapInuse > peak.heap {
				peak.heap = ms.HeapInuse
				if profile != "" {
					writeHeapProfile(t, profile)
				}
			}
			select {
			case <-stopSampling:
				return
			case <-tick.C:
			}
		}
	}()
	t0 := time.Now()
	baseRSS := rss(t)

	// The slow clients.
	for range silentSSE {
		rawRequest(t, base, "GET /activities/events HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	// The tricklers: each has a goroutine waiting for its answer; one
	// goroutine writes a byte of every body a second, to the connections
	// not answered yet.
	body := `{"id": "slow", "criteria": {"sources": ["eso"]}}`
	var trickled sync.WaitGroup
	var cutOff atomic.Int64
	conns := make([]*net.TCPConn, tricklers)
	answered := make([]atomic.Bool, tricklers)
	for i := range conns {
		c := rawRequest(t, base, fmt.Sprintf("POST /api/subscriptions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body)))
		c.SetReadDeadline(time.Now().Add(2 * time.Minute)) // a hang is a failure, not a cut-off
		conns[i] = c
		trickled.Add(1)
		go func() {
			defer trickled.Done()
			resp, err := http.ReadResponse(bufio.NewReaderSize(c, 512), nil)
			if (err != nil && !timedOut(err)) || (err == nil && resp.StatusCode == http.StatusRequestTimeout) {
				cutOff.Add(1)
			}
			answered[i].Store(true)
		}()
	}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := range len(body) {
			<-tick.C
			open := 0
			for j, c := range conns {
				if !answered[j].Load() {
					open++
					c.Write([]byte{body[i]}) // an error: the server closed it, which its reader sees
				}
			}
			if open == 0 {
				return
			}
		}
	}()
	waitFor(t, "the silent SSE clients", 30*time.Second, func() bool { return gauge(sse) >= silentSSE })

	got := readingClient(t, base) // well-behaved: activities go at its pace
	// Activities of about 1 kB, at the reading client's pace, until the
	// silent clients' socket buffers are full and they are dropped.
	pad := strings.Repeat("x", 1000)
	ingested := make(chan error, 1)
	var sent atomic.Int64
	go func() {
		const batch = DefaultLiveBuffer / 2 // bursts the buffer absorbs
		for i := 0; i+batch <= maxActivities && gauge(sse) > 1; i += batch {
			acts := synthetic(3000+i, batch)
			for k := range acts {
				acts[k].Target.Name = pad
			}
			if _, err := n.Feed().Ingest(context.Background(), acts...); err != nil {
				ingested <- err
				return
			}
			sent.Store(int64(i + batch))
			deadline := time.Now().Add(30 * time.Second)
			for got.Load() < int64(i+batch) {
				if time.Now().After(deadline) {
					ingested <- fmt.Errorf("the reading SSE client has %d of %d activities", got.Load(), i+batch)
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		ingested <- nil
	}()

	// The listings: distinct windows (each its own cache entry) and
	// parameters the API ignores.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: listWorkers}, Timeout: time.Minute}
	defer hc.CloseIdleConnections()
	var next, failed, bytesRead atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Date(2025, 6, 1, 3, 0, 0, 0, time.UTC)
	for range listWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= queries {
					return
				}
				q := "limit=200&junk=" + strconv.FormatInt(i, 10)
				if i%2 == 0 {
					q = "limit=200&end=" + start.Add(time.Duration(i)*time.Second).Format(time.RFC3339)
				}
				resp, err := hc.Get(base + "/api/activities?" + q)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				b, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				bytesRead.Add(b)
				if resp.StatusCode != 200 {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Errorf("?%s: %s", q, resp.Status))
				}
			}
		}()
	}
	wg.Wait()
	listed := time.Since(t0)
	if err := <-ingested; err != nil {
		t.Error(err)
	}
	trickled.Wait()
	// A silent client whose socket is full is dropped at the latest when a
	// write has blocked for LiveWriteTimeout; on a fast run the activities
	// may all be sent before that, so give the policy that long to act.
	for deadline := time.Now().Add(LiveWriteTimeout + 5*time.Second); gauge(sse) > 1 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	held := gauge(sse) - 1
	close(stopSampling)
	<-sampled
	cacheBytes, cachePages := n.pages.size()
	load := loadavg.String()
	const mb = 1 << 20
	t.Logf("%d listings (%d MB read) in %v, %d failed; %.0f of %d silent SSE clients dropped; %d of %d trickled POSTs cut off; "+
		"the reading SSE client got %d activities of %d; RSS %.0f MB before the clients, peak %.0f MB "+
		"(then %.0f MB heap in use, %.0f MB of stacks, %d goroutines); peak heap in use %.0f MB; page cache %d pages, %.1f MB; %v in all; load average %s",
		queries, bytesRead.Load()/mb, listed.Round(time.Millisecond), failed.Load(), silentSSE-held, silentSSE, cutOff.Load(), tricklers,
		got.Load(), sent.Load(), float64(baseRSS)/mb, float64(peak.rss)/mb,
		float64(peak.heapAtRSS)/mb, float64(peak.stacks)/mb, peak.goroutines, float64(peak.heap)/mb, cachePages, float64(cacheBytes)/mb,
		time.Since(t0).Round(time.Millisecond), load)
	if failed.Load() > 0 {
		t.Errorf("%d listings failed, the first: %v", failed.Load(), firstErr.Load())
	}
	if held > 0 {
		t.Errorf("%.0f silent SSE clients still held after %d activities", held, sent.Load())
	}
	if got.Load() != sent.Load() {
		t.Errorf("the reading SSE client got %d of %d activities", got.Load(), sent.Load())
	}
	if cutOff.Load() != tricklers {
		t.Errorf("%d of %d trickled POSTs were cut off", cutOff.Load(), tricklers)
	}
	if peak.heap >= limitRSS {
		t.Errorf("peak heap in use %d MB, want under %d MB", peak.heap/mb, limitRSS/mb)
	}
	if peak.rss >= limitRSS { // 0 without /proc
		t.Errorf("peak RSS %d MB, want under %d MB", peak.rss/mb, limitRSS/mb)
	}
}

// rss is the process's resident set size in bytes (0 where /proc is not).
func rss(t testing.TB) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// writeHeapProfile writes the heap profile to file.
func writeHeapProfile(t testing.TB, file string) {
	f, err := os.Create(file)
	if err != nil {
		t.Error(err)
		return
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Error(err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
}

// tail is the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
