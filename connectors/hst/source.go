package hst

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Source names, the prefixes of their activities' IDs.
const (
	MASTName     = "hst-mast"
	TimelineName = "hst-timeline"
)

// Default addresses.
const (
	DefaultMASTURL     = "https://mast.stsci.edu/api/v0/invoke"
	DefaultTimelineURL = "https://www.stsci.edu/ftp/observing/weekly_timeline"
)

// ErrTruncated is matched when a MAST listing hit its page cap.
var ErrTruncated = archive.ErrTruncated

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

func (o Options) client() *httpx.Client { return archive.NewHTTP(o.httpOptions()) }

func init() {
	connectors.Register(MASTName, func(cfg connectors.Config) (activities.Source, error) {
		return NewMAST(Options{BaseURL: cfg.BaseURL, Transport: cfg.Transport, HTTPClient: cfg.HTTPClient})
	})
	connectors.Register(TimelineName, func(cfg connectors.Config) (activities.Source, error) {
		o := Options{BaseURL: cfg.BaseURL, Transport: cfg.Transport, HTTPClient: cfg.HTTPClient, PAECURL: cfg.Settings["paec"]}
		if o.PAECURL == "default" {
			o.PAECURL = DefaultPAECURL
		}
		return NewTimeline(o)
	})
}

// MASTSource lists HST observations completed and archived at MAST.
type MASTSource struct {
	opts   Options
	url    string
	http   *httpx.Client
	counts archive.Counts
}

// NewMAST returns the MAST source.
func NewMAST(o Options) (*MASTSource, error) {
	u := o.BaseURL
	if u == "" {
		u = DefaultMASTURL
	}
	if _, err := url.ParseRequestURI(u); err != nil {
		return nil, fmt.Errorf("%s: bad base URL %q: %w", MASTName, u, err)
	}
	if o.PageSize <= 0 {
		o.PageSize = 5000
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 20
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 2 * time.Second
	}
	if o.MaxPolls <= 0 {
		o.MaxPolls = 30
	}
	return &MASTSource{opts: o, url: u, http: o.client()}, nil
}

// Name returns "hst-mast".
func (s *MASTSource) Name() string { return MASTName }

// Warnings returns the counts of the last listing by reason.
func (s *MASTSource) Warnings() map[string]int { return s.counts.Map() }

// RequestBody returns the form body of the Mast.Caom.Filtered request for
// HST observations starting in w, page p (from 1).
func (s *MASTSource) RequestBody(w activities.Window, page int) string {
	start, end := w.Start, w.End
	if end.IsZero() {
		end = time.Now()
	}
	if start.IsZero() {
		start = end.Add(-24 * time.Hour)
	}
	req := map[string]any{
		"service": "Mast.Caom.Filtered",
		"format":  "json",
		"params": map[string]any{
			"columns": "*",
			"filters": []any{
				map[string]any{"paramName": "obs_collection", "values": []string{"HST"}},
				map[string]any{"paramName": "t_min", "values": []any{map[string]float64{"min": astro.GoToMJD(start), "max": astro.GoToMJD(end)}}},
			},
		},
		"pagesize": s.opts.PageSize,
		"page":     page,
	}
	b, _ := json.Marshal(req)
	return "request=" + url.QueryEscape(string(b))
}

// Activities lists the archived HST observations of w, page by page.
func (s *MASTSource) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.counts.Reset()
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(MASTName, err)) }
		for page := 1; ; page++ {
			rep, err := s.page(ctx, w, page)
			if err != nil {
				fail(err)
				return
			}
			res := rep.Result
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
				if !w.Overlaps(a.Start, a.End) {
					continue
				}
				if !yield(a, nil) {
					return
				}
			}
			if rep.Paging.PagesFiltered <= page {
				return
			}
			if page >= s.opts.MaxPages {
				fail(&archive.TruncatedError{Source: MASTName, Limit: page * s.opts.PageSize,
					Reason: fmt.Sprintf("%d of %d pages fetched (MaxPages)", page, rep.Paging.PagesFiltered)})
				return
			}
		}
	}
}

// page POSTs one page, re-POSTing while MAST answers EXECUTING.
func (s *MASTSource) page(ctx context.Context, w activities.Window, page int) (*MASTReply, error) {
	body := []byte(s.RequestBody(w, page))
	for poll := 1; ; poll++ {
		resp, err := s.http.Do(ctx, httpx.Request{Method: http.MethodPost, URL: s.url, Body: body,
			ContentType: "application/x-www-form-urlencoded", Header: http.Header{"Accept": {"application/json"}}})
		if err != nil {
			return nil, err
		}
		rep, err := ParseMAST(resp.Body)
		if err != nil {
			return nil, err
		}
		if rep.Status != MASTExecuting {
			return rep, nil
		}
		if poll >= s.opts.MaxPolls {
			return nil, fmt.Errorf("MAST still EXECUTING after %d polls", poll)
		}
		t := time.NewTimer(s.opts.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("waiting for MAST: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// TimelineSource lists the HST exposures planned in the STScI weekly
// observing timelines.
type TimelineSource struct {
	opts   Options
	base   string
	http   *httpx.Client
	counts archive.Counts

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

// Warnings returns the counts of the last listing by reason.
func (s *TimelineSource) Warnings() map[string]int { return s.counts.Map() }

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
		s.counts.Reset()
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(TimelineName, err)) }
		for _, u := range s.WeekURLs(w) {
			resp, err := s.http.Get(ctx, u, nil)
			if err != nil {
				var se *httpx.StatusError
				if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
					s.counts.Add("warning: weekly timeline not published")
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
			if pos := s.positions(ctx); pos != nil {
				placed := pos.Apply(res.Activities)
				s.counts.AddN("warning: no PAEC position", len(res.Activities)-placed)
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

// positions returns the PAEC index, fetching it when missing or a day old;
// a failed fetch is a counted warning (the activities keep no position).
func (s *TimelineSource) positions(ctx context.Context) Positions {
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
		s.counts.Add("warning: PAEC unavailable")
		return s.pos
	}
	rows, err := ParsePAEC(resp.Body)
	if err != nil {
		s.counts.Add("warning: PAEC unparsable")
		return s.pos
	}
	s.pos, s.posFetch = NewPositions(rows), time.Now()
	return s.pos
}
