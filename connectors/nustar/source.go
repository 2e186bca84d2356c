package nustar

import (
	"context"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Default addresses: the SOC's schedule page (ACROSS
// PLANNED_SCHEDULE_TABLE_URL) and HEASARC's TAP service (astroquery's
// Heasarc VO_URL + "/tap").
const (
	DefaultPlannedURL = "https://nustarsoc.caltech.edu/NuSTAR_Public/NuSTAROperationSite/Schedule.php"
	DefaultTAPURL     = "https://heasarc.gsfc.nasa.gov/xamin/vo/tap"
)

// Timeline selects a schedule.
type Timeline string

// The two timelines.
const (
	Planned Timeline = "planned"
	AsFlown Timeline = "asflown"
)

// Options configure a [Source].
type Options struct {
	PlannedURL, TAPURL string
	// Timelines to read; both when empty.
	Timelines []Timeline
	// MaxRec is the row limit of the numaster query (default 2000).
	MaxRec int
	connectors.HTTPOptions
}

// Source lists NuSTAR's planned and as-flown observations; an observation
// in both is listed once, as completed.
type Source struct {
	o    Options
	http *httpx.Client
	tap  *tap.Client
}

// New returns a NuSTAR source.
func New(o Options) (*Source, error) {
	if o.PlannedURL == "" {
		o.PlannedURL = DefaultPlannedURL
	}
	if o.TAPURL == "" {
		o.TAPURL = DefaultTAPURL
	}
	if _, err := schedfile.ParseURLs(Name, o.PlannedURL, o.TAPURL); err != nil {
		return nil, err
	}
	if len(o.Timelines) == 0 {
		o.Timelines = []Timeline{AsFlown, Planned}
	}
	if o.MaxRec <= 0 {
		o.MaxRec = 2000
	}
	h := archive.NewHTTP(o.HTTPOptions, nil)
	c, err := tap.NewClient(o.TAPURL, tap.WithHTTPClient(h.HTTPClient()), tap.WithRetries(0))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return &Source{o: o, http: h, tap: c}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{HTTPOptions: cfg.HTTPOptions}
			switch v := cfg.Settings["timeline"]; v {
			case "", "both":
			case string(Planned), string(AsFlown):
				o.Timelines = []Timeline{Timeline(v)}
			default:
				return nil, fmt.Errorf("setting \"timeline\" %q: want planned, asflown or both: %w", v, connectors.ErrInvalid)
			}
			return New(o)
		},
		Settings: map[string]string{"timeline": "planned, asflown or both (default)"},
		Parsers: []connectors.Parser{
			{
				Name: "nustar-planned", Help: "NuSTAR SOC planned schedule table (HTML page, or CSV)",
				Parse: ParsePlanned, Recognize: recognizePlanned,
			},
			{
				Name: "nustar-asflown", Help: "NuSTAR as-flown rows of HEASARC numaster (VOTable, or astropy ASCII)",
				Parse: ParseAsFlown, Recognize: recognizeAsFlown,
			},
			{
				Name: Name, Help: "NuSTAR's two timelines joined (as-flown rows, then the planned schedule but for what they list), by name",
				Parse: ParseEither, Roles: roles, Join: JoinReplies,
			},
		},
	})
}

// Name returns "nustar".
func (s *Source) Name() string { return Name }

// AsFlownQuery is the numaster query for w (times as MJD).
func AsFlownQuery(w activities.Window) string {
	q := "SELECT name, ra, dec, roll_angle, time, end_time, obsid, observation_mode, exposure_a, exposure_b, prnb, pi_lname, pi_fname, title FROM numaster"
	var conds []string
	if !w.Start.IsZero() {
		conds = append(conds, "end_time >= "+mjd(w.Start))
	}
	if !w.End.IsZero() {
		conds = append(conds, "time < "+mjd(w.End))
	}
	for i, c := range conds {
		if i == 0 {
			q += " WHERE " + c
		} else {
			q += " AND " + c
		}
	}
	return q + " ORDER BY time"
}

func mjd(t time.Time) string {
	v := astro.GoToMJD(t)
	s, _ := adql.Float(float64(int64(v*1e6+0.5)) / 1e6)
	return s
}

func (s *Source) read(ctx context.Context, tl Timeline, w activities.Window) (*connectors.Reply, error) {
	if tl == Planned {
		b, err := archive.GetPage(ctx, s.http, s.o.PlannedURL)
		if err != nil {
			return nil, err
		}
		return ParsePlanned(b)
	}
	r, err := s.tap.Sync(ctx, tap.Query{ADQL: AsFlownQuery(w), MaxRec: s.o.MaxRec})
	if err != nil {
		return nil, schedfile.TAPError(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r.Body())
	if err != nil {
		return nil, schedfile.TAPError(err)
	}
	res, err := ParseAsFlown(b)
	if err != nil {
		return nil, err
	}
	if res.Records >= s.o.MaxRec {
		return res, &connectors.TruncatedError{Source: Name, Limit: res.Records, Reason: fmt.Sprintf("numaster rows reached MAXREC=%d", s.o.MaxRec)}
	}
	return res, nil
}

// Activities lists the observations of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		seen := map[string]bool{}
		for _, tl := range s.o.Timelines {
			res, err := s.read(ctx, tl, w)
			if res == nil {
				fail(fmt.Errorf("%s: %w", tl, err))
				return
			}
			st.AddReply(res)
			for _, a := range res.Activities {
				if cerr := ctx.Err(); cerr != nil {
					fail(fmt.Errorf("listing: %w", cerr))
					return
				}
				if seen[a.ID] || !w.Overlaps(a.Start, a.End) {
					continue
				}
				seen[a.ID] = true
				if !yield(a, nil) {
					return
				}
			}
			if err != nil {
				fail(fmt.Errorf("%s: %w", tl, err))
				return
			}
		}
	}
}
