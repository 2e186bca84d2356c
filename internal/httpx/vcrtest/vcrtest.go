// Package vcrtest replays recorded HTTP interactions (go-vcr cassettes) in
// tests of packages built on httpx, and writes such cassettes from response
// bodies captured from the real services.
//
// A connector test replays a cassette through its client:
//
//	func TestQuery(t *testing.T) {
//		c := httpx.New(httpx.Options{Transport: vcrtest.Replay(t, "testdata/eso_query.yaml")})
//		resp, err := c.Get(ctx, "https://archive.eso.org/tap_obs/sync", q)
//		...
//	}
//
// and the cassette is written once, from a body saved from the real
// service, together with the request that produced it and where it came
// from:
//
//	err := vcrtest.NewCassette("testdata/eso_query.yaml",
//		"ESO TAP response saved with curl on 2026-11-27").
//		Add(vcrtest.Interaction{
//			Method: "POST", URL: "https://archive.eso.org/tap_obs/sync",
//			Form:   url.Values{"QUERY": {"SELECT ..."}},
//			ContentType: "application/x-votable+xml", Body: body,
//		}).
//		Save()
package vcrtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// ReplayOption adjusts Replay.
type ReplayOption func(*replayConfig)

type replayConfig struct{ repeatable bool }

// Repeatable lets every interaction be replayed any number of times (the
// first matching one is always used). By default each recorded interaction
// is used once, in order, so that a cassette can hold a sequence such as
// "503, 503, 200" for the same request.
func Repeatable() ReplayOption { return func(c *replayConfig) { c.repeatable = true } }

// Replay returns a RoundTripper that answers from the cassette at
// cassettePath (the ".yaml" suffix is optional) and never touches the
// network. Requests are matched on method, URL (query parameters in any
// order) and body (form bodies in any order); headers are ignored. A
// request with no matching interaction fails the test and gets an
// httpx.Permanent error, so that clients do not retry it. A missing or
// unreadable cassette fails the test at once.
func Replay(t testing.TB, cassettePath string, opts ...ReplayOption) http.RoundTripper {
	t.Helper()
	var cfg replayConfig
	for _, o := range opts {
		o(&cfg)
	}
	name := strings.TrimSuffix(cassettePath, ".yaml")
	rec, err := recorder.New(name,
		recorder.WithMode(recorder.ModeReplayOnly),
		recorder.WithMatcher(Match),
		recorder.WithSkipRequestLatency(true),
		recorder.WithReplayableInteractions(cfg.repeatable),
	)
	if err != nil {
		t.Fatalf("vcrtest: loading cassette %s: %v", cassettePath, err)
		return nil
	}
	return &replayer{t: t, rec: rec, path: cassettePath}
}

type replayer struct {
	t    testing.TB
	rec  *recorder.Recorder
	path string
}

func (r *replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.rec.RoundTrip(req)
	if err != nil {
		if errors.Is(err, cassette.ErrInteractionNotFound) {
			err = fmt.Errorf("vcrtest: %s %s is not recorded (or already replayed) in %s: %w",
				req.Method, httpx.RedactURL(req.URL.String()), r.path, err)
			r.t.Errorf("%v", err)
		}
		return nil, httpx.Permanent(err)
	}
	return resp, nil
}

// Match is the matcher Replay uses: same method, same URL once both query
// strings are put in canonical order, and same body (form bodies compared as
// sorted forms). Headers are not compared.
func Match(r *http.Request, i cassette.Request) bool {
	if !strings.EqualFold(r.Method, i.Method) {
		return false
	}
	if canonicalURL(r.URL.String()) != canonicalURL(i.URL) {
		return false
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return false
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if isForm(r.Header.Get("Content-Type")) {
		return canonicalForm(string(body)) == canonicalForm(i.Body)
	}
	return string(body) == i.Body
}

func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func canonicalForm(s string) string {
	v, err := url.ParseQuery(s)
	if err != nil {
		return s
	}
	return v.Encode()
}

func canonicalURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	if q, err := url.ParseQuery(u.RawQuery); err == nil {
		u.RawQuery = q.Encode()
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}
