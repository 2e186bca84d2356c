package euclid

import (
	"bytes"
	"context"
	"iter"
	"net/url"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// DefaultPageURL is the page linking the current pointing file (ACROSS
// SCHEDULE_PAGE_URL); links on it are relative to its host.
const DefaultPageURL = "https://www.cosmos.esa.int/web/euclid/where-is-euclid-observing"

// Options configure a [Source].
type Options struct {
	PageURL string
	connectors.HTTPOptions
}

// Source lists Euclid's planned pointings.
type Source struct {
	page *url.URL
	http *httpx.Client
}

// New returns a Euclid source.
func New(o Options) (*Source, error) {
	if o.PageURL == "" {
		o.PageURL = DefaultPageURL
	}
	us, err := schedfile.ParseURLs(Name, o.PageURL)
	if err != nil {
		return nil, err
	}
	return &Source{page: us[0], http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{PageURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "Euclid planned pointing file (whitespace-separated records)",
			Parse: Parse,
			Recognize: func(p string, head []byte) bool {
				return strings.HasSuffix(strings.ToLower(p), ".txt") && bytes.Contains(head, []byte("POINTING ")) &&
					(bytes.Contains(head, []byte("SLEW ")) || bytes.Contains(head, []byte("START ")))
			},
		}},
	})
}

// Name returns "euclid".
func (s *Source) Name() string { return Name }

// FileLink returns the pointing file's address from the page: the first
// link whose text names a .txt file, resolved against the page.
func FileLink(page *url.URL, body []byte) (string, error) {
	return schedfile.Link(Name, page, body, "a link to the pointing file (.txt)", func(text, _ string) bool {
		return strings.Contains(text, ".txt")
	})
}

// Activities lists the pointings of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		body, err := schedfile.FetchLinked(ctx, s.http, s.page, FileLink, "page", "pointing file")
		if err != nil {
			fail(err)
			return
		}
		res, err := Parse(body)
		if err != nil {
			fail(err)
			return
		}
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}
