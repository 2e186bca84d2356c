package xmm

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
)

// Options configure a source.
type Options struct {
	// URL of the schedule page (default DefaultURL).
	URL string
	connectors.HTTPOptions
}

// Source reads the schedule page and lists the exposures overlapping a
// window.
type Source = schedfile.Source

// New returns an XMM-Newton source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	return schedfile.New(Name, o.URL, "text/html", Parse, o.HTTPOptions)
}

func init() {
	schedfile.Register(Name, func(u string, h connectors.HTTPOptions) (*Source, error) {
		return New(Options{URL: u, HTTPOptions: h})
	}, connectors.Parser{
		Name: Name, Help: "XMM-Newton short-term schedule table (HTML page, or CSV)",
		Parse: Parse,
		Recognize: func(p string, head []byte) bool {
			l := strings.ToLower(p)
			page := strings.HasSuffix(l, ".csv") || strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")
			return page && bytes.Contains(head, []byte("UTC Obs Start yyyy-mm-dd hh:mm:ss"))
		},
	})
}
