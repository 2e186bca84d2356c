package obscore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

func TestConformanceDaCHS(t *testing.T) {
	for _, format := range []string{"votable", "csv"} {
		t.Run(format, func(t *testing.T) {
			open := func(rt http.RoundTripper) activities.Source {
				s, err := New(Options{URL: dachsCassetteURL, Format: format, HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			connectortest.Run(t, connectortest.Harness{
				New: func(t *testing.T) activities.Source {
					return open(vcrtest.Replay(t, "testdata/dachs_obscore", vcrtest.Repeatable()))
				},
				NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
				NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
				NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
				Window:        dachsWindow,
				MinActivities: 40,
			})
		})
	}
}

// TestConformancePyvo replays the real reply of GAVO's DaCHS (pyvo's test
// data) with the query that produced it.
func TestConformancePyvo(t *testing.T) {
	open := func(rt http.RoundTripper) activities.Source {
		s, err := New(Options{URL: pyvoURL, Name: "gavo", ADQL: pyvoQuery, MaxRec: 10, HTTPOptions: connectors.HTTPOptions{Transport: rt, Retries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	connectortest.Run(t, connectortest.Harness{
		New: func(t *testing.T) activities.Source {
			return open(vcrtest.Replay(t, "testdata/pyvo_obscore_image", vcrtest.Repeatable()))
		},
		NewStalled:    func(t *testing.T) activities.Source { return open(connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(rt) },
		Window:        activities.Window{Start: time.Date(1913, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(1915, 1, 1, 0, 0, 0, 0, time.UTC)},
		MinActivities: 10,
	})
}

// dachsBody is the recorded VOTable reply of the DaCHS cassette.
func dachsBody(t testing.TB) []byte { return dachsRecorded(t, "") }

// dachsCSV is the recorded CSV reply of the DaCHS cassette.
func dachsCSV(t testing.TB) []byte { return dachsRecorded(t, "csv") }

func dachsRecorded(t testing.TB, format string) []byte {
	s, err := New(Options{URL: dachsCassetteURL, HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(t, "testdata/dachs_obscore"), Retries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := s.Query(dachsWindow)
	rt := vcrtest.Replay(t, "testdata/dachs_obscore")
	req, _ := http.NewRequest("POST", dachsCassetteURL+"/sync", strings.NewReader(form(q, DefaultMaxRec, format).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.Bytes()
}

// faultServer serves the recorded DaCHS reply after the given faults, one
// per request.
func faultServer(t *testing.T, faults ...func(w http.ResponseWriter, r *http.Request) bool) (*httptest.Server, *atomic.Int32) {
	body := dachsBody(t)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(faults) && faults[i](w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/x-votable+xml")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func listAll(t *testing.T, o Options) ([]activities.Activity, error) {
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return activities.Collect(s.Activities(ctx, dachsWindow))
}

func TestFaults429And503(t *testing.T) {
	srv, n := faultServer(t,
		func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		},
		func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		})
	t0 := time.Now()
	acts, err := listAll(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 40 || n.Load() != 3 {
		t.Fatalf("%d activities after %d requests; want 40 after 3", len(acts), n.Load())
	}
	if d := time.Since(t0); d < time.Second {
		t.Errorf("Retry-After: 1 not honoured (%v)", d)
	}
}

func TestFaultPersistent503(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	_, err := listAll(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: 1}})
	var se *activities.SourceError
	if err == nil || !errors.As(err, &se) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("got %v, want a source error with the 503", err)
	}
}

func TestFaultTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	t0 := time.Now()
	_, err := listAll(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Timeout: 200 * time.Millisecond, Retries: 1}})
	if err == nil {
		t.Fatal("no error from a service that never answers")
	}
	if d := time.Since(t0); d > 4*time.Second {
		t.Fatalf("took %v despite a 200 ms attempt timeout", d)
	}
	// And the listing deadline bounds everything, retries included.
	t0 = time.Now()
	_, err = listAll(t, Options{URL: srv.URL, Deadline: 300 * time.Millisecond, HTTPOptions: connectors.HTTPOptions{Retries: 5}})
	if err == nil || time.Since(t0) > 2*time.Second {
		t.Fatalf("deadline: %v after %v", err, time.Since(t0))
	}
}

func TestFaultTruncatedBody(t *testing.T) {
	body := dachsBody(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		w.Write(body[:len(body)/2])
	}))
	defer srv.Close()
	acts, err := listAll(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	if err == nil {
		t.Fatalf("a body cut in half gave %d activities and no error", len(acts))
	}
	t.Logf("%d activities, then %v", len(acts), err)
}

func TestFaultHTMLPage(t *testing.T) {
	for _, format := range []string{"votable", "csv"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Service down for maintenance</title></head><body>Back soon</body></html>"))
		}))
		_, err := listAll(t, Options{URL: srv.URL, Format: format, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), "maintenance") {
			t.Fatalf("%s: got %v, want an error quoting the page", format, err)
		}
	}
}

func TestTokenExpiredAndNeverLogged(t *testing.T) {
	const token = "eyJhbGciOiJSUzI1NiJ9.SECRET-TOKEN-VALUE.sig"
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte("token expired: " + r.Header.Get("Authorization")))
	}))
	defer srv.Close()
	var logs bytes.Buffer
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	_, err := listAll(t, Options{URL: srv.URL, Token: token, TokenEnv: "ARCSECOND_TEST_TOKEN", HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	var ae *connectors.AuthError
	if !errors.As(err, &ae) || !ae.HadToken {
		t.Fatalf("got %v, want an connectors.AuthError", err)
	}
	if got.Load() != "Bearer "+token {
		t.Fatalf("Authorization sent: %v", got.Load())
	}
	if !strings.Contains(err.Error(), "ARCSECOND_TEST_TOKEN") || !strings.Contains(err.Error(), "expired") {
		t.Errorf("error %q does not name the variable and the expiry", err)
	}
	if strings.Contains(err.Error(), "SECRET-TOKEN") || strings.Contains(logs.String(), "SECRET-TOKEN") {
		t.Errorf("token leaked: error %q logs %q", err, logs.String())
	}
	// Without a token, a 401 asks for one by the variable's name.
	_, err = listAll(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	if !errors.As(err, &ae) || ae.HadToken || !strings.Contains(err.Error(), EnvToken) {
		t.Fatalf("anonymous 401: got %v", err)
	}
	if got.Load() != "" {
		t.Errorf("anonymous request sent Authorization %q", got.Load())
	}
}

func TestOverflowFromRecordedBody(t *testing.T) {
	// The recorded body with its QUERY_STATUS turned to OVERFLOW, as a
	// service writes it when MAXREC cuts the result.
	body := bytes.Replace(dachsBody(t), []byte(`</TABLE>`), []byte(`</TABLE><INFO name="QUERY_STATUS" value="OVERFLOW"/>`), 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		w.Write(body)
	}))
	defer srv.Close()
	acts, err := listAll(t, Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1}})
	var te *connectors.TruncatedError
	if !errors.As(err, &te) || !errors.Is(err, connectors.ErrTruncated) || len(acts) != 40 {
		t.Fatalf("got %d activities and %v; want 40 then a TruncatedError", len(acts), err)
	}
}
