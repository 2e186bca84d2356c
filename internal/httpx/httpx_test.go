package httpx

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recSleep records the waits a Client asks for instead of sleeping.
type recSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recSleep) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

// newTestClient returns a client on a fresh httpmock transport with no rate
// limit and recorded (not slept) backoff waits.
func newTestClient(t *testing.T, o Options) (*Client, *httpmock.MockTransport, *recSleep) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	o.Transport = mt
	if o.RatePerHost == 0 {
		o.RatePerHost = -1
	}
	c := New(o)
	rs := &recSleep{}
	c.sleep = rs.sleep
	return c, mt, rs
}

func TestGetSendsUserAgentAndQuery(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	var gotUA, gotQuery string
	mt.RegisterResponder("GET", "https://archive.example.org/api", func(r *http.Request) (*http.Response, error) {
		gotUA = r.Header.Get("User-Agent")
		gotQuery = r.URL.RawQuery
		return httpmock.NewStringResponse(200, `{"ok":true}`), nil
	})
	resp, err := c.Get(context.Background(), "https://archive.example.org/api?a=1", url.Values{"b": {"2 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `{"ok":true}` || resp.Status != 200 || resp.Attempts != 1 {
		t.Errorf("response = %+v", resp)
	}
	if !strings.HasPrefix(gotUA, "arcsecond-go/") || !strings.Contains(gotUA, "0.") {
		t.Errorf("User-Agent = %q", gotUA)
	}
	if gotQuery != "a=1&b=2+3" {
		t.Errorf("query = %q", gotQuery)
	}
}

func TestStorm503ThenSuccess(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second})
	n := 0
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		n++
		if n <= 3 {
			return httpmock.NewStringResponse(503, "busy"), nil
		}
		return httpmock.NewStringResponse(200, "done"), nil
	})
	resp, err := c.Get(context.Background(), "https://h.example/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "done" || resp.Attempts != 4 {
		t.Errorf("body %q attempts %d", resp.Body, resp.Attempts)
	}
	if len(rs.waits) != 3 {
		t.Fatalf("waits = %v", rs.waits)
	}
	ceil := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}
	for i, w := range rs.waits {
		if w < 100*time.Millisecond || w > ceil[i] {
			t.Errorf("wait %d = %v, want in [100ms, %v]", i+1, w, ceil[i])
		}
	}
}

func Test503ForeverFailsAfterMaxRetries(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{MaxRetries: 3})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(503, "<html><body>Service   Unavailable\n</body></html>"))
	_, err := c.Get(context.Background(), "https://h.example/x", nil)
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *StatusError", err)
	}
	if se.StatusCode != 503 || se.Attempts != 4 || mt.GetTotalCallCount() != 4 || len(rs.waits) != 3 {
		t.Errorf("status %d attempts %d calls %d waits %d", se.StatusCode, se.Attempts, mt.GetTotalCallCount(), len(rs.waits))
	}
	for _, want := range []string{"503 Service Unavailable", "after 4 attempts", "https://h.example/x", "<html><body>Service Unavailable </body></html>"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !se.Temporary() {
		t.Error("503 should be Temporary")
	}
}

func TestNotFoundIsNotRetried(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(404, "no such thing"))
	_, err := c.Get(context.Background(), "https://h.example/x", nil)
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != 404 || se.Attempts != 1 || mt.GetTotalCallCount() != 1 {
		t.Fatalf("err = %v, calls %d", err, mt.GetTotalCallCount())
	}
	if se.Snippet() != "no such thing" {
		t.Errorf("snippet %q", se.Snippet())
	}
}

func TestNetworkErrorRetriedThenWrapped(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{MaxRetries: 2})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	_, err := c.Get(context.Background(), "https://h.example/x?token=s3cr3tvalue", nil)
	var re *RequestError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *RequestError", err)
	}
	if re.Attempts != 3 || mt.GetTotalCallCount() != 3 {
		t.Errorf("attempts %d calls %d", re.Attempts, mt.GetTotalCallCount())
	}
	if !strings.Contains(err.Error(), "connection reset by peer") || !strings.Contains(err.Error(), "token=REDACTED") {
		t.Errorf("error %q", err)
	}
	if strings.Contains(err.Error(), "s3cr3tvalue") {
		t.Errorf("error leaks the token: %q", err)
	}
}

