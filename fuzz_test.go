package arcsecond

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
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
	// Issue 21: identifiers and strict JSON.
	f.Add("{\"id\": \"a\xffb\", \"criteria\": {\"sources\": [\"eso\"]}}")
	f.Add(`{"id": "a\udc00", "criteria": {"sources": ["eso"]}}`)
	f.Add(`{"id": "a", "id": "b", "criteria": {"sources": ["eso"]}}`)
	f.Add(`{"ID": "a", "criteria": {"sources": ["eso"]}}`)
	f.Add(`{"id": "a", "criteria": {"sources": ["eso"], "SOURCES": ["x"]}}`)
	f.Add(`{"id": "a", "criteria": {"regions": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}`)
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
			// Reachable by the bytes the client sent.
			if !utf8.ValidString(id) || strings.ContainsRune(id, utf8.RuneError) {
				t.Fatalf("201 for the id %q, not valid UTF-8", id)
			}
			get := httptest.NewRecorder()
			h.ServeHTTP(get, httptest.NewRequest("GET", loc, nil))
			if get.Code != 200 {
				t.Fatalf("GET %q after 201: %d %s", loc, get.Code, get.Body)
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
	for _, q := range []string{"limit=10", "ra=1&dec=2&radius=3", "ra=400&dec=0&radius=1", "cursor=abc", "start=2025-01-01T00:00:00Z", "kind=planned&source=x", "%zz",
		// Issue 21: out-of-range times, ignored parameters.
		"start=2263-01-01T00:00:00Z", "end=1600-01-01T00:00:00Z", "start=1500-01-01T00:00:00Z&end=2100-01-01T00:00:00Z",
		"limit=1000&junk=1", "start=0001-01-01T00:00:00Z", "end=9999-12-31T23:59:59Z"} {
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

// FuzzSubscriptionsList sends arbitrary query strings to GET
// /api/subscriptions: 200 with at most limit subscriptions, or 400.
func FuzzSubscriptionsList(f *testing.F) {
	h := fuzzServer(f)
	for i := range 3 {
		req := httptest.NewRequest("POST", "/api/subscriptions", strings.NewReader(`{"id": "s`+string(rune('a'+i))+`", "criteria": {"sources": ["eso"]}}`))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, q := range []string{"limit=1", "limit=2&cursor=MTpzYg", "cursor=%zz", "limit=0", "cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5Onh4", "cursor=LTE6eA"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		req, err := http.NewRequest("GET", "http://x/api/subscriptions", nil)
		if err != nil {
			t.Skip()
		}
		req.URL.RawQuery = q
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
			var page struct{ Subscriptions []json.RawMessage }
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Subscriptions) > 3 {
				t.Fatalf("?%s: %v %s", q, err, rec.Body)
			}
		case 400:
		default:
			t.Fatalf("?%s: %d %s", q, rec.Code, rec.Body)
		}
	})
}

// FuzzStateChanging sends state-changing requests with arbitrary content
// types and origins: a subscription is created only from a JSON body and
// from no foreign origin, and nothing answers 5xx.
func FuzzStateChanging(f *testing.F) {
	h := fuzzServer(f)
	body := `{"id": "x", "criteria": {"sources": ["eso"]}}`
	for _, c := range [][3]string{
		{"POST", "text/plain", "https://evil.example"}, {"POST", "application/json", "https://evil.example"},
		{"POST", "application/json", ""}, {"POST", "application/json; charset=utf-8", "http://x"},
		{"POST", "", ""}, {"POST", "application/JSON", "null"}, {"DELETE", "", "https://evil.example"},
		{"POST", "multipart/form-data; boundary=\"", ""},
	} {
		f.Add(c[0], c[1], c[2])
	}
	f.Fuzz(func(t *testing.T, method, ctype, origin string) {
		path := "/api/subscriptions"
		if method == "DELETE" {
			path += "/x"
		}
		req, err := http.NewRequest(method, "http://x"+path, strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q from %q: %d %s", method, ctype, origin, rec.Code, rec.Body)
		}
		if rec.Code == 201 || rec.Code == 204 {
			mt, _, _ := mime.ParseMediaType(ctype)
			if u, err := url.Parse(origin); origin != "" && (err != nil || u.Host != "x") {
				t.Fatalf("%s from origin %q: %d", method, origin, rec.Code)
			}
			if method == "POST" && mt != "application/json" {
				t.Fatalf("POST with Content-Type %q: %d", ctype, rec.Code)
			}
			del := httptest.NewRequest("DELETE", "/api/subscriptions/x", nil)
			h.ServeHTTP(httptest.NewRecorder(), del)
		}
	})
}
