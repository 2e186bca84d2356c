package mast

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "mast"

// DefaultURL is MAST's Portal API endpoint.
const DefaultURL = "https://mast.stsci.edu/api/v0/invoke"

// DefaultCollection is the collection listed when Options.Collection is
// empty.
const DefaultCollection = "HST"

// Options configure a source.
type Options struct {
	// Collection is the obs_collection listed (default DefaultCollection):
	// "HST", "JWST", "TESS", ... (see Collections; others are accepted and
	// keep Facility = Collection).
	Collection string
	// Name is the source's name and its activities' ID prefix (default
	// Name): hst-mast is this source with Name "hst-mast".
	Name string
	// BaseURL replaces DefaultURL.
	BaseURL string
	// PageSize of requests (default 5000) and MaxPages per listing
	// (default 20); more pages are reported as truncation.
	PageSize, MaxPages int
	// PollInterval between re-POSTs while MAST answers EXECUTING (default
	// 2 s); MaxPolls caps them (default 30).
	PollInterval time.Duration
	MaxPolls     int
	connectors.HTTPOptions
}

// Source lists the observations of one collection archived at MAST, by
// Mast.Caom.Filtered on obs_collection and a t_min window.
type Source struct {
	opts Options
	url  string
	http *httpx.Client
}

// New returns a MAST source.
func New(o Options) (*Source, error) {
	if o.Name == "" {
		o.Name = Name
	}
	o.Collection = strings.TrimSpace(o.Collection)
	if o.Collection == "" {
		o.Collection = DefaultCollection
	}
	if strings.ContainsAny(o.Collection, ",;\"'") {
		return nil, fmt.Errorf("%s: collection %q: one obs_collection value, without separators", o.Name, o.Collection)
	}
	u := o.BaseURL
	if u == "" {
		u = DefaultURL
	}
	if _, err := url.ParseRequestURI(u); err != nil {
		return nil, fmt.Errorf("%s: bad base URL %q: %w", o.Name, u, err)
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
	return &Source{opts: o, url: u, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

// Name returns the source's name.
func (s *Source) Name() string { return s.opts.Name }

// Collection returns the collection listed.
func (s *Source) Collection() string { return s.opts.Collection }

// RequestBody returns the form body of the Mast.Caom.Filtered request for
// the collection's observations starting in w, page p (from 1).
func (s *Source) RequestBody(w activities.Window, page int) string {
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
				map[string]any{"paramName": "obs_collection", "values": []string{s.opts.Collection}},
				map[string]any{"paramName": "t_min", "values": []any{map[string]float64{"min": astro.GoToMJD(start), "max": astro.GoToMJD(end)}}},
			},
		},
		"pagesize": s.opts.PageSize,
		"page":     page,
	}
	b, _ := json.Marshal(req)
	return "request=" + url.QueryEscape(string(b))
}

// Activities lists the archived observations of w, page by page.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(s.opts.Name, err)) }
		for page := 1; ; page++ {
			rep, err := s.page(ctx, w, page)
			if err != nil {
				fail(err)
				return
			}
			res := rep.Result
			st.AddReply(res)
			if more, err := archive.Emit(ctx, w, res.Activities, yield); !more {
				if err != nil {
					fail(err)
				}
				return
			}
			if rep.Paging.PagesFiltered <= page {
				return
			}
			if page >= s.opts.MaxPages {
				fail(&connectors.TruncatedError{Source: s.opts.Name, Limit: page * s.opts.PageSize,
					Reason: fmt.Sprintf("%d of %d pages fetched (MaxPages)", page, rep.Paging.PagesFiltered)})
				return
			}
		}
	}
}

// page POSTs one page, re-POSTing while MAST answers EXECUTING.
func (s *Source) page(ctx context.Context, w activities.Window, page int) (*Reply, error) {
	body := []byte(s.RequestBody(w, page))
	for poll := 1; ; poll++ {
		resp, err := s.http.Do(ctx, httpx.Request{Method: http.MethodPost, URL: s.url, Body: body,
			ContentType: "application/x-www-form-urlencoded", Header: http.Header{"Accept": {"application/json"}}})
		if err != nil {
			return nil, err
		}
		rep, err := Parse(resp.Body, s.opts.Name, s.opts.Collection)
		if err != nil {
			return nil, err
		}
		if rep.Status != Executing {
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

// ParseReply is the recorded-reply parser: every row of a COMPLETE reply,
// each by its own obs_collection, as activities of the source "mast".
func ParseReply(b []byte) (*connectors.Reply, error) {
	rep, err := Parse(b, Name, "")
	if err != nil {
		return nil, err
	}
	if rep.Result == nil {
		return nil, fmt.Errorf("%s: MAST reply status %s: no rows yet", Name, rep.Status)
	}
	return rep.Result, nil
}

func inMASTFolder(p string) bool {
	return slices.Contains(strings.Split(p, "/"), "mast")
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{BaseURL: cfg.BaseURL, Collection: cfg.Settings["collection"], HTTPOptions: cfg.HTTPOptions})
		},
		Settings: map[string]string{"collection": "MAST obs_collection to list (default HST): JWST, TESS, HST, ..."},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "MAST Mast.Caom.Filtered/Cone invoke reply (JSON), every collection",
			Parse: ParseReply,
			// A MAST reply under a folder named mast (this package's
			// testdata, the replay set's mast/); elsewhere hst-mast
			// recognizes them, as before.
			Recognize: func(p string, head []byte) bool {
				h := bytes.TrimLeft(head, " \t\r\n\ufeff")
				return strings.HasSuffix(strings.ToLower(p), ".json") && inMASTFolder(p) && len(h) > 0 && h[0] == '{' && bytes.Contains(head, []byte(`"obs_collection"`))
			},
		}},
	})
}
