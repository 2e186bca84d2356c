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
	us, err := schedfile.ParseURLs(Name, o.PageURL, o.MASTURL)
	if err != nil {
		return nil, err
	}
	return &Source{o: o, page: us[0], http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
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
			Roles: roles, Join: JoinReplies,
		}},
	})
}

// Name returns "jwst".
func (s *Source) Name() string { return Name }

// ScheduleLink returns the newest schedule file's address from the page:
// the first link whose href holds LinkContains, resolved against the page.
func ScheduleLink(page *url.URL, body []byte) (string, error) {
	return schedfile.Link(Name, page, body, "a link to a schedule file", func(_, href string) bool {
		return strings.Contains(href, LinkContains)
	})
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
		body, err := schedfile.FetchLinked(ctx, s.http, s.page, ScheduleLink, "schedules page", "schedule file")
		if err != nil {
			fail(err)
			return
		}
		res, err := ParseSchedule(body)
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
				res.Warn(WarnMASTPageFull)
			}
			Join(res.Activities, rows, res)
		}
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}
