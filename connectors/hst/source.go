package hst

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/mast"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Source names, the prefixes of their activities' IDs.
const (
	MASTName     = "hst-mast"
	TimelineName = "hst-timeline"
)

// Default addresses.
const (
	DefaultMASTURL     = mast.DefaultURL
	DefaultTimelineURL = "https://www.stsci.edu/ftp/observing/weekly_timeline"
)

// Options configure the HST sources.
type Options struct {
	// BaseURL replaces DefaultMASTURL (MAST source) or DefaultTimelineURL
	// (timeline source).
	BaseURL string
	// PageSize of MAST requests (default 5000) and MaxPages per listing
	// (default 20); more pages are reported as truncation.
	PageSize, MaxPages int
	// PAECURL, when set (DefaultPAECURL, a mirror or a local copy served
	// over HTTP), is fetched at most once a day by the timeline source to
	// give its activities coordinates; the weekly timeline has none.
	PAECURL string
	// PollInterval between re-POSTs while MAST answers EXECUTING (default
	// 2 s); MaxPolls caps them (default 30).
	PollInterval time.Duration
	MaxPolls     int
	connectors.HTTPOptions
}

func (o Options) client() *httpx.Client { return archive.NewHTTP(o.HTTPOptions, nil) }

func init() {
	connectors.Register(MASTName, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return NewMAST(Options{BaseURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: "hst-mast", Help: "MAST Mast.Caom.Filtered/Cone invoke reply (JSON)",
			Parse: func(b []byte) (*connectors.Reply, error) {
				rep, err := ParseMAST(b)
				if err != nil {
					return nil, err
				}
				if rep.Result == nil {
					return nil, fmt.Errorf("MAST reply status %s: no rows yet", rep.Status)
				}
				return rep.Result, nil
			},
			Recognize: func(p string, head []byte) bool {
				h := bytes.TrimLeft(head, " \t\r\n\ufeff")
				return strings.HasSuffix(strings.ToLower(p), ".json") && len(h) > 0 && h[0] == '{' && bytes.Contains(head, []byte(`"obs_collection"`))
			},
		}},
	})
	connectors.Register(TimelineName, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{BaseURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions, PAECURL: cfg.Settings["paec"]}
			if o.PAECURL == "default" {
				o.PAECURL = DefaultPAECURL
			}
			return NewTimeline(o)
		},
		Settings: map[string]string{"paec": "URL of the PAEC file giving positions (\"default\": " + DefaultPAECURL + ")"},
		Parsers: []connectors.Parser{{
			Name: "hst-timeline", Help: "STScI weekly observing timeline (fixed-width text)",
			Parse: ParseTimeline,
			Recognize: func(p string, head []byte) bool {
				return !strings.HasSuffix(p, ".yaml") && bytes.Contains(head, []byte("HST  Observing  Timeline"))
			},
		}},
	})
}

// MASTSource lists HST observations completed and archived at MAST: the
// mast source with collection HST, named hst-mast.
type MASTSource struct {
	*mast.Source
}

// NewMAST returns the MAST source.
func NewMAST(o Options) (*MASTSource, error) {
	s, err := mast.New(mast.Options{Collection: "HST", Name: MASTName, BaseURL: o.BaseURL, PageSize: o.PageSize, MaxPages: o.MaxPages,
		PollInterval: o.PollInterval, MaxPolls: o.MaxPolls, HTTPOptions: o.HTTPOptions})
	if err != nil {
		return nil, err
	}
	return &MASTSource{s}, nil
}

// TimelineSource lists the HST exposures planned in the STScI weekly
// observing timelines.
type TimelineSource struct {
	opts Options
	base string
	http *httpx.Client

	mu       sync.Mutex
	pos      Positions // from the PAEC, when Options.PAECURL is set
	posFetch time.Time
}

// NewTimeline returns the timeline source.
func NewTimeline(o Options) (*TimelineSource, error) {
	u := strings.TrimRight(o.BaseURL, "/")
	if u == "" {
		u = DefaultTimelineURL
	}
	if _, err := url.ParseRequestURI(u); err != nil {
		return nil, fmt.Errorf("%s: bad base URL %q: %w", TimelineName, u, err)
	}
	return &TimelineSource{opts: o, base: u, http: o.client()}, nil
}

// Name returns "hst-timeline".
func (s *TimelineSource) Name() string { return TimelineName }

// WeekURLs returns the URLs of the weekly timelines covering w: one per
// Monday, named timeline_MM_DD_YY.
func (s *TimelineSource) WeekURLs(w activities.Window) []string {
	start, end := w.Start, w.End
	if start.IsZero() {
		start = time.Now()
	}
	if end.IsZero() || end.Before(start) {
		end = start.Add(time.Nanosecond)
	}
	d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // back to Monday
	var out []string
	for ; d.Before(end) && len(out) < 60; d = d.AddDate(0, 0, 7) {
		out = append(out, s.base+"/"+d.Format("timeline_01_02_06"))
	}
	return out
}

// Activities lists the planned exposures of w.
func (s *TimelineSource) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(TimelineName, err)) }
		for _, u := range s.WeekURLs(w) {
			resp, err := s.http.Get(ctx, u, nil)
			if err != nil {
				var se *httpx.StatusError
				if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
					st.Warn("weekly timeline not published", 1)
					continue
				}
				fail(err)
				return
			}
			res, err := ParseTimeline(resp.Body)
			if err != nil {
				fail(fmt.Errorf("%s: %w", httpx.RedactURL(u), err))
				return
			}
			if pos := s.positions(ctx, st); pos != nil {
				placed := pos.Apply(res.Activities)
				st.Warn("no PAEC position", len(res.Activities)-placed)
			}
			st.AddReply(res)
			if more, err := archive.Emit(ctx, w, res.Activities, yield); !more {
				if err != nil {
					fail(err)
				}
				return
			}
		}
	}
}

// positions returns the PAEC index, fetching it when missing or a day old;
// a failed fetch is a counted warning (the activities keep no position).
func (s *TimelineSource) positions(ctx context.Context, st *connectors.Stats) Positions {
	if s.opts.PAECURL == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pos != nil && time.Since(s.posFetch) < 24*time.Hour {
		return s.pos
	}
	resp, err := s.http.Get(ctx, s.opts.PAECURL, nil)
	if err != nil {
		st.Warn("PAEC unavailable", 1)
		return s.pos
	}
	rows, err := ParsePAEC(resp.Body)
	if err != nil {
		st.Warn("PAEC unparsable", 1)
		return s.pos
	}
	s.pos, s.posFetch = NewPositions(rows), time.Now()
	return s.pos
}
