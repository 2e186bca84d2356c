package httpx

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// blockingTransport never answers: it returns when the request's context ends.
type blockingTransport struct{ calls int }

func (b *blockingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b.calls++
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func TestContextDeadlineBoundsTheCall(t *testing.T) {
	bt := &blockingTransport{}
	c := New(Options{Transport: bt, RatePerHost: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Get(ctx, "https://slow.example/x?token=abcdef", nil)
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if elapsed > 1500*time.Millisecond {
		t.Errorf("call took %v past a 150ms deadline", elapsed)
	}
	if bt.calls != 1 || strings.Contains(err.Error(), "abcdef") {
		t.Errorf("calls %d, err %q", bt.calls, err)
	}
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	bt := &blockingTransport{}
	c := New(Options{Transport: bt, RatePerHost: -1, Timeout: 20 * time.Millisecond, MaxRetries: 2, BackoffMin: time.Millisecond, BackoffMax: time.Millisecond})
	_, err := c.Get(context.Background(), "https://slow.example/x", nil)
	var re *RequestError
	if !errors.As(err, &re) || re.Attempts != 3 || bt.calls != 3 {
		t.Fatalf("err = %v, calls %d", err, bt.calls)
	}
	if !strings.Contains(err.Error(), "timed out after 20ms") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %q", err)
	}
}

func TestContextCancelledDuringBackoff(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(503, "busy"))
	c := New(Options{Transport: mt, RatePerHost: -1, BackoffMin: 10 * time.Second, BackoffMax: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Get(ctx, "https://h.example/x", nil)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
	if !strings.Contains(err.Error(), "503") {
		t.Errorf("error should mention the last failure: %q", err)
	}
}

func TestNoRetryPastTheDeadline(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{BackoffMin: 5 * time.Second, BackoffMax: 5 * time.Second})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(503, "busy"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Get(ctx, "https://h.example/x", nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Attempts != 1 || len(rs.waits) != 0 || !strings.Contains(se.Reason, "deadline") {
		t.Fatalf("err = %v, waits %v", err, rs.waits)
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{BackoffMin: time.Millisecond, BackoffMax: 2 * time.Millisecond})
	n := 0
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			r := httpmock.NewStringResponse(429, "slow down")
			r.Header.Set("Retry-After", "7")
			return r, nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	if _, err := c.Get(context.Background(), "https://h.example/x", nil); err != nil {
		t.Fatal(err)
	}
	if len(rs.waits) != 1 || rs.waits[0] != 7*time.Second {
		t.Errorf("waits = %v, want [7s]", rs.waits)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{BackoffMin: time.Millisecond, BackoffMax: 2 * time.Millisecond})
	now := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	n := 0
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			r := httpmock.NewStringResponse(503, "maintenance")
			r.Header.Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
			return r, nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	if _, err := c.Get(context.Background(), "https://h.example/x", nil); err != nil {
		t.Fatal(err)
	}
	if len(rs.waits) != 1 || rs.waits[0] != 90*time.Second {
		t.Errorf("waits = %v, want [1m30s]", rs.waits)
	}
}

// TestRetryAfterRealWait measures the real gap between attempts.
func TestRetryAfterRealWait(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var times []time.Time
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		times = append(times, time.Now())
		if len(times) == 1 {
			r := httpmock.NewStringResponse(429, "")
			r.Header.Set("Retry-After", "1")
			return r, nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	c := New(Options{Transport: mt, RatePerHost: -1, BackoffMin: time.Millisecond, BackoffMax: time.Millisecond})
	if _, err := c.Get(context.Background(), "https://h.example/x", nil); err != nil {
		t.Fatal(err)
	}
	if gap := times[1].Sub(times[0]); gap < time.Second {
		t.Errorf("gap between attempts %v < Retry-After 1s", gap)
	}
}

func TestRetryAfterBeyondCapStops(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{MaxRetryAfter: time.Minute})
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(429, "quota exhausted")
		r.Header.Set("Retry-After", "3600")
		return r, nil
	})
	_, err := c.Get(context.Background(), "https://h.example/x", nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Attempts != 1 || se.RetryAfter != time.Hour || len(rs.waits) != 0 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "MaxRetryAfter") {
		t.Errorf("error %q does not explain why it stopped", err)
	}
}

func TestTruncatedBodyMock(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{MaxRetries: 2})
	mt.RegisterResponder("GET", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, "<VOTABLE><RESO")
		r.ContentLength = 1000
		return r, nil
	})
	_, err := c.Get(context.Background(), "https://h.example/x", nil)
	if !errors.Is(err, ErrTruncatedBody) || mt.GetTotalCallCount() != 3 {
		t.Fatalf("err = %v, calls %d", err, mt.GetTotalCallCount())
	}
	if !strings.Contains(err.Error(), "received 14 of the 1000 bytes") || !strings.Contains(err.Error(), "https://h.example/x") {
		t.Errorf("error %q", err)
	}
}

