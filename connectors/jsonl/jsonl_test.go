package jsonl_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/connectors/jsonl"
)

func serve(t testing.TB, body []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func open(t *testing.T, url string, rt http.RoundTripper) activities.Source {
	t.Helper()
	client := &http.Client{}
	if rt != nil {
		client.Transport = rt
	}
	src, err := jsonl.New(jsonl.Options{Name: "example", URL: url, HTTPOptions: connectors.HTTPOptions{Client: client}})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

var window = activities.Window{
	Start: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC),
	End:   time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC),
}

func TestConformance(t *testing.T) {
	body, err := os.ReadFile("testdata/example.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, body)
	connectortest.Run(t, connectortest.Harness{
		New:           func(t *testing.T) activities.Source { return open(t, srv.URL, nil) },
		NewStalled:    func(t *testing.T) activities.Source { return open(t, srv.URL, connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return open(t, srv.URL, connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return open(t, srv.URL, rt) },
		Window:        window,
		MinActivities: 60,
	})
}

func TestFileAndWindow(t *testing.T) {
	src := open(t, "testdata/example.jsonl", nil)
	narrow := activities.Window{Start: time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)}
	acts, err := activities.Collect(src.Activities(context.Background(), narrow))
	if err != nil {
		t.Fatal(err)
	}
	// Records start every 17 minutes from 00:00 and last 10 to 40 minutes:
	// obs-0003 (00:51–01:02) to obs-0007 (01:59–02:13) overlap 01:00–02:00.
	if len(acts) != 5 || acts[0].ID != "example:obs-0003" || acts[4].ID != "example:obs-0007" {
		var ids []string
		for _, a := range acts {
			ids = append(ids, a.ID)
		}
		t.Fatalf("window listed %v", ids)
	}
}

func TestBadLines(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"syntax":       {`{"id": "example:1", `, "line 1"},
		"wrong source": {`{"id":"other:1","source":"other","kind":"planned","facility":"X","target":{"name":"","ra":null,"dec":null},"start":null,"end":null,"revision":0}`, `source "other"`},
		"invalid dec":  {`{"id":"example:1","source":"example","kind":"planned","facility":"X","target":{"name":"","ra":10,"dec":91},"start":null,"end":null,"revision":0}`, "target.dec"},
		"bad time":     {`{"id":"example:1","source":"example","kind":"planned","facility":"X","target":{"name":"","ra":null,"dec":null},"start":"yesterday","end":null,"revision":0}`, "start"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := serve(t, []byte(tc.body+"\n"))
			_, err := activities.Collect(open(t, srv.URL, nil).Activities(context.Background(), window))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "example: ") {
				t.Fatalf("error %v, want one naming the source and %q", err, tc.want)
			}
		})
	}
}

func TestHTTPErrorStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	_, err := activities.Collect(open(t, srv.URL, nil).Activities(context.Background(), window))
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "maintenance") {
		t.Fatalf("error %v, want the status and the server's message", err)
	}
}
