package chandra

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// DefaultURL is the Chandra Data Archive's TAP service (ACROSS posts to
// its /async endpoint).
const DefaultURL = "https://cda.cfa.harvard.edu/cxctap"

// DefaultMaxRec is the row limit asked of the service.
const DefaultMaxRec = 2000

// Lookback is how long before the window's start an observation may have
// started and still overlap it (the longest Chandra observations last
// about two days).
const Lookback = 3 * 24 * time.Hour

// Options configure a [Source].
type Options struct {
	// URL of the TAP service (default DefaultURL).
	URL string
	// NoPlans skips the second query (ivoa.obsplan): activities then have
	// no end, exposure or target name.
	NoPlans bool
	// NoAsFlown skips the as-flown query ([AsFlownQuery]): the listing
	// then holds the scheduled observations only.
	NoAsFlown bool
	// Async runs the queries as UWS jobs, as ACROSS does.
	Async bool
	// MaxRec is the row limit (default DefaultMaxRec).
	MaxRec int
	// Deadline bounds a whole listing (default 5 minutes).
	Deadline time.Duration
	connectors.HTTPOptions
}

// Source lists Chandra's observed, archived and scheduled observations.
type Source struct {
	o   Options
	tap *tap.Client
}

// New returns a Chandra source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	if u, err := url.Parse(o.URL); err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%s: bad TAP service URL %q", Name, httpx.RedactURL(o.URL))
	}
	if o.MaxRec <= 0 {
		o.MaxRec = DefaultMaxRec
	}
	if o.Deadline <= 0 {
		o.Deadline = 5 * time.Minute
	}
	h := archive.NewHTTP(o.HTTPOptions, nil)
	c, err := tap.NewClient(o.URL, tap.WithHTTPClient(h.HTTPClient()), tap.WithRetries(0),
		tap.WithPolling(250*time.Millisecond, 5*time.Second, 5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return &Source{o: o, tap: c}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{URL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions}
			switch v := cfg.Settings["asflown"]; v {
			case "", "true":
			case "false":
				o.NoAsFlown = true
			default:
				return nil, fmt.Errorf("setting \"asflown\" %q: want true or false: %w", v, connectors.ErrInvalid)
			}
			return New(o)
		},
		Settings: map[string]string{"asflown": "true (default): list the observed and archived observations too; false: the scheduled ones only"},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "Chandra CXC TAP reply (VOTable) of scheduled cxc.observation rows, joined with ivoa.obsplan rows and the as-flown rows",
			Parse: ParseObservations, Recognize: recognizeScheduled,
			Roles: roles, Join: JoinReplies,
		}, {
			Name: AsFlownFormat, Help: "Chandra CXC TAP reply (VOTable) of observed and archived cxc.observation rows",
			Parse: ParseAsFlown, Recognize: recognizeAsFlown,
		}},
	})
}

// Name returns "chandra".
func (s *Source) Name() string { return Name }

// ObservationsQuery is the ADQL of the first query for w.
func ObservationsQuery(w activities.Window) (string, error) {
	return observationQuery("o.obsid, o.start_date, o.ra, o.dec, o.instrument, o.grating, o.exposure_mode", "o.status = '"+StatusScheduled+"'", w)
}

func observationQuery(cols, status string, w activities.Window) (string, error) {
	q := "SELECT " + cols + " FROM cxc.observation o WHERE " + status
	if !w.Start.IsZero() {
		l, err := adql.String(w.Start.Add(-Lookback).UTC().Format("2006-01-02 15:04:05"))
		if err != nil {
			return "", err
		}
		q += " AND o.start_date >= " + l
	}
	if !w.End.IsZero() {
		l, err := adql.String(w.End.UTC().Format("2006-01-02 15:04:05"))
		if err != nil {
			return "", err
		}
		q += " AND o.start_date < " + l
	}
	return q + " ORDER BY o.start_date", nil
}

// AsFlownQuery is the ADQL of the as-flown query for w: the observed and
// archived observations, with the columns ACROSS's as-flown ingestion
// reads and the status.
func AsFlownQuery(w activities.Window) (string, error) {
	return observationQuery("o.obsid, o.start_date, o.ra, o.dec, o.instrument, o.grating, o.exposure_mode, o.status, o.target_name, o.exposure_time, o.proposal_number",
		"o.status IN ('"+StatusObserved+"', '"+StatusArchived+"')", w)
}

// PlansQuery is the ADQL of the second query, for the obsids found (as
// strings: obs_id is a VARCHAR in ivoa.obsplan, as ACROSS notes).
func PlansQuery(obsids []string) (string, error) {
	lits := make([]string, len(obsids))
	for i, id := range obsids {
		l, err := adql.String(id)
		if err != nil {
			return "", err
		}
		lits[i] = l
	}
	return "SELECT obs_id, target_name, t_plan_exptime FROM ivoa.obsplan WHERE obs_id IN (" + strings.Join(lits, ", ") + ")", nil
}

func (s *Source) run(ctx context.Context, adqlText string) ([]byte, error) {
	q := tap.Query{ADQL: adqlText, MaxRec: s.o.MaxRec}
	var r *tap.Result
	var err error
	if s.o.Async {
		r, err = s.tap.Async(ctx, q)
	} else {
		r, err = s.tap.Sync(ctx, q)
	}
	if err != nil {
		return nil, schedfile.TAPError(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r.Body())
	if err != nil {
		return nil, schedfile.TAPError(err)
	}
	return b, nil
}

// list runs one cxc.observation query for w and parses its reply; errors
// name the query (what).
func (s *Source) list(ctx context.Context, w activities.Window, what string,
	query func(activities.Window) (string, error), parse func([]byte) (*connectors.Reply, error)) (*connectors.Reply, error) {
	q, err := query(w)
	if err != nil {
		return nil, err
	}
	body, err := s.run(ctx, q)
	if err == nil {
		var res *connectors.Reply
		if res, err = parse(body); err == nil {
			return res, nil
		}
	}
	return nil, fmt.Errorf("%s: %w", what, err)
}

// Activities lists the observations done (unless Options.NoAsFlown) and
// scheduled in w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		ctx, cancel := context.WithTimeout(ctx, s.o.Deadline)
		defer cancel()
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		var flown *connectors.Reply
		if !s.o.NoAsFlown {
			var err error
			if flown, err = s.list(ctx, w, "cxc.observation (as flown)", AsFlownQuery, ParseAsFlown); err != nil {
				fail(err)
				return
			}
		}
		res, err := s.list(ctx, w, "cxc.observation", ObservationsQuery, ParseObservations)
		if err != nil {
			fail(err)
			return
		}
		if !s.o.NoPlans && len(res.Activities) > 0 {
			ids := make([]string, len(res.Activities))
			for i, a := range res.Activities {
				ids[i] = a.DatasetID
			}
			pq, err := PlansQuery(ids)
			if err != nil {
				fail(err)
				return
			}
			pb, err := s.run(ctx, pq)
			if err != nil {
				fail(fmt.Errorf("ivoa.obsplan: %w", err))
				return
			}
			plans, err := ParsePlans(pb)
			if err != nil {
				fail(err)
				return
			}
			Join(res.Activities, plans, res)
		}
		limit := res.Records
		if flown != nil {
			if flown.Truncated {
				limit = flown.Records
			}
			res = Merge(flown, res)
		}
		if !schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield) {
			return
		}
		if res.Truncated {
			fail(&connectors.TruncatedError{Source: Name, Limit: limit,
				Reason: fmt.Sprintf("the service reported OVERFLOW with MAXREC=%d", s.o.MaxRec)})
		}
	}
}
