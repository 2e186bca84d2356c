package httpx

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://h.example/tap?QUERY=SELECT+1&token=abc":           "https://h.example/tap?QUERY=SELECT+1&token=REDACTED",
		"https://bob:secret@h.example/x":                           "https://REDACTED@h.example/x",
		"https://h.example/x?Api_Key=1&password=2&ra=3&sig=4#frag": "https://h.example/x?Api_Key=REDACTED&password=REDACTED&ra=3&sig=REDACTED",
		"https://h.example/x?access_token=a%20b&x=%2F":             "https://h.example/x?access_token=REDACTED&x=%2F",
		"https://h.example/x?key":                                  "https://h.example/x?key",
		"http://[::1]:8080/x?secret=1":                             "http://[::1]:8080/x?secret=REDACTED",
		"https://u:p@h\x7f/x?token=1":                              "https://REDACTED@h\x7f/x",
		"https://u:p@ss@h\x7f/x":                                   "https://REDACTED@h\x7f/x", // user info to the last @
		"//u:p@h\x7f/x?token=1":                                    "//REDACTED@h\x7f/x",       // scheme-relative
		"A:// @@":                                                  "A://REDACTED@",
		"https://h\x7f/a@b":                                        "https://h\x7f/a@b", // an @ in the path
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"0":                              0,
		" 120 ":                          2 * time.Minute,
		"Fri, 27 Nov 2026 07:00:30 GMT":  30 * time.Second,
		"Friday, 27-Nov-26 07:01:00 GMT": time.Minute,
		"Fri Nov 27 07:00:05 2026":       5 * time.Second,
		"Thu, 26 Nov 2026 07:00:00 GMT":  0, // in the past
		"99999999999999999999999":        maxRetryAfterSeconds * time.Second,
	} {
		got, ok := parseRetryAfter(in, now)
		if !ok || got != want {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-5", "1.5", "soon", "12abc"} {
		if d, ok := parseRetryAfter(in, now); ok {
			t.Errorf("parseRetryAfter(%q) = %v, want not ok", in, d)
		}
	}
}

func TestLooksLikeHTML(t *testing.T) {
	for _, s := range []string{
		"<!DOCTYPE html><html>", "\xef\xbb\xbf  <HTML lang=en>", "\n<head><title>Login</title>",
		"<!-- proxy --><html>", "<body>503</body>", "<title>Maintenance</title>",
	} {
		if !LooksLikeHTML([]byte(s)) {
			t.Errorf("LooksLikeHTML(%q) = false", s)
		}
	}
	for _, s := range []string{
		"", `{"a":1}`, "[]", `<?xml version="1.0"?><VOTABLE>`, "<VOTABLE>", "<!-- c --><VOTABLE/>", "<!-- unterminated", "SIMPLE  =                    T",
	} {
		if LooksLikeHTML([]byte(s)) {
			t.Errorf("LooksLikeHTML(%q) = true", s)
		}
	}
}

func TestSnippet(t *testing.T) {
	e := &StatusError{Body: []byte("  line one\n\n\tline  two  ")}
	if s := e.Snippet(); s != "line one line two" {
		t.Errorf("snippet %q", s)
	}
	e.Body = []byte{0x1f, 0x8b, 0x08, 0, 0}
	if s := e.Snippet(); s != "<5 bytes of binary data>" {
		t.Errorf("binary snippet %q", s)
	}
	e.Body = []byte(strings.Repeat("é", 300))[:511] // cut inside a rune
	if s := e.Snippet(); !utf8.ValidString(s) || strings.Contains(s, "binary") {
		t.Errorf("cut UTF-8 snippet %q", s)
	}
}

func TestBackoffBounds(t *testing.T) {
	c := New(Options{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second})
	for n := 1; n <= 70; n++ {
		ceil := min(time.Second, 100*time.Millisecond<<min(n-1, 20))
		for range 50 {
			if d := c.backoff(n); d < 100*time.Millisecond || d > ceil {
				t.Fatalf("backoff(%d) = %v outside [100ms, %v]", n, d, ceil)
			}
		}
	}
}

func TestRetryableStatus(t *testing.T) {
	for code, want := range map[int]bool{200: false, 400: false, 401: false, 404: false, 408: true, 429: true,
		500: true, 501: false, 502: true, 503: true, 504: true, 505: false, 511: false, 599: true} {
		if retryableStatus(code) != want {
			t.Errorf("retryableStatus(%d) = %v", code, !want)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := New(Options{}).Options()
	if o.Timeout != 30*time.Second || o.MaxRetries != 4 || o.BackoffMin != 500*time.Millisecond ||
		o.BackoffMax != 30*time.Second || o.RatePerHost != 2 || o.MaxBodyBytes != 64<<20 ||
		o.UserAgent != "arcsecond-go/0.1.0 (+https://github.com/arcsecond-go/arcsecond)" || o.Logger == nil {
		t.Errorf("defaults: %+v", o)
	}
	if o := New(Options{MaxRetries: -1}).Options(); o.MaxRetries != 0 {
		t.Errorf("MaxRetries -1 → %d", o.MaxRetries)
	}
}

func TestSameOriginAsFirst(t *testing.T) {
	mk := func(u string, prev *http.Request) *http.Request {
		pu, _ := url.Parse(u)
		r := &http.Request{URL: pu}
		if prev != nil {
			r.Response = &http.Response{Request: prev}
		}
		return r
	}
	first := mk("https://a.example/x", nil)
	if !sameOriginAsFirst(first) {
		t.Error("first request")
	}
	if !sameOriginAsFirst(mk("https://a.example/y", mk("https://a.example/x", first))) {
		t.Error("same host")
	}
	if sameOriginAsFirst(mk("https://b.example/y", first)) {
		t.Error("other host")
	}
	if sameOriginAsFirst(mk("http://a.example/y", first)) {
		t.Error("https → http downgrade")
	}
}