// truncatingServer announces 1000 bytes and sends 10 before closing.
func truncatingServer(t *testing.T, gz bool) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		body := []byte("0123456789")
		enc := ""
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(bytes.Repeat([]byte("x"), 5000))
			zw.Close()
			body = b.Bytes()[:b.Len()/2]
			enc = "Content-Encoding: gzip\r\n"
		}
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n%sContent-Type: text/plain\r\n\r\n", enc)
		buf.Write(body)
		buf.Flush()
	}))
	return srv
}

func TestTruncatedBodyRealConnection(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprint("gzip=", gz), func(t *testing.T) {
			srv := truncatingServer(t, gz)
			defer srv.Close()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			c := New(Options{Transport: tr, RatePerHost: -1, MaxRetries: 1, BackoffMin: time.Millisecond, BackoffMax: time.Millisecond})
			_, err := c.Get(context.Background(), srv.URL+"/x", nil)
			if !errors.Is(err, ErrTruncatedBody) {
				t.Fatalf("err = %v, want ErrTruncatedBody", err)
			}
			var re *RequestError
			if !errors.As(err, &re) || re.Attempts != 2 {
				t.Errorf("err = %#v", err)
			}
		})
	}
}

func TestBodyOverCap(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{MaxBodyBytes: 1000})
	mt.RegisterResponder("GET", "https://h.example/big", httpmock.NewStringResponder(200, strings.Repeat("a", 1001)))
	mt.RegisterResponder("GET", "https://h.example/fits", httpmock.NewStringResponder(200, strings.Repeat("a", 1000)))
	_, err := c.Get(context.Background(), "https://h.example/big", nil)
	if !errors.Is(err, ErrBodyTooLarge) || mt.GetCallCountInfo()["GET https://h.example/big"] != 1 {
		t.Fatalf("err = %v, calls %v", err, mt.GetCallCountInfo())
	}
	for _, want := range []string{"1000 bytes", "MaxBodyBytes", "https://h.example/big"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if resp, err := c.Get(context.Background(), "https://h.example/fits", nil); err != nil || len(resp.Body) != 1000 {
		t.Errorf("body at the cap: %v", err)
	}
}

func TestGzipBombCapped(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{MaxBodyBytes: 64 << 10})
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(make([]byte, 4<<20))
	zw.Close()
	mt.RegisterResponder("GET", "https://h.example/bomb", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(200, b.Bytes())
		r.Header.Set("Content-Encoding", "gzip")
		r.ContentLength = int64(b.Len())
		return r, nil
	})
	_, err := c.Get(context.Background(), "https://h.example/bomb", nil)
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("%d compressed bytes → err = %v", b.Len(), err)
	}
}

func TestGzipRealServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, strings.Repeat("row\n", 500))
		zw.Close()
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := New(Options{Transport: tr, RatePerHost: -1})
	resp, err := c.Get(context.Background(), srv.URL, nil)
	if err != nil || string(resp.Body) != strings.Repeat("row\n", 500) {
		t.Fatalf("err %v, %d bytes", err, len(resp.Body))
	}
}

