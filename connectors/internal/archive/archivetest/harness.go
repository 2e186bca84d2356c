package archivetest

import (
	"net/http"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// Opener opens the source under test with rt as its transport (its HTTP
// options built with [Offline]).
type Opener func(rt http.RoundTripper) (activities.Source, error)

// Offline returns the HTTP options of a source under test on rt: no
// retries and no rate limit, so that a test sees each failure at once.
func Offline(rt http.RoundTripper) connectors.HTTPOptions {
	return connectors.HTTPOptions{Transport: rt, Retries: -1, RatePerHost: -1}
}

// On returns the source open gives on rt, failing t when it cannot be
// opened.
func On(t testing.TB, open Opener, rt http.RoundTripper) activities.Source {
	t.Helper()
	s, err := open(rt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Replay returns the source open gives on the repeatable replay of the
// cassette (a vcrtest cassette path without its extension).
func Replay(t testing.TB, open Opener, cassette string) activities.Source {
	t.Helper()
	return On(t, open, vcrtest.Replay(t, cassette, vcrtest.Repeatable()))
}

// Conformance runs connectortest's suite on the sources open gives: over
// the replayed cassette, against a stalled and a failing upstream, and on
// the suite's own transports; the listing of w must give at least min
// activities.
func Conformance(t *testing.T, open Opener, cassette string, w activities.Window, min int) {
	t.Helper()
	connectortest.Run(t, connectortest.Harness{
		New:           func(t *testing.T) activities.Source { return Replay(t, open, cassette) },
		NewStalled:    func(t *testing.T) activities.Source { return On(t, open, connectortest.StallTransport()) },
		NewFailing:    func(t *testing.T) activities.Source { return On(t, open, connectortest.FailTransport(nil)) },
		NewOn:         func(t *testing.T, rt http.RoundTripper) activities.Source { return On(t, open, rt) },
		Window:        w,
		MinActivities: min,
	})
}
