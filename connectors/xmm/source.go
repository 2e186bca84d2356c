package xmm

import (
	"fmt"
	"net/http"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
)

// Options configure a source.
type Options struct {
	// URL of the schedule page (default DefaultURL).
	URL string
	// Transport, HTTPClient, Timeout, Retries and RatePerHost configure
	// the HTTP layer.
	Transport   http.RoundTripper
	HTTPClient  *http.Client
	Timeout     time.Duration
	Retries     int
	RatePerHost float64
}

// Source reads the schedule page and lists the exposures overlapping a
// window.
type Source = schedfile.Source

// New returns an XMM-Newton source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	return schedfile.New(Name, o.URL, "text/html", Parse, archive.HTTPOptions{Transport: o.Transport,
		HTTPClient: o.HTTPClient, Timeout: o.Timeout, Retries: o.Retries, RatePerHost: o.RatePerHost})
}

func init() {
	connectors.Register(Name, func(cfg connectors.Config) (activities.Source, error) {
		if len(cfg.Settings) > 0 {
			return nil, fmt.Errorf("%s takes no settings", Name)
		}
		return New(Options{URL: cfg.BaseURL, Transport: cfg.Transport, HTTPClient: cfg.HTTPClient})
	})
}