func TestPostFormAndJSON(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	var bodies []string
	var types []string
	mt.RegisterResponder("POST", "https://tap.example/sync", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		types = append(types, r.Header.Get("Content-Type"))
		if len(bodies) == 1 {
			return httpmock.NewStringResponse(502, "bad gateway"), nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	_, err := c.PostForm(context.Background(), "https://tap.example/sync", url.Values{"QUERY": {"SELECT 1"}, "LANG": {"ADQL"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 2 || bodies[0] != bodies[1] || bodies[1] != "LANG=ADQL&QUERY=SELECT+1" {
		t.Errorf("form bodies (retried) = %q", bodies)
	}
	if !strings.HasPrefix(types[0], "application/x-www-form-urlencoded") {
		t.Errorf("form content type %q", types[0])
	}
	if _, err := c.PostJSON(context.Background(), "https://tap.example/sync", map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if bodies[2] != `{"a":1}` || types[2] != "application/json" {
		t.Errorf("json body %q type %q", bodies[2], types[2])
	}
	if _, err := c.PostJSON(context.Background(), "https://tap.example/sync", func() {}); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("unencodable body: err = %v", err)
	}
}

func TestGzipDecoded(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(strings.Repeat("VOTABLE ", 1000)))
	zw.Close()
	mt.RegisterResponder("GET", "https://h.example/z", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(200, buf.Bytes())
		r.Header.Set("Content-Encoding", "gzip")
		r.ContentLength = int64(buf.Len())
		return r, nil
	})
	resp, err := c.Get(context.Background(), "https://h.example/z", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != strings.Repeat("VOTABLE ", 1000) {
		t.Errorf("decoded body has %d bytes", len(resp.Body))
	}
}

func TestInvalidURL(t *testing.T) {
	c, _, _ := newTestClient(t, Options{})
	for _, u := range []string{"", "ftp://x/y", "http://", "::nonsense", "https://u:pw@h\x7f/"} {
		_, err := c.Get(context.Background(), u, nil)
		if err == nil {
			t.Errorf("Get(%q) succeeded", u)
			continue
		}
		if strings.Contains(err.Error(), "pw@") {
			t.Errorf("Get(%q) error leaks credentials: %v", u, err)
		}
	}
}

func TestLogsAreRedacted(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt, _ := newTestClient(t, Options{Logger: logger, Auth: BearerToken("tok-AAAA-secret"), MaxRetries: 1})
	mt.RegisterResponder("GET", `=~^https://h\.example/`, func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") != "Bearer tok-AAAA-secret" {
			return httpmock.NewStringResponse(401, "no auth"), nil
		}
		return httpmock.NewStringResponse(500, "oops"), nil
	})
	_, err := c.Get(context.Background(), "https://alice:pa55word@h.example/x?password=hunter22&api_key=KKKK9999&ra=10", nil)
	if err == nil {
		t.Fatal("want error")
	}
	all := logs.String() + "\n" + err.Error()
	for _, secret := range []string{"tok-AAAA-secret", "pa55word", "hunter22", "KKKK9999", "alice"} {
		if strings.Contains(all, secret) {
			t.Errorf("%q appears in logs or error:\n%s", secret, all)
		}
	}
	if !strings.Contains(logs.String(), "ra=10") || !strings.Contains(logs.String(), "httpx: retrying") {
		t.Errorf("logs lack the request:\n%s", logs.String())
	}
}

func TestConcurrentUse(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{RatePerHost: 1000, Burst: 5})
	var mu sync.Mutex
	seen := map[string]int{}
	// Every request's first attempt is refused, so each one retries
	// once. (Failing every third request per host, counted across all
	// goroutines, could refuse one request on all its attempts.)
	mt.RegisterResponder("GET", `=~^https://[ab]\.example/`, func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen[r.URL.Host+r.URL.Path]++
		n := seen[r.URL.Host+r.URL.Path]
		mu.Unlock()
		if n == 1 {
			return httpmock.NewStringResponse(503, "busy"), nil
		}
		return httpmock.NewStringResponse(200, r.URL.Path), nil
	})
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			host := []string{"a", "b"}[i%2]
			path := "/" + strings.Repeat("x", i)
			resp, err := c.Get(context.Background(), "https://"+host+".example"+path, nil)
			if err != nil {
				errs <- err
				return
			}
			if string(resp.Body) != path {
				errs <- errors.New("wrong body " + string(resp.Body))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestOnlyExpectedHeadersSent(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	var got http.Header
	mt.RegisterResponder("GET", "https://h.example/x", func(r *http.Request) (*http.Response, error) {
		got = r.Header.Clone()
		return httpmock.NewStringResponse(200, ""), nil
	})
	if _, err := c.Get(context.Background(), "https://h.example/x", nil); err != nil {
		t.Fatal(err)
	}
	for k := range got {
		if k != "User-Agent" {
			t.Errorf("unexpected request header %s: %q", k, got[k])
		}
	}
}

func TestGzipHeaderOnPlainBodyNotRetried(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, `{"not":"gzip"}`)
		r.Header.Set("Content-Encoding", "gzip")
		return r, nil
	})
	_, err := c.Get(context.Background(), "https://h.example/x", nil)
	if err == nil || !strings.Contains(err.Error(), "gzip") || mt.GetTotalCallCount() != 1 {
		t.Errorf("err = %v, calls %d", err, mt.GetTotalCallCount())
	}
}
