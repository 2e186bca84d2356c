package tess

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
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
	connectors.HTTPOptions
}

// Source lists TESS's planned sector observations.
type Source struct {
	o    Options
	http *httpx.Client
}

// New returns a TESS source.
func New(o Options) (*Source, error) {
	if o.PointingsURL == "" {
		o.PointingsURL = DefaultPointingsURL
	}
	if o.OrbitsURL == "" {
		o.OrbitsURL = DefaultOrbitsURL
	}
	if _, err := schedfile.ParseURLs(Name, o.PointingsURL, o.OrbitsURL); err != nil {
		return nil, err
	}
	return &Source{o: o, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "TESS sector pointings (tesswcs pointings.csv; a placeholder per sector)",
			Parse: ParsePointingsOnly,
			Recognize: func(p string, head []byte) bool {
				return obscore.IsTableFile(p) && bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff"), []byte("Cycle,Sector,RA,Dec,Roll,Start,End"))
			},
			Roles: roles, Join: JoinReplies,
		}},
	})
}

// Name returns "tess".
func (s *Source) Name() string { return Name }

func (s *Source) get(ctx context.Context, u string) ([]byte, error) {
	resp, err := s.http.Do(ctx, httpx.Request{URL: u, Header: http.Header{"Accept": {"text/csv"}}})
	if err != nil {
		return nil, err
	}
	if title, ok := archive.LooksLikeHTML(resp.Body); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "a CSV file", Title: title}
	}
	return resp.Body, nil
}

// Activities lists the orbit intervals (or sector placeholders) of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
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
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}
