package obsloctap

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformance(t *testing.T) {
	for _, format := range []string{"votable", "csv"} {
		t.Run(format, func(t *testing.T) {
			open := func(rt http.RoundTripper) activities.Source {
				s, err := New(Options{URL: cassetteURL, Format: format, HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1, RatePerHost: -1}})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			connectortest.Run(t, connectortest.Harness{
				New:           func(t *testing.T) activities.Source { return open(vcrtest.Replay(t, cassette, vcrtest.Repeatable())) },
				NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
				NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
				NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
				Window:        chandraWindow,
				MinActivities: 19,
			})
		})
	}
}

// recordedVOTable is the VOTable body of the cassette.
func recordedVOTable(t testing.TB) []byte {
	s, _ := New(Options{URL: cassetteURL})
	q, _ := s.Query(chandraWindow)
	rt := vcrtest.Replay(t, cassette)
	req, _ := http.NewRequest("POST", cassetteURL+"/sync", strings.NewReader(form(q, "").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return []byte(b.String())
}

// TestRecordedReply checks what the recorded VOTable gives: the 19 Chandra
// observations in their latest states (the Planned row of 30978 has no
// time and falls outside the window, so its Unscheduled row is the latest
// in it).
func TestRecordedReply(t *testing.T) {
	res, err := ParseReply(recordedVOTable(t), &Converter{Source: Name})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 23 || len(res.Activities) != 19 || res.Skipped[SkipSuperseded] != 4 {
		t.Fatalf("records %d, activities %d, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
	kinds := map[activities.Kind]int{}
	for _, a := range res.Activities {
		kinds[a.Kind]++
	}
	if kinds[activities.KindPlanned] != 16 || kinds[activities.KindCompleted] != 1 || kinds[activities.KindAborted] != 1 || kinds[activities.KindUnscheduled] != 1 {
		t.Fatalf("kinds %v", kinds)
	}
}

// TestFaults runs the fault scenarios through the TAP layer: a 429 with
// Retry-After is waited out, a 503 storm ends after the retries as the
// service's error, a body cut short, an HTML page and a service error
// document are errors, and every error names the source.
func TestFaults(t *testing.T) {
	good := recordedVOTable(t)
	serve := func(h http.HandlerFunc) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	listing := func(u string, retries int) ([]activities.Activity, error) {
		s, err := New(Options{URL: u, HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return activities.Collect(s.Activities(ctx, chandraWindow))
	}
	named := func(t *testing.T, err error) {
		t.Helper()
		var se *activities.SourceError
		if !errors.As(err, &se) || se.Source != Name {
			t.Errorf("error not wrapped with the source name: %v", err)
		}
	}
	t.Run("429RetryAfter", func(t *testing.T) {
		var n atomic.Int32
		u := serve(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.Header().Set("Content-Type", "application/x-votable+xml")
			w.Write(good)
		})
		t0 := time.Now()
		acts, err := listing(u, 2)
		if err != nil || len(acts) != 19 {
			t.Fatalf("got %d activities, %v", len(acts), err)
		}
		if d := time.Since(t0); d < 900*time.Millisecond {
			t.Errorf("Retry-After: 1 not honoured (done after %v)", d)
		}
	})
	t.Run("503Storm", func(t *testing.T) {
		var n atomic.Int32
		u := serve(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Retry-After", "0")
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		})
		_, err := listing(u, 2)
		var se *tap.ServiceError
		if !errors.As(err, &se) || se.StatusCode != 503 {
			t.Fatalf("want the service's 503, got %v", err)
		}
		named(t, err)
		if n.Load() != 3 {
			t.Errorf("%d attempts, want 3 (1 + 2 retries)", n.Load())
		}
	})
	t.Run("TruncatedBody", func(t *testing.T) {
		u := serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-votable+xml")
			w.Header().Set("Content-Length", strconv.Itoa(len(good)))
			w.Write(good[:len(good)/2])
		})
		acts, err := listing(u, -1)
		if err == nil || len(acts) != 0 {
			t.Fatalf("a body cut in half gave %d activities and %v", len(acts), err)
		}
		named(t, err)
	})
	t.Run("HTMLInsteadOfData", func(t *testing.T) {
		u := serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Service Maintenance</title></head><body>Back soon</body></html>"))
		})
		_, err := listing(u, -1)
		if err == nil || !strings.Contains(err.Error(), "Service Maintenance") && !strings.Contains(err.Error(), "HTML") {
			t.Fatalf("an HTML page gave %v", err)
		}
		named(t, err)
	})
	t.Run("ServiceErrorDocument", func(t *testing.T) {
		u := serve(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-votable+xml")
			w.Write([]byte(`<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">Table ivoa.obsplan could not be located</INFO></RESOURCE></VOTABLE>`))
		})
		_, err := listing(u, -1)
		if err == nil || !strings.Contains(err.Error(), "could not be located") {
			t.Fatalf("an error document gave %v", err)
		}
		named(t, err)
	})
	t.Run("ConnectionRefused", func(t *testing.T) {
		_, err := listing("http://127.0.0.1:1", -1)
		if err == nil {
			t.Fatal("no error")
		}
		named(t, err)
	})
}