func TestRateLimitPerHost(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", "=~.", httpmock.NewStringResponder(200, "ok"))
	c := New(Options{Transport: mt, RatePerHost: 1, Burst: 1})
	ctx := context.Background()
	get := func(u string) time.Duration {
		start := time.Now()
		if _, err := c.Get(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	get("https://a.example/1") // takes host a's only token; the next comes in 1 s
	if d := get("https://b.example/1"); d > 700*time.Millisecond {
		t.Errorf("first request to host b waited %v: hosts are not independent", d)
	}
	if d := get("https://A.example/2"); d < 800*time.Millisecond {
		t.Errorf("second request to host a after %v: rate 1/s not enforced", d)
	}
}

func TestRateLimitRespectsDeadline(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", "=~.", httpmock.NewStringResponder(200, "ok"))
	c := New(Options{Transport: mt, RatePerHost: 0.1, Burst: 1, HostRates: map[string]float64{"free.example": -1}})
	ctx := context.Background()
	if _, err := c.Get(ctx, "https://a.example/1", nil); err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Get(dctx, "https://a.example/2", nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
	for i := range 5 { // HostRates override: unlimited
		if _, err := c.Get(dctx, fmt.Sprintf("https://free.example/%d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuthNotSentToOtherHostOnRedirect(t *testing.T) {
	var sawAuthB, sawCookieB string
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuthB, sawCookieB = r.Header.Get("Authorization"), r.Header.Get("Cookie")
		io.WriteString(w, "from b")
	}))
	defer b.Close()
	var sawAuthA []string
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuthA = append(sawAuthA, r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/elsewhere":
			http.Redirect(w, r, b.URL+"/landing", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "/here", http.StatusFound)
		default:
			io.WriteString(w, "from a")
		}
	}))
	defer a.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	for _, auth := range []Auth{BearerToken("tok123"), CookieSession{{Name: "session", Value: "ck456"}}} {
		sawAuthA = nil
		c := New(Options{Transport: tr, RatePerHost: -1, Auth: auth})
		resp, err := c.Get(context.Background(), a.URL+"/elsewhere", nil)
		if err != nil || string(resp.Body) != "from b" {
			t.Fatalf("%v: %v", auth, err)
		}
		if sawAuthB != "" || sawCookieB != "" {
			t.Errorf("%v: credentials followed the redirect to another host: %q %q", auth, sawAuthB, sawCookieB)
		}
		resp, err = c.Get(context.Background(), a.URL+"/moved", nil)
		if err != nil || string(resp.Body) != "from a" || !strings.HasSuffix(resp.URL, "/here") {
			t.Fatalf("%v: %v %+v", auth, err, resp)
		}
		if _, ok := auth.(BearerToken); ok && (len(sawAuthA) != 3 || sawAuthA[2] != "Bearer tok123") {
			t.Errorf("same-host redirect lost the credentials: %q", sawAuthA)
		}
	}
}

func TestHeaderAndAuthApplied(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{Auth: BasicAuth{User: "u", Password: "p@ss"}, UserAgent: "test-agent/1"})
	mt.RegisterResponder("GET", "https://h.example/x", func(r *http.Request) (*http.Response, error) {
		u, p, ok := r.BasicAuth()
		if !ok || u != "u" || p != "p@ss" || r.Header.Get("User-Agent") != "test-agent/1" || r.Header.Get("Accept") != "application/json" {
			return httpmock.NewStringResponse(400, fmt.Sprint(r.Header)), nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	if _, err := c.Do(context.Background(), Request{URL: "https://h.example/x", Header: http.Header{"Accept": {"application/json"}}}); err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(BasicAuth{User: "u", Password: "p@ss"}, BearerToken("t0k"), CookieSession{{Name: "a", Value: "v4l"}}); strings.Contains(s, "p@ss") || strings.Contains(s, "t0k") || strings.Contains(s, "v4l") {
		t.Errorf("Auth String leaks: %s", s)
	}
}

func TestAuthErrorNotRetried(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{Auth: AuthFunc(func(*http.Request) error { return errors.New("token expired") })})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(200, "ok"))
	_, err := c.Get(context.Background(), "https://h.example/x", nil)
	if err == nil || !strings.Contains(err.Error(), "token expired") || mt.GetTotalCallCount() != 0 {
		t.Fatalf("err = %v, calls %d", err, mt.GetTotalCallCount())
	}
	var re *RequestError
	if !errors.As(err, &re) || re.Attempts != 1 {
		t.Errorf("attempts: %v", err)
	}
}

func TestDefaultTransportNoLeak(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	c := New(Options{RatePerHost: -1})
	defer c.CloseIdleConnections()
	if resp, err := c.Get(context.Background(), srv.URL, nil); err != nil || string(resp.Body) != "ok" {
		t.Fatal(err)
	}
}

func TestSharedRateLimiter(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", "=~.", httpmock.NewStringResponder(200, "ok"))
	shared := NewRateLimiter(1, 1, nil)
	c1 := New(Options{Transport: mt, RateLimiter: shared})
	c2 := New(Options{Transport: mt, RateLimiter: shared, RatePerHost: -1}) // RatePerHost ignored
	if _, err := c1.Get(context.Background(), "https://mast.example/a", nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c2.Get(context.Background(), "https://mast.example/b", nil); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 800*time.Millisecond {
		t.Errorf("second client's request after %v: the limiter is not shared", d)
	}
}
