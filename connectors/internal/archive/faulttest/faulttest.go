// Package faulttest runs the archive connectors' fault scenarios against a
// local HTTP server: 429 with Retry-After, a 503 storm, a truncated body,
// an HTML error page instead of data, an upstream that never answers and
// one that refuses the connection. Every failure must reach the caller
// wrapped in an activities.SourceError naming the source.
package faulttest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Harness opens the connector under test.
type Harness struct {
	// Open returns the source reading from baseURL with the given retries
	// (negative: none) and no rate limit.
	Open func(baseURL string, retries int) (activities.Source, error)
	// Good is a valid reply body, served for every request of a healthy
	// upstream; ContentType its type.
	Good        []byte
	ContentType string
	// Window is listed; Want is how many activities Good gives in it.
	Window activities.Window
	Want   int
}

func serve(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// list opens the source on baseURL and collects the window with ctx; it
// returns the source's name with what the listing gave.
func (h Harness) list(t *testing.T, ctx context.Context, baseURL string, retries int) ([]activities.Activity, string, error) {
	t.Helper()
	src, err := h.Open(baseURL, retries)
	if err != nil {
		t.Fatal(err)
	}
	acts, err := activities.Collect(src.Activities(ctx, h.Window))
	return acts, src.Name(), err
}

// named fails t unless err is wrapped in a SourceError naming the source.
func named(t *testing.T, err error, name string) {
	t.Helper()
	var src *activities.SourceError
	if !errors.As(err, &src) || src.Source != name {
		t.Errorf("error not wrapped with the source name %q: %v", name, err)
	}
}

// Run runs every scenario as a subtest.
func Run(t *testing.T, h Harness) {
	good := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", h.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(h.Good)))
		w.Write(h.Good)
	}
	bg := context.Background()
	t.Run("429RetryAfter", func(t *testing.T) {
		var n atomic.Int32
		u := serve(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			good(w)
		})
		t0 := time.Now()
		acts, _, err := h.list(t, bg, u, 2)
		if err != nil || len(acts) != h.Want {
			t.Fatalf("got %d activities, %v; want %d", len(acts), err, h.Want)
		}
		if d := time.Since(t0); d < 900*time.Millisecond {
			t.Errorf("Retry-After: 1 not honoured (done after %v)", d)
		}
	})
	t.Run("503Storm", func(t *testing.T) {
		// Retry-After: 0 leaves the wait to the client's backoff, as no
		// header would.
		var n atomic.Int32
		u := serve(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Retry-After", "0")
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		})
		_, name, err := h.list(t, bg, u, 2)
		var se *httpx.StatusError
		if !errors.As(err, &se) || se.StatusCode != 503 {
			t.Fatalf("want a 503 StatusError, got %v", err)
		}
		named(t, err, name)
		if n.Load() != 3 {
			t.Errorf("%d attempts, want 3 (1 + 2 retries)", n.Load())
		}
	})
	t.Run("TruncatedBody", func(t *testing.T) {
		u := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(h.Good)))
			w.Write(h.Good[:len(h.Good)/2])
		})
		_, name, err := h.list(t, bg, u, -1)
		if !errors.Is(err, httpx.ErrTruncatedBody) {
			t.Fatalf("want ErrTruncatedBody, got %v", err)
		}
		named(t, err, name)
	})
	t.Run("HTMLInsteadOfData", func(t *testing.T) {
		u := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Service Maintenance</title></head><body>Back soon</body></html>"))
		})
		_, name, err := h.list(t, bg, u, -1)
		var he *connectors.HTMLError
		if !errors.As(err, &he) || he.Title != "Service Maintenance" {
			t.Fatalf("want an HTMLError naming the page, got %v", err)
		}
		named(t, err, name)
	})
	t.Run("NeverAnswers", func(t *testing.T) {
		block := make(chan struct{})
		u := serve(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-block:
			case <-r.Context().Done():
			}
		})
		defer close(block)
		ctx, cancel := context.WithTimeout(bg, 50*time.Millisecond)
		defer cancel()
		t0 := time.Now()
		_, name, err := h.list(t, ctx, u, 2)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > time.Second {
			t.Fatalf("want the deadline reported promptly, got %v after %v", err, time.Since(t0))
		}
		named(t, err, name)
	})
	t.Run("ConnectionRefused", func(t *testing.T) {
		_, name, err := h.list(t, bg, "http://127.0.0.1:1", -1)
		if err == nil {
			t.Fatal("no error from an upstream refusing the connection")
		}
		named(t, err, name)
	})
}
