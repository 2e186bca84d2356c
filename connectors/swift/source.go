package swift

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "swift"

// DefaultBaseURL is the Swift API.
const DefaultBaseURL = "https://www.swift.psu.edu/api/v2"

// Options configure a [Source].
type Options struct {
	BaseURL string
	// Timelines to read; both when empty.
	Timelines []Timeline
	// Transport replaces the network transport (tests, recorders).
	Transport http.RoundTripper
	// HTTPClient, when set, lends its Transport; the project's HTTP layer
	// (internal/httpx) keeps its retries, limits and redaction above it.
	HTTPClient *http.Client
	// Timeout bounds each attempt (default 30 s).
	Timeout time.Duration
	// Retries of a failed attempt, with backoff and Retry-After (default 4;
	// negative for none).
	Retries int
	// RatePerHost in requests per second (default 2; negative: unlimited).
	RatePerHost float64
}

// Source lists Swift observations: completed ones from the as-flown
// timeline and planned ones from the pre-planned timeline. An observation
// in both is listed once, as completed.
type Source struct {
	opts   Options
	base   string
	http   *httpx.Client
	counts archive.Counts
}

// New returns a Swift source.
func New(o Options) (*Source, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if _, err := url.ParseRequestURI(base); err != nil {
		return nil, fmt.Errorf("%s: bad base URL %q: %w", Name, o.BaseURL, err)
	}
	if len(o.Timelines) == 0 {
		o.Timelines = []Timeline{AsFlown, Planned}
	}
	return &Source{opts: o, base: base, http: archive.NewHTTP(o.httpOptions())}, nil
}

func init() {
	connectors.Register(Name, func(cfg connectors.Config) (activities.Source, error) {
		o := Options{BaseURL: cfg.BaseURL, Transport: cfg.Transport, HTTPClient: cfg.HTTPClient}
		switch cfg.Settings["timeline"] {
		case "planned":
			o.Timelines = []Timeline{Planned}
		case "asflown", "as-flown":
			o.Timelines = []Timeline{AsFlown}
		}
		return New(o)
	})
}

// Name returns "swift".
func (s *Source) Name() string { return Name }

// Warnings returns the counts of the last listing by reason.
func (s *Source) Warnings() map[string]int { return s.counts.Map() }

// URL returns the query URL of a timeline for w.
func (s *Source) URL(tl Timeline, w activities.Window) string {
	start, end := w.Start, w.End
	if end.IsZero() {
		end = time.Now().Add(24 * time.Hour)
	}
	if start.IsZero() {
		start = end.Add(-48 * time.Hour)
	}
	path := "/swift/planquery"
	if tl == AsFlown {
		path = "/swift/obsquery"
	}
	q := url.Values{"begin": {start.UTC().Format("2006-01-02T15:04:05")}, "end": {end.UTC().Format("2006-01-02T15:04:05")}}
	return s.base + path + "?" + q.Encode()
}

// Activities lists the observations of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.counts.Reset()
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(Name, err)) }
		seen := map[string]bool{}
		for _, tl := range s.opts.Timelines {
			resp, err := s.http.Do(ctx, httpx.Request{URL: s.URL(tl, w), Header: http.Header{"Accept": {"application/json"}}})
			if err != nil {
				fail(err)
				return
			}
			res, err := ParseTimeline(resp.Body, tl)
			if err != nil {
				fail(fmt.Errorf("%s timeline: %w", tl, err))
				return
			}
			for k, v := range res.Skipped {
				s.counts.AddN("skipped: "+k, v)
			}
			for k, v := range res.Warnings {
				s.counts.AddN("warning: "+k, v)
			}
			for _, a := range res.Activities {
				if err := ctx.Err(); err != nil {
					fail(fmt.Errorf("listing: %w", err))
					return
				}
				if seen[a.ID] {
					s.counts.Add("skipped: planned observation already flown")
					continue
				}
				seen[a.ID] = true
				if !w.Overlaps(a.Start, a.End) {
					continue
				}
				if !yield(a, nil) {
					return
				}
			}
		}
	}
}

func (o Options) httpOptions() archive.HTTPOptions {
	return archive.HTTPOptions{Transport: o.Transport, HTTPClient: o.HTTPClient, Timeout: o.Timeout,
		Retries: o.Retries, RatePerHost: o.RatePerHost}
}
