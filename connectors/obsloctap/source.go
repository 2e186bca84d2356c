package obsloctap

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
)

// Name is the default source name and ID prefix.
const Name = "obsloctap"

// Environment variables read by the registered factory (connectors.Open).
const (
	EnvURL   = "ARCSECOND_OBSLOCTAP_URL"   // the TAP service, when Config.BaseURL is empty
	EnvToken = "ARCSECOND_OBSLOCTAP_TOKEN" // optional bearer token
)

// Options configure a [Source].
type Options struct {
	// URL of the TAP service (the base to which /sync is appended).
	// Required.
	URL string
	// Name of the source (default "obsloctap").
	Name string
	// Table queried (default "ivoa.obsplan", the name the spec gives).
	Table string
	// Key says how activity IDs are built (default KeyObsID).
	Key Key
	// Observatory is set on every activity unless Map gives one.
	Observatory string
	// Map, optional, maps facility and instrument names.
	Map Mapper
	// Facilities, when set, restricts facility_name to these values.
	Facilities []string
	// Statuses, when set, restricts execution_status to these values.
	Statuses []Status
	// PlannedBefore, when set, lists the planning log as it stood then:
	// only rows with t_planning before it (the spec's use of t_planning
	// for incremental discovery, section 4.1).
	PlannedBefore time.Time
	// MaxRec, Format ("votable" or "csv"), Async, Token, Deadline and
	// HTTPOptions are those of obscore.Options.
	MaxRec   int
	Format   string
	Async    bool
	Token    string
	Deadline time.Duration
	connectors.HTTPOptions
}

// Source lists the rows of a TAP service's ivoa.obsplan table as
// activities.
type Source struct {
	o     Options
	name  string
	conv  Converter
	inner *obscore.Source
}

type table struct{ s *Source }

func (t table) Bind(cols obscore.Columns, res *connectors.Reply) (obscore.RowConverter, error) {
	return t.s.conv.Bind(cols, res)
}

func (t table) ADQL(w activities.Window) (string, error) { return t.s.Query(w) }

// New returns a source for the TAP service at o.URL.
func New(o Options) (*Source, error) {
	name := o.Name
	if name == "" {
		name = Name
	}
	if o.Table == "" {
		o.Table = "ivoa.obsplan"
	}
	if _, err := adql.Ident(strings.Split(o.Table, ".")...); err != nil {
		return nil, fmt.Errorf("%s: table %q: %w", name, o.Table, err)
	}
	for _, st := range o.Statuses {
		if _, _, ok := st.Kind(); !ok {
			return nil, fmt.Errorf("%s: %q is not an ObsLocTAP execution_status (%v)", name, st, Statuses)
		}
	}
	s := &Source{o: o, name: name, conv: Converter{Source: name, Key: o.Key, Observatory: o.Observatory, Map: o.Map}}
	inner, err := obscore.New(obscore.Options{URL: o.URL, Name: name, Tabler: table{s}, MaxRec: o.MaxRec,
		Format: o.Format, Async: o.Async, Token: o.Token, TokenEnv: EnvToken, Deadline: o.Deadline,
		HTTPOptions: o.HTTPOptions})
	if err != nil {
		return nil, err
	}
	s.inner = inner
	return s, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{URL: connectors.Credential(cfg.BaseURL, EnvURL), HTTPOptions: cfg.HTTPOptions,
				Token: connectors.Credential(cfg.Settings["token"], EnvToken), Name: cfg.Settings["name"],
				Format: cfg.Settings["format"]})
		},
		Settings: map[string]string{
			"token":  "bearer token (default: $" + EnvToken + ")",
			"name":   "the source's name (default obsloctap)",
			"format": "votable (default) or csv",
		},
		Env: map[string]string{
			EnvURL:   "the TAP service's base URL, when Config.BaseURL is empty",
			EnvToken: "optional bearer token for the TAP service",
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "ObsLocTAP reply (VOTable or CSV) of any service's ivoa.obsplan",
			Parse: func(b []byte) (*connectors.Reply, error) {
				return ParseReply(b, &Converter{Source: Name})
			},
			Recognize: func(p string, head []byte) bool {
				return obscore.IsTableFile(p) && bytes.Contains(head, []byte("execution_status")) && bytes.Contains(head, []byte("t_planning"))
			},
		}},
	})
}

// Name returns the source's name.
func (s *Source) Name() string { return s.name }

// Query returns the ADQL the source runs for w: the rows whose [t_min,
// t_max] overlaps the window (a row without t_max counts as the instant
// t_min), ordered by t_min then t_planning.
func (s *Source) Query(w activities.Window) (string, error) {
	tbl, err := adql.Ident(strings.Split(s.o.Table, ".")...)
	if err != nil {
		return "", err
	}
	var conds []string
	if !w.End.IsZero() {
		conds = append(conds, "t_min < "+mjd(w.End))
	}
	if !w.Start.IsZero() {
		st := mjd(w.Start)
		conds = append(conds, "(t_max >= "+st+" OR (t_max IS NULL AND t_min >= "+st+"))")
	}
	if !s.o.PlannedBefore.IsZero() {
		conds = append(conds, "t_planning < "+mjd(s.o.PlannedBefore))
	}
	if c, err := inList("facility_name", s.o.Facilities); err != nil {
		return "", err
	} else if c != "" {
		conds = append(conds, c)
	}
	sts := make([]string, len(s.o.Statuses))
	for i, st := range s.o.Statuses {
		sts[i] = string(st)
	}
	if c, err := inList("execution_status", sts); err != nil {
		return "", err
	} else if c != "" {
		conds = append(conds, c)
	}
	q := "SELECT * FROM " + tbl
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	return q + " ORDER BY t_min, t_planning", nil
}

func inList(col string, vals []string) (string, error) {
	if len(vals) == 0 {
		return "", nil
	}
	lits := make([]string, len(vals))
	for i, v := range vals {
		l, err := adql.String(v)
		if err != nil {
			return "", fmt.Errorf("%s %q: %w", col, v, err)
		}
		lits[i] = l
	}
	return col + " IN (" + strings.Join(lits, ", ") + ")", nil
}

// mjd writes t as an MJD literal with 1e-8 day (under 1 ms) resolution.
func mjd(t time.Time) string {
	v := astro.GoToMJD(t)
	s, _ := adql.Float(float64(int64(v*1e8+0.5)) / 1e8)
	return s
}

// Activities runs the query for w and yields the activities of its rows,
// one per ID: of the rows of one observation (its states in the planning
// log) the latest by t_planning. The reply is read whole before the first
// activity is yielded (it is bounded by MaxRec). A result cut at the row
// limit ends with an error matching connectors.ErrTruncated.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		var acts []activities.Activity
		var last error
		for a, err := range s.inner.Activities(ctx, w) {
			if err != nil {
				last = err
				break
			}
			acts = append(acts, a)
		}
		res := &connectors.Reply{}
		acts = Collapse(acts, res)
		st := connectors.StatsFrom(ctx)
		for k, v := range res.Skipped {
			st.Skip(k, v)
		}
		for _, a := range acts {
			if err := ctx.Err(); err != nil {
				yield(activities.Activity{}, archive.Wrap(s.name, fmt.Errorf("listing: %w", err)))
				return
			}
			if !yield(a, nil) {
				return
			}
		}
		if last != nil {
			yield(activities.Activity{}, last)
		}
	}
}
