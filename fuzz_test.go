package arcsecond

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// fuzzServer is one node (not running) for the fuzz
// targets, which call its handlers directly.
func fuzzServer(f *testing.F) http.Handler {
	n, err := NewNode(context.Background(), NodeOptions{Replay: &ReplayOptions{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { n.Close() })
	return n.Handler()
}

// FuzzSubscriptionsAPI posts arbitrary bodies: the answer is 201 or a 4xx
// with a message, never a 5xx.
func FuzzSubscriptionsAPI(f *testing.F) {
	h := fuzzServer(f)
	f.Add(`{"id": "a", "criteria": {"sources": ["eso"]}}`)
	f.Add(`{"id": "a", "criteria": {"regions": [{"ra": 10, "dec": 95, "radius": 1}]}}`)
	f.Add(`{"id": "a", "match_all": true, "delivery": {"webhook": {"url": "https://example.org/h"}}}`)
	f.Add(`{"id": "a", "criteria": {"targets": ["M*"]}, "delivery": {"webhook": {"url": "https://example.org/h", "secrets": null}}}`)
	f.Add(`{"delivery": []}`)
	f.Add(`{"id": "%", "criteria": {"sources": ["eso"]}}`)
	f.Add(`{"id": "a/b?c#d \u00e9", "criteria": {"sources": ["eso"]}}`)
	f.Fuzz(func(t *testing.T, body string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/api/subscriptions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		switch {
		case rec.Code == 201:
			var created struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil || created.ID == "" {
				t.Fatalf("201 without an id: %v %s", err, rec.Body)
			}
			// The id is whatever the client chose ("%", "a/b", ...):
			// Location must name it as an escaped path segment.
			id := created.ID
			loc := rec.Header().Get("Location")
			if want := "/api/subscriptions/" + url.PathEscape(id); loc != want {
				t.Fatalf("Location %q, want %q", loc, want)
			}
			del := httptest.NewRecorder()
			h.ServeHTTP(del, httptest.NewRequest("DELETE", loc, nil))
			if del.Code != 204 {
				t.Fatalf("DELETE %q after 201: %d %s", id, del.Code, del.Body)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if !strings.Contains(rec.Body.String(), `"error":`) {
				t.Fatalf("%d without a message: %s", rec.Code, rec.Body)
			}
		default:
			t.Fatalf("POST %q: %d %s", body, rec.Code, rec.Body)
		}
	})
}

// FuzzActivitiesQuery sends arbitrary query strings to GET /api/activities:
// 200 or 400, never anything else.
func FuzzActivitiesQuery(f *testing.F) {
	h := fuzzServer(f)
	for _, q := range []string{"limit=10", "ra=1&dec=2&radius=3", "ra=400&dec=0&radius=1", "cursor=abc", "start=2025-01-01T00:00:00Z", "kind=planned&source=x", "%zz"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		req, err := http.NewRequest("GET", "http://x/api/activities", nil)
		if err != nil {
			t.Skip()
		}
		req.URL.RawQuery = q
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("?%s: %d %s", q, rec.Code, rec.Body)
		}
	})
}
