// Package schedfile is what the connectors that read a whole published
// schedule file (NICER's timeline CSV, NuSTAR's and IXPE's plan pages,
// ...) share: one GET through the project's HTTP layer, the connector's
// parser, the window applied to the activities, and the per-reason counts
// of the last listing.
package schedfile

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Parse turns one reply body into activities.
type Parse func(body []byte) (*archive.Result, error)

// Source lists the activities of one schedule file that overlap a window.
type Source struct {
	name, url string
	accept    string
	parse     Parse
	http      *httpx.Client
	counts    archive.Counts
}

// New returns a source named name reading the file at fileURL (absolute)
// with parse; accept is the Accept header sent.
func New(name, fileURL, accept string, parse Parse, o archive.HTTPOptions) (*Source, error) {
	u, err := url.Parse(fileURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%s: bad URL %q", name, httpx.RedactURL(fileURL))
	}
	return &Source{name: name, url: fileURL, accept: accept, parse: parse, http: archive.NewHTTP(o)}, nil
}

// Name returns the source's name.
func (s *Source) Name() string { return s.name }

// URL returns the file's address.
func (s *Source) URL() string { return s.url }

// Warnings returns the counts of the last listing by reason ("skipped:
// ..." and "warning: ...").
func (s *Source) Warnings() map[string]int { return s.counts.Map() }

// Activities reads the file and yields its activities that overlap w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.counts.Reset()
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(s.name, err)) }
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
		Emit(ctx, s.name, w, res, &s.counts, yield)
	}
}

// Emit records res's skips and warnings in counts ("skipped: ..." and
// "warning: ...") and yields the activities that overlap w, in order. It
// stops with an error naming the source when ctx ends, and reports whether
// the listing may go on (false once yield has declined or an error was
// yielded).
func Emit(ctx context.Context, name string, w activities.Window, res *archive.Result, counts *archive.Counts,
	yield func(activities.Activity, error) bool) bool {
	for k, v := range res.Skipped {
		counts.AddN("skipped: "+k, v)
	}
	for k, v := range res.Warnings {
		counts.AddN("warning: "+k, v)
	}
	for _, a := range res.Activities {
		if err := ctx.Err(); err != nil {
			yield(activities.Activity{}, activities.WrapError(name, err))
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
