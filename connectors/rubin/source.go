package rubin

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// DefaultBaseURL is Rubin's ObsLocTAP service, as ACROSS reads it
// (NASA-ACROSS/across-data-ingestion rubin/low_fidelity_planned.py).
const DefaultBaseURL = "https://usdf-rsp.slac.stanford.edu/obsloctap"

// MaxHours is the longest lookahead the service serves ("hours[1-48] for
// schedule lookahead", lsst-dm/obsloctap handlers/external.py).
const MaxHours = 48

// Options configure a [Source].
type Options struct {
	// BaseURL of the service (default DefaultBaseURL); /schedule is
	// appended.
	BaseURL string
	connectors.HTTPOptions
}

// Source lists Rubin's predicted schedule.
type Source struct {
	base string
	http *httpx.Client
}

// New returns a Rubin source.
func New(o Options) (*Source, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if u, err := url.Parse(base); err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%s: bad base URL %q", Name, httpx.RedactURL(o.BaseURL))
	}
	return &Source{base: base, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{BaseURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "Rubin ObsLocTAP /obsloctap/schedule reply (JSON array of obsplan rows)",
			Parse: ParseSchedule,
			Recognize: func(p string, head []byte) bool {
				h := bytes.TrimLeft(head, " \t\r\n\ufeff")
				return strings.HasSuffix(strings.ToLower(p), ".json") && len(h) > 0 && h[0] == '[' &&
					bytes.Contains(head, []byte(`"execution_status"`)) && bytes.Contains(head, []byte(`"rubin_`))
			},
		}},
	})
}

// Name returns "rubin".
func (s *Source) Name() string { return Name }

// URL returns the request for w: start as an MJD (the service also takes
// ISO times and "now", but falls back to a day ago on a time it cannot
// read) and the lookahead in whole hours, 1 to 48. An unbounded window
// starts now and looks 24 h ahead (the service's default); covered is the
// end of what the request asks.
func (s *Source) URL(w activities.Window, now time.Time) (u string, covered time.Time) {
	start := w.Start
	if start.IsZero() {
		start = now
	}
	hours := 24
	if !w.End.IsZero() {
		hours = int(math.Ceil(w.End.Sub(start).Hours()))
		hours = max(1, min(MaxHours, hours))
	}
	mjd := astro.GoToMJD(start)
	q := url.Values{"start": {strconv.FormatFloat(mjd, 'f', 6, 64)}, "time": {strconv.Itoa(hours)}}
	return s.base + "/schedule?" + q.Encode(), start.Add(time.Duration(hours) * time.Hour)
}

// Activities lists the visits predicted or done in w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		u, covered := s.URL(w, time.Now())
		resp, err := s.http.Do(ctx, httpx.Request{URL: u, Header: http.Header{"Accept": {"application/json"}}})
		if err != nil {
			fail(err)
			return
		}
		res, err := ParseSchedule(resp.Body)
		if err != nil {
			fail(err)
			return
		}
		if !schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield) {
			return
		}
		if !w.End.IsZero() && w.End.After(covered) {
			fail(&connectors.TruncatedError{Source: Name, Limit: len(res.Activities),
				Reason: fmt.Sprintf("the service serves at most %d hours from the start", MaxHours)})
		}
	}
}
