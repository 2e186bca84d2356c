package xrism

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// The three addresses ACROSS reads (XRISM_SHORT_TERM_SCHEDULE_URL, the
// DARTS query endpoint, XRISM_TOO_TABLE_URL).
const (
	DefaultScheduleURL = "https://xrism.isas.jaxa.jp/research/observers/shortterm/prefinal/index.html"
	DefaultDARTSURL    = "https://darts.isas.jaxa.jp/app/query/astroquery/sql.php"
	DefaultToOURL      = "https://xrism.isas.jaxa.jp/research/observers/generic_too/index.html"
)

// Options configure a [Source].
type Options struct {
	ScheduleURL, DARTSURL, ToOURL string
	connectors.HTTPOptions
}

// Source lists XRISM's short-term schedule.
type Source struct {
	o    Options
	http *httpx.Client
}

// New returns an XRISM source.
func New(o Options) (*Source, error) {
	if o.ScheduleURL == "" {
		o.ScheduleURL = DefaultScheduleURL
	}
	if o.DARTSURL == "" {
		o.DARTSURL = DefaultDARTSURL
	}
	if o.ToOURL == "" {
		o.ToOURL = DefaultToOURL
	}
	if _, err := schedfile.ParseURLs(Name, o.ScheduleURL, o.DARTSURL, o.ToOURL); err != nil {
		return nil, err
	}
	return &Source{o: o, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{ScheduleURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "XRISM short-term schedule page (HTML; no exposures without the proposal and ToO tables)",
			Parse: func(b []byte) (*connectors.Reply, error) { return ParseSchedule(b, nil) },
			Recognize: func(p string, head []byte) bool {
				return strings.HasSuffix(strings.ToLower(p), ".html") && bytes.Contains(head, []byte("Mnv start time (UT)"))
			},
			Roles: roles, Join: JoinReplies,
		}},
	})
}

// Name returns "xrism".
func (s *Source) Name() string { return Name }

// ProposalsURL is the DARTS query for the sequences (ACROSS
// query_proposal_table). Sequence IDs are digits; others are dropped.
func (s *Source) ProposalsURL(seqs []string) string {
	var lits []string
	for _, q := range seqs {
		if q != "" && strings.Trim(q, "0123456789") == "" {
			lits = append(lits, "'"+q+"'")
		}
	}
	sql := "SELECT * FROM xrism_proposal WHERE observation_id IN (" + strings.Join(lits, ", ") + ");"
	return s.o.DARTSURL + "?" + url.Values{"sql": {sql}}.Encode()
}

// Activities lists the sequences of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		sched, err := archive.GetPage(ctx, s.http, s.o.ScheduleURL)
		if err != nil {
			fail(fmt.Errorf("schedule page: %w", err))
			return
		}
		t, err := schedfile.ReadTable(Name, sched)
		if err != nil {
			fail(err)
			return
		}
		var seqs []string
		if i := t.Cols.Index("Seq"); i >= 0 {
			for _, r := range t.Rows {
				if i < len(r) {
					seqs = append(seqs, strings.TrimSpace(r[i]))
				}
			}
		}
		exposures := map[string]Exposure{}
		if len(seqs) > 0 {
			b, err := archive.GetPage(ctx, s.http, s.ProposalsURL(seqs))
			if err != nil {
				fail(fmt.Errorf("DARTS proposals: %w", err))
				return
			}
			if err := ParseProposals(b, exposures); err != nil {
				fail(fmt.Errorf("DARTS proposals: %w", err))
				return
			}
			b, err = archive.GetPage(ctx, s.http, s.o.ToOURL)
			if err != nil {
				fail(fmt.Errorf("ToO page: %w", err))
				return
			}
			if err := ParseToO(b, exposures); err != nil {
				fail(fmt.Errorf("ToO page: %w", err))
				return
			}
		}
		res, err := ParseSchedule(sched, exposures)
		if err != nil {
			fail(err)
			return
		}
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}
