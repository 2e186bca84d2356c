package archive

import (
	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// NewHTTP returns the httpx client for o, adding auth (cookies, tokens)
// without ever logging it; auth may be nil.
func NewHTTP(o connectors.HTTPOptions, auth httpx.Auth) *httpx.Client {
	return httpx.New(httpx.Options{Transport: o.RoundTripper(), Timeout: o.Timeout, MaxRetries: o.Retries,
		RatePerHost: o.RatePerHost, Auth: auth})
}

// Wrap is the error a listing yields: err classified under its shared kind
// (connectors.Classify) and wrapped in an activities.SourceError naming
// the source.
func Wrap(source string, err error) error {
	return activities.WrapError(source, connectors.Classify(err))
}
