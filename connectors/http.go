package connectors

import (
	"net/http"
	"time"
)

// HTTPOptions are the HTTP settings every connector takes, embedded in its
// options struct and in [Config]. The zero value uses the project's HTTP
// layer with its defaults (30 s per attempt, 4 retries with backoff and
// Retry-After, 2 requests per second per host, credentials redacted from
// errors and logs).
type HTTPOptions struct {
	// Transport replaces the network transport (tests, recorders).
	Transport http.RoundTripper
	// Client, when set, lends its Transport; the project's HTTP layer keeps
	// its retries, limits and redaction above it.
	Client *http.Client
	// Timeout bounds each attempt (default 30 s).
	Timeout time.Duration
	// Retries of a failed attempt (default 4; negative for none).
	Retries int
	// RatePerHost in requests per second (default 2; negative: unlimited).
	RatePerHost float64
}

// RoundTripper returns the transport to use: Transport, else Client's
// Transport, else nil (the default).
func (o HTTPOptions) RoundTripper() http.RoundTripper {
	if o.Transport != nil {
		return o.Transport
	}
	if o.Client != nil {
		return o.Client.Transport
	}
	return nil
}
