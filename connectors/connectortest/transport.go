package connectortest

import (
	"errors"
	"net/http"
)

// StallTransport returns an http.RoundTripper whose requests never get an
// answer: each blocks until its context ends and then fails with the
// context's error. Open a source with it for Harness.NewStalled.
func StallTransport() http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
}

// ErrUpstream is the error FailTransport returns by default.
var ErrUpstream = errors.New("connectortest: upstream unreachable")

// FailTransport returns an http.RoundTripper whose requests all fail with
// err (ErrUpstream when nil), as an unreachable host would. Open a source
// with it for Harness.NewFailing.
func FailTransport(err error) http.RoundTripper {
	if err == nil {
		err = ErrUpstream
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		if e := r.Context().Err(); e != nil {
			return nil, e
		}
		return nil, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
