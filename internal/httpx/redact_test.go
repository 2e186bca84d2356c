package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
)

func TestStripURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://h.example/hook?token=abc&x=1#frag", "https://h.example/hook?REDACTED"},
		{"https://u:p@h.example/hook?t", "https://REDACTED@h.example/hook?REDACTED"},
		{"https://h.example/hook", "https://h.example/hook"},
		{"https://h.example/hook?", "https://h.example/hook"},
		{"http://[::1]:8080/a?x=%zz", "http://[::1]:8080/a?REDACTED"},
		{"::not a url?token=abc", "::not a url"},
		{"%zz://u:p@h/x?token=abc", "%zz://REDACTED@h/x"},
	} {
		if got := StripURL(c.in); got != c.want {
			t.Errorf("StripURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A *url.Error quotes the raw URL; RedactURLError must clean it wherever
// it sits in the chain while keeping sentinels below it reachable.
func TestRedactURLError(t *testing.T) {
	sentinel := errors.New("sentinel")
	raw := "http://user:***@h.example/x?token=s3cr3t&q=visible"
	ue := &url.Error{Op: "Post", URL: raw, Err: fmt.Errorf("dial: %w", sentinel)}
	for name, err := range map[string]error{
		"bare":    ue,
		"wrapped": fmt.Errorf("posting: %w", ue),
		"twice":   fmt.Errorf("outer: %w", fmt.Errorf("posting: %w", ue)),
	} {
		for _, red := range []func(string) string{RedactURL, StripURL} {
			got := RedactURLError(err, red)
			if !errors.Is(got, sentinel) {
				t.Errorf("%s: the sentinel below the *url.Error is lost", name)
			}
			var gue *url.Error
			if !errors.As(got, &gue) || gue.URL != red(raw) {
				t.Errorf("%s: *url.Error in the chain has URL %v", name, gue)
			}
			for e := got; e != nil; e = errors.Unwrap(e) {
				if s := e.Error(); strings.Contains(s, "s3cr3t") || strings.Contains(s, "user") {
					t.Errorf("%s: %T in the chain says %q", name, e, s)
				}
			}
		}
	}
	if RedactURLError(nil, StripURL) != nil {
		t.Error("nil error became non-nil")
	}
	plain := errors.New("no URL here")
	if RedactURLError(plain, StripURL) != plain {
		t.Error("an error without a *url.Error was rewritten")
	}
}

// Through the Client: a network failure's *url.Error, reached with
// errors.As on the returned error, no longer carries the token.
func TestRequestErrorChainIsRedacted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := New(Options{MaxRetries: -1, RatePerHost: -1})
	_, err = c.Get(context.Background(), "http://"+addr+"/x?token=s3cr3tvalue", nil)
	if err == nil {
		t.Fatal("a closed port answered")
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(fmt.Sprint(e), "s3cr3tvalue") {
			t.Errorf("%T in the chain leaks the token: %v", e, e)
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) && strings.Contains(ue.URL, "s3cr3tvalue") {
		t.Errorf("*url.Error reached with errors.As leaks the token: %s", ue.URL)
	}
}

func FuzzStripURL(f *testing.F) {
	f.Add("https://u:p@h.example/x?token=abc#f")
	f.Add("http://[::1]:80/?x=%zz")
	f.Add("//u@h/x?y")
	f.Add("::")
	f.Fuzz(func(t *testing.T, raw string) {
		out := StripURL(raw)
		u, err := url.Parse(out)
		if err != nil {
			if strings.ContainsAny(out, "?#") {
				t.Fatalf("StripURL(%q) = %q keeps a query or fragment", raw, out)
			}
			return
		}
		if u.User != nil && u.User.String() != redacted {
			t.Fatalf("StripURL(%q) = %q keeps user information", raw, out)
		}
		if u.RawQuery != "" && u.RawQuery != redacted || u.Fragment != "" {
			t.Fatalf("StripURL(%q) = %q keeps a query or fragment", raw, out)
		}
	})
}
