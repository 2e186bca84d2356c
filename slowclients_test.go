package arcsecond

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// startServed runs a node created with o, tuned by tune before it serves,
// behind hs (an http.Server made by the node, adjusted by adjust), on a
// loopback port.
func startServed(t testing.TB, o NodeOptions, tune func(*Node), adjust func(*http.Server)) (*Node, string) {
	t.Helper()
	if o.Logger == nil {
		o.Logger = discardLogger()
	}
	n, err := NewNode(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if tune != nil {
		tune(n)
	}
	hs := n.Server("")
	if adjust != nil {
		adjust(hs)
	}
	ts := httptest.NewUnstartedServer(hs.Handler)
	ts.Config = hs
	ts.Start()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- n.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-ran
		ts.CloseClientConnections()
		ts.Close()
		n.Close()
	})
	return n, ts.URL
}

// gauge reads a gauge's value.
func gauge(g prometheus.Gauge) float64 {
	var m dto.Metric
	g.Write(&m)
	return m.GetGauge().GetValue()
}

// readingClient opens a server-sent-event stream that reads everything,
// counting the activities it receives.
func readingClient(t testing.TB, base string) *atomic.Int64 {
	t.Helper()
	resp, err := http.Get(base + "/activities/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	var got atomic.Int64
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: activity") {
				got.Add(1)
			}
		}
	}()
	return &got
}

// rawRequest opens a connection to base and writes head, returning the
// connection (with a small receive buffer).
func rawRequest(t testing.TB, base, head string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	tc := c.(*net.TCPConn)
	tc.SetReadBuffer(4 << 10)
	t.Cleanup(func() { tc.Close() })
	if _, err := tc.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	return tc
}

// Item 7: an SSE client that never reads was held forever (a write
// blocked without a deadline); it is now dropped like a WebSocket one.
func TestSSESlowConsumerDropped(t *testing.T) {
	n, base := startServed(t, NodeOptions{}, func(n *Node) { n.timeouts.liveWrite = time.Second }, nil)
	sse := n.metrics.liveClients.WithLabelValues("sse")
	rawRequest(t, base, "GET /activities/events HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	waitFor(t, "the SSE client", 10*time.Second, func() bool { return gauge(sse) == 1 })
	got := readingClient(t, base) // a well-behaved client beside it
	waitFor(t, "both SSE clients", 10*time.Second, func() bool { return gauge(sse) == 2 })
	// Activities of about 1 kB, at the pace of the reading client, until
	// the silent client's socket buffers fill and it is dropped.
	acts := syntheticActivities(t, 6000)
	for i := range acts {
		acts[i].Target.Name = strings.Repeat("x", 1000)
	}
	const batch = DefaultLiveBuffer / 2 // bursts the buffer absorbs
	for i := 0; i+batch <= len(acts); i += batch {
		if _, err := n.Feed().Ingest(context.Background(), acts[i:i+batch]...); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the reading client", 30*time.Second, func() bool { return got.Load() == int64(i+batch) })
	}
	waitFor(t, "the silent SSE client to be dropped", 30*time.Second, func() bool { return gauge(sse) == 1 })
}

// Item 7: the server's timeouts must not cut the live streams, which
// manage their own deadlines.
func TestStreamsOutliveServerTimeouts(t *testing.T) {
	n, base := startServed(t, NodeOptions{}, nil, func(hs *http.Server) {
		hs.ReadTimeout, hs.WriteTimeout = 500*time.Millisecond, 500*time.Millisecond
	})
	resp, err := http.Get(base + "/activities/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(1500 * time.Millisecond) // past both server timeouts
	if _, err := n.Feed().Ingest(context.Background(), syntheticActivities(t, 1)...); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "event: activity") {
			return
		}
	}
	t.Fatalf("the stream ended: %v", sc.Err())
}

// Item 7: a POST body trickled a byte at a time held its handler (and
// connection) for as long as the client liked.
func TestTrickledBodyCutOff(t *testing.T) {
	// A server with no timeouts of its own: the handler bounds the body.
	_, base := startServed(t, NodeOptions{}, func(n *Node) { n.timeouts.body = time.Second }, func(hs *http.Server) {
		hs.ReadTimeout, hs.WriteTimeout = 0, 0
	})
	body := fmt.Sprintf(`{"id": "slow", "criteria": {"sources": ["eso"]}, "pad": "%s"}`, strings.Repeat(" ", 100))
	c := rawRequest(t, base, fmt.Sprintf("POST /api/subscriptions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body)))
	answered := make(chan string, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			answered <- err.Error()
			return
		}
		answered <- resp.Status
	}()
	for i := range len(body) {
		select {
		case s := <-answered:
			if !strings.HasPrefix(s, "408") {
				t.Fatalf("answer to a trickled body: %s", s)
			}
			t.Logf("answered %s after %d of %d bytes", s, i, len(body))
			return
		case <-time.After(100 * time.Millisecond):
		}
		if _, err := c.Write([]byte{body[i]}); err != nil {
			t.Logf("connection closed after %d of %d bytes: %v", i, len(body), err)
			return
		}
	}
	t.Fatalf("the whole trickled body (%d bytes over %v) was read", len(body), time.Duration(len(body))*100*time.Millisecond)
}
