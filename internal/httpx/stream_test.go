package httpx

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

func TestStreamRetriesThenHandsOverBody(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{})
	n := 0
	mt.RegisterResponder("POST", "https://tap.example/sync", func(r *http.Request) (*http.Response, error) {
		n++
		b, _ := io.ReadAll(r.Body)
		if string(b) != "QUERY=SELECT+1" {
			return httpmock.NewStringResponse(400, "body lost on retry: "+string(b)), nil
		}
		if n < 3 {
			return httpmock.NewStringResponse(503, "busy"), nil
		}
		return httpmock.NewStringResponse(200, "<VOTABLE/>"), nil
	})
	req, _ := http.NewRequest("POST", "https://tap.example/sync", strings.NewReader("QUERY=SELECT+1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || string(b) != "<VOTABLE/>" || n != 3 || len(rs.waits) != 2 {
		t.Errorf("body %q err %v calls %d waits %v", b, err, n, rs.waits)
	}
}

func TestStreamStatusError(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{MaxRetries: 2})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(500, "internal error"))
	mt.RegisterResponder("GET", "https://h.example/y", httpmock.NewStringResponder(403, "forbidden"))
	req, _ := http.NewRequest("GET", "https://h.example/x?access_token=zzz999", nil)
	_, err := c.Stream(context.Background(), req)
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != 500 || se.Attempts != 3 || se.Snippet() != "internal error" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "zzz999") {
		t.Errorf("error leaks the token: %v", err)
	}
	req, _ = http.NewRequest("GET", "https://h.example/y", nil)
	if _, err = c.Stream(context.Background(), req); !errors.As(err, &se) || se.StatusCode != 403 || se.Attempts != 1 {
		t.Fatalf("err = %v", err)
	}
}

func TestStreamTruncatedAndCapped(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{MaxStreamBytes: 100})
	mt.RegisterResponder("GET", "https://h.example/short", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, "0123456789")
		r.ContentLength = 50
		return r, nil
	})
	mt.RegisterResponder("GET", "https://h.example/long", httpmock.NewStringResponder(200, strings.Repeat("x", 101)))
	mt.RegisterResponder("GET", "https://h.example/exact", httpmock.NewStringResponder(200, strings.Repeat("x", 100)))
	read := func(u string) ([]byte, error) {
		req, _ := http.NewRequest("GET", u, nil)
		resp, err := c.Stream(context.Background(), req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	if _, err := read("https://h.example/short"); !errors.Is(err, ErrTruncatedBody) || !strings.Contains(err.Error(), "10 of the 50") {
		t.Errorf("short: %v", err)
	}
	if b, err := read("https://h.example/long"); !errors.Is(err, ErrBodyTooLarge) || len(b) != 100 || !strings.Contains(err.Error(), "MaxStreamBytes") {
		t.Errorf("long: %d bytes, %v", len(b), err)
	}
	if b, err := read("https://h.example/exact"); err != nil || len(b) != 100 {
		t.Errorf("exact: %d bytes, %v", len(b), err)
	}
}

func TestStreamGzip(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(strings.Repeat("<TR><TD>1</TD></TR>", 100)))
	zw.Close()
	full := buf.Bytes()
	for name, body := range map[string][]byte{"whole": full, "cut": full[:len(full)-10]} {
		mt.RegisterResponder("GET", "https://h.example/"+name, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewBytesResponse(200, body)
			r.Header.Set("Content-Encoding", "gzip")
			r.ContentLength = int64(len(full))
			return r, nil
		})
	}
	req, _ := http.NewRequest("GET", "https://h.example/whole", nil)
	resp, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != strings.Repeat("<TR><TD>1</TD></TR>", 100) || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("whole: %v, %d bytes", err, len(b))
	}
	req, _ = http.NewRequest("GET", "https://h.example/cut", nil)
	resp, err = c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, ErrTruncatedBody) {
		t.Errorf("cut gzip: %v", err)
	}
}

// TestStreamTimeoutCoversHeadersOnly: a slow body is not cut by the
// per-attempt timeout once the headers are in, but slow headers are.
func TestStreamTimeoutCoversHeadersOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slowheaders" {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		for range 3 {
			time.Sleep(150 * time.Millisecond)
			io.WriteString(w, "chunk\n")
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := New(Options{Transport: tr, RatePerHost: -1, Timeout: 300 * time.Millisecond, MaxRetries: 1, BackoffMin: time.Millisecond, BackoffMax: time.Millisecond})
	req, _ := http.NewRequest("GET", srv.URL+"/slowbody", nil)
	resp, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != "chunk\nchunk\nchunk\n" {
		t.Errorf("slow body: %q %v", b, err)
	}
	req, _ = http.NewRequest("GET", srv.URL+"/slowheaders", nil)
	start := time.Now()
	_, err = c.Stream(context.Background(), req)
	var re *RequestError
	if !errors.As(err, &re) || re.Attempts != 2 || !strings.Contains(err.Error(), "timed out after 300ms") {
		t.Errorf("slow headers: %v", err)
	}
	if d := time.Since(start); d > 1800*time.Millisecond {
		t.Errorf("slow headers took %v", d)
	}
}

