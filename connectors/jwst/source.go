package jwst

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Default addresses: the schedules page (ACROSS
// JWST_SCIENCE_EXECUTION_PLAN_URL) and MAST's invoke endpoint.
const (
	DefaultPageURL = "https://www.stsci.edu/jwst/science-execution/observing-schedules"
	DefaultMASTURL = "https://mast.stsci.edu/api/v0/invoke"
	// LinkContains marks the schedule files' links on the page.
	LinkContains = "jwst/science-execution/observing-schedules/_documents"
	// MASTPageSize is the row limit asked of MAST.
	MASTPageSize = 5000
)

// Options configure a [Source].
type Options struct {
	PageURL, MASTURL string
	// NoMAST skips the MAST query: activities then have no position.
	NoMAST bool
	connectors.HTTPOptions
}

// Source lists JWST's scheduled visits.
type Source struct {
	o    Options
	page *url.URL
	http *httpx.Client
}

// New returns a JWST source.
func New(o Options) (*Source, error) {
	if o.PageURL == "" {
		o.PageURL = DefaultPageURL
	}
	if o.MASTURL == "" {
		o.MASTURL = DefaultMASTURL
	}
	var page *url.URL
	for i, raw := range []string{o.PageURL, o.MASTURL} {
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return nil, fmt.Errorf("%s: bad URL %q", Name, httpx.RedactURL(raw))
		}
		if i == 0 {
			page = u
		}
	}
	return &Source{o: o, page: page, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{PageURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "JWST weekly observing schedule (fixed-width text; no positions without MAST)",
			Parse: ParseSchedule,
			Recognize: func(p string, head []byte) bool {
				return strings.HasSuffix(strings.ToLower(p), ".txt") && bytes.Contains(head, []byte("Visit Information for OP Package")) &&
					bytes.Contains(head, []byte("VISIT ID"))
			},
		}},
	})
}

// Name returns "jwst".
func (s *Source) Name() string { return Name }

// ScheduleLink returns the newest schedule file's address from the page:
// the first link whose href holds LinkContains, resolved against the page.
func ScheduleLink(page *url.URL, body []byte) (string, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("%s: page: %w", Name, err)
	}
	var href string
	doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		h, _ := a.Attr("href")
		if strings.Contains(h, LinkContains) {
			href = h
			return false
		}
		return true
	})
	if href == "" {
		title := strings.TrimSpace(doc.Find("title").First().Text())
		return "", &connectors.HTMLError{Source: Name, What: "a link to a schedule file", Title: title}
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "", &connectors.SchemaError{Source: Name, Column: "a[href]", Reason: fmt.Sprintf("bad link %.60q", href)}
	}
	return page.ResolveReference(ref).String(), nil
}

// MASTRequest is the form body of the Mast.Caom.Filtered query for the
// proposals (the request the hst connector sends, with these filters).
func MASTRequest(proposals []string) string {
	req := map[string]any{
		"service": "Mast.Caom.Filtered",
		"format":  "json",
		"params": map[string]any{
			"columns": strings.Join(MASTColumns, ","),
			"filters": []any{
				map[string]any{"paramName": "obs_collection", "values": []string{"JWST"}},
				map[string]any{"paramName": "proposal_id", "values": proposals},
			},
		},
		"pagesize": MASTPageSize,
		"page":     1,
	}
	b, _ := json.Marshal(req)
	return "request=" + url.QueryEscape(string(b))
}

// Activities lists the visits of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		resp, err := s.http.Do(ctx, httpx.Request{URL: s.page.String(), Header: http.Header{"Accept": {"text/html"}}})
		if err != nil {
			fail(fmt.Errorf("schedules page: %w", err))
			return
		}
		file, err := ScheduleLink(s.page, resp.Body)
		if err != nil {
			fail(err)
			return
		}
		resp, err = s.http.Do(ctx, httpx.Request{URL: file, Header: http.Header{"Accept": {"text/plain"}}})
		if err != nil {
			fail(fmt.Errorf("schedule file: %w", err))
			return
		}
		res, err := ParseSchedule(resp.Body)
		if err != nil {
			fail(err)
			return
		}
		if props := Proposals(res.Activities); !s.o.NoMAST && len(props) > 0 {
			resp, err := s.http.Do(ctx, httpx.Request{Method: http.MethodPost, URL: s.o.MASTURL,
				Header: http.Header{"Accept": {"application/json"}}, Body: []byte(MASTRequest(props)),
				ContentType: "application/x-www-form-urlencoded"})
			if err != nil {
				fail(fmt.Errorf("MAST: %w", err))
				return
			}
			rows, err := ParseMAST(resp.Body)
			if err != nil {
				fail(err)
				return
			}
			if len(rows) >= MASTPageSize {
				res.Warn("MAST rows reached the page size (some targets may lack a position)")
			}
			Join(res.Activities, rows, res)
		}
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}
