package archive

import (
	"context"
	"fmt"
	"net/http"

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

// GetPage returns the body of the web page at u, asked for as text/html.
func GetPage(ctx context.Context, c *httpx.Client, u string) ([]byte, error) {
	resp, err := c.Do(ctx, httpx.Request{URL: u, Header: http.Header{"Accept": {"text/html"}}})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Wrap is the error a listing yields: err classified under its shared kind
// (connectors.Classify) and wrapped in an activities.SourceError naming
// the source.
func Wrap(source string, err error) error {
	return activities.WrapError(source, connectors.Classify(err))
}

// Emit yields the activities of acts that overlap w, checking ctx before
// each. It reports false when the listing must stop: the consumer stopped,
// or ctx ended, whose error (wrapped) it then returns for the caller to
// yield.
func Emit(ctx context.Context, w activities.Window, acts []activities.Activity, yield func(activities.Activity, error) bool) (bool, error) {
	for _, a := range acts {
		if err := ctx.Err(); err != nil {
			return false, fmt.Errorf("listing: %w", err)
		}
		if !w.Overlaps(a.Start, a.End) {
			continue
		}
		if !yield(a, nil) {
			return false, nil
		}
	}
	return true, nil
}

// BoolSetting reads the connector setting key: "" gives def, "true" and
// "false" their value, anything else an error naming the key.
func BoolSetting(settings map[string]string, key string, def bool) (bool, error) {
	switch v := settings[key]; v {
	case "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return def, fmt.Errorf("setting %q %q: want true or false: %w", key, v, connectors.ErrInvalid)
	}
}
