package arcsecond

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.uber.org/goleak"
)

// TestLoad runs a replaying node on loopback under bounded load: WebSocket
// clients that must each receive every replayed activity, and a paced mix of
// REST requests (good and bad) at a fixed rate. No request may fail or get a
// 5xx, and no goroutine may be left once the server has stopped.
//
// Full size: 200 WebSocket clients and 1,000 requests/s for 20 s. Under the
// race detector (CI) it is scaled down to 20 clients and 100 requests/s for
// 8 s, so that it stays under a minute on a busy 2-core machine.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	clients, rate, dur := 200, 1000, 20*time.Second
	if raceEnabled {
		clients, rate, dur = 20, 100, 8*time.Second
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	want := totalReplayed(t)
	// The replay spans most of the run, so that the streams are busy while
	// the requests come in.
	speed := (float64(want) * maxReplayGap.Seconds() / (dur.Seconds() * 0.6))
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: speed, Wait: 2 * time.Second}})
	tr := &http.Transport{MaxIdleConnsPerHost: 128}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	ctx, cancel := context.WithTimeout(context.Background(), dur+30*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(ts.base, "http") + "/activities/live"
	var wsErr atomic.Value
	var received atomic.Int64
	var wg sync.WaitGroup
	conns := make([]*websocket.Conn, clients)
	for i := range conns {
		c, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPClient: hc})
		if err != nil {
			t.Fatalf("WebSocket client %d: %v", i, err)
		}
		conns[i] = c
	}
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := map[string]bool{}
			for len(ids) < want {
				_, msg, err := c.Read(ctx)
				if err != nil {
					wsErr.Store(fmt.Errorf("client %d after %d activities: %w", i, len(ids), err))
					return
				}
				received.Add(1)
				// The ID is the first field of the encoding.
				if j := strings.Index(string(msg), `"id":"`); j >= 0 {
					rest := string(msg[j+6:])
					ids[rest[:strings.IndexByte(rest, '"')]] = true
				}
			}
			c.Close(websocket.StatusNormalClosure, "")
		}()
	}

	// The REST mix, one request every 1/rate s, spread over workers.
	paths := []struct {
		path string
		code int
	}{
		{"/api/activities?limit=10", 200},
		{"/api/activities?source=gemini&limit=20", 200},
		{"/api/activities?ra=210.8&dec=54.35&radius=0.5&limit=10", 200},
		{"/api/activities?start=2025-01-01T00:00:00Z&limit=10", 200},
		{"/api/sources", 200},
		{"/api/subscriptions", 200},
		{"/healthz", 200},
		{"/readyz", 200},
		{"/api/activities/nope:1", 404},
		{"/api/activities?ra=400&dec=0&radius=1", 400},
		{"/api/activities?limit=abc", 400},
	}
	jobs := make(chan int, rate)
	var mu sync.Mutex
	var lat []time.Duration
	var failures []string
	var sent, behind atomic.Int64
	var workers sync.WaitGroup
	for range 64 {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for n := range jobs {
				p := paths[n%len(paths)]
				t0 := time.Now()
				resp, err := hc.Get(ts.base + p.path)
				d := time.Since(t0)
				var msg string
				if err != nil {
					msg = err.Error()
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != p.code {
						msg = fmt.Sprintf("%s: %d, want %d", p.path, resp.StatusCode, p.code)
					}
				}
				mu.Lock()
				lat = append(lat, d)
				if msg != "" && len(failures) < 20 {
					failures = append(failures, msg)
				}
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	n := 0
	for time.Since(start) < dur {
		<-tick.C
		due := int(time.Since(start).Seconds()*float64(rate)) - n
		for range due {
			select {
			case jobs <- n:
				sent.Add(1)
			default:
				behind.Add(1)
			}
			n++
		}
	}
	tick.Stop()
	close(jobs)
	workers.Wait()
	elapsed := time.Since(start)
	wg.Wait()
	if err := wsErr.Load(); err != nil {
		t.Errorf("WebSocket: %v", err)
	}
	mu.Lock()
	for _, f := range failures {
		t.Errorf("request failed: %s", f)
	}
	// Requests that found all 64 workers waiting for answers are not
	// sent: the offered rate is then what the server sustains. They are
	// counted, not failed, since the machine may be shared.
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	t.Logf("%d WebSocket clients received %d messages (%d activities each); %d requests in %.1f s (%.0f/s of %d/s offered, %d not sent: workers busy): p50 %v, p99 %v, max %v; race=%v",
		clients, received.Load(), want, len(lat), elapsed.Seconds(), float64(len(lat))/elapsed.Seconds(), rate, behind.Load(),
		pct(0.5), pct(0.99), lat[len(lat)-1], raceEnabled)
	mu.Unlock()
	for _, c := range conns {
		c.CloseNow()
	}
	tr.CloseIdleConnections()
	if err := ts.stop(); err != nil {
		t.Error(err)
	}
}
