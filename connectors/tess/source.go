package tess

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// The two files, as ACROSS reads them (TESS_POINTINGS_FILE,
// TESS_ORBIT_TIMES_FILE).
const (
	DefaultPointingsURL = "https://raw.githubusercontent.com/tessgi/tesswcs/main/src/tesswcs/data/pointings.csv"
	DefaultOrbitsURL    = "https://tess.mit.edu/public/files/TESS_orbit_times.csv"
)

// Options configure a [Source].
type Options struct {
	PointingsURL, OrbitsURL string
	// Transport, HTTPClient, Timeout, Retries and RatePerHost configure
	// the HTTP layer.
	Transport   http.RoundTripper
	HTTPClient  *http.Client
	Timeout     time.Duration
	Retries     int
	RatePerHost float64
}

// Source lists TESS's planned sector observations.
type Source struct {
	o      Options
	http   *httpx.Client
	counts archive.Counts
}

// New returns a TESS source.
func New(o Options) (*Source, error) {
	if o.PointingsURL == "" {
		o.PointingsURL = DefaultPointingsURL
	}
	if o.OrbitsURL == "" {
		o.OrbitsURL = DefaultOrbitsURL
	}
	for _, u := range []string{o.PointingsURL, o.OrbitsURL} {
		if p, err := url.Parse(u); err != nil || !p.IsAbs() || p.Host == "" {
			return nil, fmt.Errorf("%s: bad URL %q", Name, httpx.RedactURL(u))
		}
	}
	return &Source{o: o, http: archive.NewHTTP(archive.HTTPOptions{Transport: o.Transport, HTTPClient: o.HTTPClient,
		Timeout: o.Timeout, Retries: o.Retries, RatePerHost: o.RatePerHost})}, nil
}

func init() {
	connectors.Register(Name, func(cfg connectors.Config) (activities.Source, error) {
		if len(cfg.Settings) > 0 {
			return nil, fmt.Errorf("%s takes no settings", Name)
		}
		return New(Options{Transport: cfg.Transport, HTTPClient: cfg.HTTPClient})
	})
}

// Name returns "tess".
func (s *Source) Name() string { return Name }

// Warnings returns the counts of the last listing by reason.
func (s *Source) Warnings() map[string]int { return s.counts.Map() }

func (s *Source) get(ctx context.Context, u string) ([]byte, error) {
	resp, err := s.http.Do(ctx, httpx.Request{URL: u, Header: http.Header{"Accept": {"text/csv"}}})
	if err != nil {
		return nil, err
	}
	if title, ok := archive.LooksLikeHTML(resp.Body); ok {
		return nil, &archive.HTMLError{Source: Name, What: "a CSV file", Title: title}
	}
	return resp.Body, nil
}

// Activities lists the orbit intervals (or sector placeholders) of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.counts.Reset()
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(Name, err)) }
		pb, err := s.get(ctx, s.o.PointingsURL)
		if err != nil {
			fail(fmt.Errorf("pointings: %w", err))
			return
		}
		ob, err := s.get(ctx, s.o.OrbitsURL)
		if err != nil {
			fail(fmt.Errorf("orbit times: %w", err))
			return
		}
		ps, skipped, err := ParsePointings(pb)
		if err != nil {
			fail(err)
			return
		}
		orbits, err := ParseOrbits(ob)
		if err != nil {
			fail(err)
			return
		}
		res := Plan(ps, orbits)
		for range skipped {
			res.Records++
			res.Skip(SkipBadPointing)
		}
		schedfile.Emit(ctx, Name, w, res, &s.counts, yield)
	}
}
