package httpx

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "Fri, 27 Nov 2026 07:00:30 GMT", "Friday, 27-Nov-26 07:01:00 GMT",
		"Fri Nov 27 07:00:05 2026", "-1", "1e9", "99999999999999999999", " 5 ", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("parseRetryAfter(%q) = %v, %v", s, d, ok)
		}
	})
}

// FuzzRedactURL checks that the value of a credential parameter never
// survives redaction, whatever surrounds it.
func FuzzRedactURL(f *testing.F) {
	f.Add("https://h.example/x?a=1", "token", "s3cr3t")
	f.Add("https://u:p@h.example/x", "password", "hunter2")
	f.Add("http://[::1]:80/?x=%zz", "api_key", "k")
	f.Add("::", "sig", "abc")
	f.Fuzz(func(t *testing.T, base, name, secret string) {
		out := RedactURL(base)
		if ou, err := url.Parse(out); err == nil && ou.User != nil && ou.User.String() != redacted {
			t.Fatalf("RedactURL(%q) = %q keeps user information", base, out)
		}
		if !sensitiveParam(name) || len(secret) < 4 {
			return
		}
		u, err := url.Parse(base)
		if err != nil || u.Scheme == "" {
			return
		}
		q := u.Query()
		for k := range q { // drop parameters that could echo the secret
			if strings.Contains(k, secret) || strings.Contains(q.Get(k), secret) {
				return
			}
		}
		q.Set(name, secret)
		u.RawQuery = q.Encode()
		u.Fragment, u.RawFragment = "", ""
		raw := u.String()
		red := RedactURL(raw)
		esc := url.QueryEscape(secret)
		rest := strings.Replace(raw, name+"="+esc, "", 1)
		if strings.Contains(rest, esc) || strings.Contains(rest, secret) {
			return // the secret also appears elsewhere in the URL (host, path)
		}
		if strings.Contains(red, esc) {
			t.Fatalf("RedactURL(%q) = %q keeps %s", raw, red, name)
		}
	})
}

func FuzzLooksLikeHTMLAndSnippet(f *testing.F) {
	for _, s := range []string{"<!DOCTYPE html>", "<!-- x --><html>", `{"a":1}`, "\xef\xbb\xbf<body>", "\x1f\x8b\x08", "é"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = LooksLikeHTML(b)
		s := textSnippet(b)
		if !utf8.ValidString(s) || len(s) > 4*snippetLen {
			t.Fatalf("textSnippet(%q) = %q", b, s)
		}
	})
}
