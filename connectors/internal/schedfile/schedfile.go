// Package schedfile is what the connectors that read a whole published
// schedule file (NICER's timeline CSV, NuSTAR's and IXPE's plan pages,
// ...) share: one GET through the project's HTTP layer, the connector's
// parser, the window applied to the activities, and the listing's counts
// recorded in the connectors.Stats its context carries.
package schedfile

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Parse turns one reply body into activities.
type Parse func(body []byte) (*connectors.Reply, error)

// Source lists the activities of one schedule file that overlap a window.
type Source struct {
	name, url string
	accept    string
	parse     Parse
	http      *httpx.Client
}

// New returns a source named name reading the file at fileURL (absolute)
// with parse; accept is the Accept header sent.
func New(name, fileURL, accept string, parse Parse, o connectors.HTTPOptions) (*Source, error) {
	if _, err := ParseURLs(name, fileURL); err != nil {
		return nil, err
	}
	return &Source{name: name, url: fileURL, accept: accept, parse: parse, http: archive.NewHTTP(o, nil)}, nil
}

// Name returns the source's name.
func (s *Source) Name() string { return s.name }

// URL returns the file's address.
func (s *Source) URL() string { return s.url }

// Activities reads the file and yields its activities that overlap w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(s.name, err)) }
		h := http.Header{}
		if s.accept != "" {
			h.Set("Accept", s.accept)
		}
		resp, err := s.http.Do(ctx, httpx.Request{URL: s.url, Header: h})
		if err != nil {
			fail(err)
			return
		}
		res, err := s.parse(resp.Body)
		if err != nil {
			fail(err)
			return
		}
		Emit(ctx, s.name, w, res, connectors.StatsFrom(ctx), yield)
	}
}

// Emit records res's records, skips and warnings in st (nil ignores them) and yields the activities that overlap w, in order. It
// stops with an error naming the source when ctx ends, and reports whether
// the listing may go on (false once yield has declined or an error was
// yielded).
func Emit(ctx context.Context, name string, w activities.Window, res *connectors.Reply, st *connectors.Stats,
	yield func(activities.Activity, error) bool) bool {
	st.AddReply(res)
	for _, a := range res.Activities {
		if err := ctx.Err(); err != nil {
			yield(activities.Activity{}, archive.Wrap(name, fmt.Errorf("listing: %w", err)))
			return false
		}
		if !w.Overlaps(a.Start, a.End) {
			continue
		}
		if !yield(a, nil) {
			return false
		}
	}
	return true
}

// Register registers the connector name whose driver opens a file source
// with open (given the configuration's BaseURL and HTTPOptions) and reads
// files with parsers.
func Register(name string, open func(url string, o connectors.HTTPOptions) (*Source, error), parsers ...connectors.Parser) {
	connectors.Register(name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return open(cfg.BaseURL, cfg.HTTPOptions)
		},
		Parsers: parsers,
	})
}
