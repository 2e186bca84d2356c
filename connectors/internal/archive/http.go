package archive

import (
	"net/http"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// HTTPOptions are the HTTP settings every archive connector exposes; they
// map onto the project's HTTP layer, internal/httpx.
type HTTPOptions struct {
	// Transport replaces the network transport (tests, recorders).
	Transport http.RoundTripper
	// HTTPClient, when set, lends its Transport (httpx keeps its own
	// retries, limits and redaction above it).
	HTTPClient *http.Client
	// Timeout bounds each attempt (httpx default 30 s).
	Timeout time.Duration
	// Retries of a failed attempt (httpx default 4; negative for none).
	Retries int
	// RatePerHost in requests per second (httpx default 2; negative for
	// unlimited).
	RatePerHost float64
	// Auth adds credentials (cookies, tokens) without ever logging them.
	Auth httpx.Auth
}

// NewHTTP returns the httpx client for o.
func NewHTTP(o HTTPOptions) *httpx.Client {
	t := o.Transport
	if t == nil && o.HTTPClient != nil {
		t = o.HTTPClient.Transport
	}
	return httpx.New(httpx.Options{Transport: t, Timeout: o.Timeout, MaxRetries: o.Retries,
		RatePerHost: o.RatePerHost, Auth: o.Auth})
}