func TestStreamContextDeadline(t *testing.T) {
	c := New(Options{Transport: &blockingTransport{}, RatePerHost: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequest("GET", "https://slow.example/", nil)
	start := time.Now()
	_, err := c.Stream(ctx, req)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 1500*time.Millisecond {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestStreamUnreplayableBodyNotRetried(t *testing.T) {
	c, mt, _ := newTestClient(t, Options{})
	mt.RegisterResponder("POST", "https://h.example/x", httpmock.NewStringResponder(503, "busy"))
	req, _ := http.NewRequest("POST", "https://h.example/x", io.NopCloser(strings.NewReader("a=1")))
	req.GetBody = nil
	_, err := c.Stream(context.Background(), req)
	var se *StatusError
	if !errors.As(err, &se) || se.Attempts != 1 || mt.GetTotalCallCount() != 1 {
		t.Errorf("err = %v, calls %d", err, mt.GetTotalCallCount())
	}
}

func TestStreamBadRequest(t *testing.T) {
	c, _, _ := newTestClient(t, Options{})
	if _, err := c.Stream(context.Background(), nil); err == nil {
		t.Error("nil request accepted")
	}
	req, _ := http.NewRequest("GET", "file:///etc/passwd", nil)
	if _, err := c.Stream(context.Background(), req); err == nil || !strings.Contains(err.Error(), "scheme") {
		t.Errorf("file URL: %v", err)
	}
}

func TestHTTPClientSharesTheLayer(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{Auth: BearerToken("abc"), UserAgent: "ua/2"})
	n := 0
	mt.RegisterResponder("GET", "https://h.example/x", func(r *http.Request) (*http.Response, error) {
		n++
		if r.Header.Get("Authorization") != "Bearer abc" || r.Header.Get("User-Agent") != "ua/2" {
			return httpmock.NewStringResponse(400, "missing headers"), nil
		}
		if n == 1 {
			return httpmock.NewStringResponse(502, "bad gateway"), nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	resp, err := c.HTTPClient().Get("https://h.example/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok" || n != 2 || len(rs.waits) != 1 {
		t.Errorf("status %d body %q calls %d", resp.StatusCode, b, n)
	}
}

func TestHTTPClientReturnsFinalStatus(t *testing.T) {
	c, mt, rs := newTestClient(t, Options{MaxRetries: 2, BackoffMin: 10 * time.Second, BackoffMax: 10 * time.Second})
	mt.RegisterResponder("GET", "https://h.example/x", httpmock.NewStringResponder(503, "still busy"))
	resp, err := c.HTTPClient().Get("https://h.example/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || string(b) != "still busy" || mt.GetTotalCallCount() != 3 || len(rs.waits) != 2 {
		t.Errorf("status %d body %q calls %d waits %v", resp.StatusCode, b, mt.GetTotalCallCount(), rs.waits)
	}
	// With a deadline shorter than the backoff, the first 503 is returned.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://h.example/x", nil)
	resp, err = c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || mt.GetTotalCallCount() != 4 {
		t.Errorf("status %d calls %d", resp.StatusCode, mt.GetTotalCallCount())
	}
}

func TestStreamNeverLeaksCredentials(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt, _ := newTestClient(t, Options{Logger: logger, MaxRetries: 1, Auth: BasicAuth{User: "astro", Password: "Pl4net-X"}})
	mt.RegisterResponder("GET", `=~^https://h\.example/`, func(r *http.Request) (*http.Response, error) {
		// A hostile server echoing the request back in its error page.
		return httpmock.NewStringResponse(500, "bad request from "+r.Header.Get("Authorization")+" to "+r.URL.String()), nil
	})
	mt.RegisterResponder("GET", `=~^https://down\.example/`, httpmock.NewErrorResponder(errors.New("dial tcp: connection refused")))
	for _, u := range []string{"https://h.example/q?session=S355ION&ra=1", "https://down.example/q?apikey=K3YK3Y"} {
		req, _ := http.NewRequest("GET", u, nil)
		_, err := c.Stream(context.Background(), req)
		if err == nil {
			t.Fatalf("%s: no error", u)
		}
		all := logs.String() + "\n" + err.Error()
		basic := "YXN0cm86UGw0bmV0LVg=" // base64("astro:Pl4net-X")
		for _, secret := range []string{"Pl4net-X", basic, "S355ION", "K3YK3Y"} {
			if strings.Contains(all, secret) {
				t.Errorf("%q leaked:\n%s", secret, all)
			}
		}
	}
}
