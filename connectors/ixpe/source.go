package ixpe

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
)

// Options configure a source.
type Options struct {
	// URL of the plan page (default DefaultURL).
	URL string
	connectors.HTTPOptions
}

// Source reads the plan page and lists the rows overlapping a window.
type Source = schedfile.Source

// New returns an IXPE source.
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
		Name: Name, Help: "IXPE Long-Term Plan page (HTML)",
		Parse: Parse,
		Recognize: func(p string, head []byte) bool {
			l := strings.ToLower(p)
			return (strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")) && bytes.Contains(head, []byte("IXPE: Long Term Plan"))
		},
	})
}
