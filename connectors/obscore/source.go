package obscore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Name is the default source name and ID prefix.
const Name = "obscore"

// Environment variables read by the registered factory (connectors.Open).
const (
	EnvURL   = "ARCSECOND_OBSCORE_URL"   // the TAP service, when Config.BaseURL is empty
	EnvToken = "ARCSECOND_OBSCORE_TOKEN" // optional bearer token
)

// DefaultMaxRec is the row limit asked of the service (MAXREC) by default.
const DefaultMaxRec = 10000

// DefaultDeadline bounds a whole listing (query, transfer and parsing).
const DefaultDeadline = 5 * time.Minute

// Cone restricts a listing to a circle of the sky (ICRS degrees).
type Cone struct{ RA, Dec, Radius float64 }

// RowConverter turns the records of one reply into activities; skip is a
// non-empty reason for a record that gives none.
type RowConverter interface {
	Convert(r Record, res *connectors.Reply) (a activities.Activity, skip string, err error)
}

// Tabler says how a [Source] queries one table and reads its replies.
// [Converter] is the ObsCore one; connectors built on this package (eso's
// dbo.raw) supply theirs.
type Tabler interface {
	// ADQL is the query listing the window.
	ADQL(w activities.Window) (string, error)
	// Bind checks a reply's columns and returns the converter of its rows.
	Bind(cols Columns, res *connectors.Reply) (RowConverter, error)
}

// Options configure a [Source].
type Options struct {
	// URL of the TAP service (the base to which /sync is appended).
	// Required.
	URL string
	// Name of the source (default "obscore"): give each service its own
	// when several are plugged in.
	Name string
	// Table queried (default "ivoa.obscore").
	Table string
	// Converter maps records to activities; its Source is set to Name.
	Converter Converter
	// Tabler replaces the ObsCore query and conversion (used by eso).
	Tabler Tabler
	// Cone, when set, restricts the listing to a circle of the sky.
	Cone *Cone
	// Collections, when set, restricts obs_collection to these values.
	Collections []string
	// ADQL, when set, is run as it is instead of the window query; the
	// window is then applied to the activities after conversion.
	ADQL string
	// MaxRec is the row limit asked (default DefaultMaxRec). A result cut
	// at the limit ends the listing with an error matching ErrTruncated,
	// after the activities received.
	MaxRec int
	// Format is "votable" (default; truncation is reported by the
	// service's OVERFLOW marker) or "csv" (truncation inferred when the row
	// count reaches MaxRec).
	Format string
	// Async runs the query as a UWS job instead of synchronously.
	Async bool
	// Token is a bearer token sent as Authorization: Bearer, to the
	// service's host only, never logged. Empty: anonymous.
	Token string
	// TokenEnv names the variable the token came from, for error
	// messages (default EnvToken).
	TokenEnv string
	// TokenSource, when set, gives the bearer token of each request
	// instead of Token (tokens that expire and are renewed).
	TokenSource TokenSource
	// Deadline bounds a whole listing (default DefaultDeadline).
	Deadline time.Duration
	connectors.HTTPOptions
}

// TokenSource gives a bearer token, renewing it as needed.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// Source lists the observations of a TAP service's ObsCore table as
// archived activities.
type Source struct {
	o      Options
	name   string
	tabler Tabler
	tap    *tap.Client
}

// New returns a source for the TAP service at o.URL.
func New(o Options) (*Source, error) {
	name := o.Name
	if name == "" {
		name = Name
	}
	if strings.TrimSpace(o.URL) == "" {
		return nil, fmt.Errorf("%s: no TAP service URL (set Options.URL, or %s for connectors.Open)", name, EnvURL)
	}
	u, err := url.Parse(o.URL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%s: bad TAP service URL %q", name, httpx.RedactURL(o.URL))
	}
	if o.MaxRec <= 0 {
		o.MaxRec = DefaultMaxRec
	}
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	switch strings.ToLower(o.Format) {
	case "", "votable":
		o.Format = ""
	case "csv":
		o.Format = "csv"
	default:
		return nil, fmt.Errorf("%s: unknown format %q (votable or csv)", name, o.Format)
	}
	if o.TokenEnv == "" {
		o.TokenEnv = EnvToken
	}
	if o.Table == "" {
		o.Table = "ivoa.obscore"
	}
	o.Converter.Source = name
	if o.Converter.LinkBase == "" {
		o.Converter.LinkBase = o.URL
	}
	t := o.Tabler
	if t == nil {
		t = &obscoreTable{o: &o}
	}
	h := archive.NewHTTP(o.HTTPOptions, nil)
	opts := []tap.Option{tap.WithHTTPClient(h.HTTPClient()), tap.WithRetries(0),
		tap.WithPolling(250*time.Millisecond, 5*time.Second, 5*time.Second)}
	switch {
	case o.TokenSource != nil:
		ts, host := o.TokenSource, u.Host
		opts = append(opts, tap.WithAuth(tap.AuthFunc(func(req *http.Request) error {
			if req.URL.Host != host {
				return nil // the token goes to the service only
			}
			tok, err := ts.Token(req.Context())
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			return nil
		})))
	case o.Token != "":
		opts = append(opts, tap.WithAuth(tap.BearerToken(o.Token)))
	}
	c, err := tap.NewClient(o.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Source{o: o, name: name, tabler: t, tap: c}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{URL: connectors.Credential(cfg.BaseURL, EnvURL), HTTPOptions: cfg.HTTPOptions,
				Token: connectors.Credential(cfg.Settings["token"], EnvToken), Name: cfg.Settings["name"],
				Format: cfg.Settings["format"]}
			if p := cfg.Settings["profile"]; p != "" {
				prof, ok := LookupProfile(p)
				if !ok {
					return nil, fmt.Errorf("setting \"profile\" %q: want one of %s", p, strings.Join(ProfileNames(), ", "))
				}
				o.Converter.Profile = prof
			}
			return New(o)
		},
		Settings: map[string]string{
			"token":   "bearer token (default: $" + EnvToken + ")",
			"name":    "the source's name (default obscore)",
			"format":  "votable (default) or csv",
			"profile": "service profile mapping obs_creator_name (generic, eso, alma)",
		},
		Env: map[string]string{
			EnvURL:   "the TAP service's base URL, when Config.BaseURL is empty",
			EnvToken: "optional bearer token for the TAP service",
		},
		Parsers: []connectors.Parser{{
			Name: "obscore", Help: "ObsCore TAP reply (VOTable or CSV) of any service's ivoa.obscore",
			Parse: func(b []byte) (*connectors.Reply, error) {
				return ParseReply(b, &Converter{Source: Name})
			},
			Recognize: func(p string, head []byte) bool {
				return IsTableFile(p) && bytes.Contains(head, []byte("obs_publisher_did"))
			},
			Generic: true,
		}},
	})
}

// Name returns the source's name.
func (s *Source) Name() string { return s.name }

// Query returns the ADQL the source runs for w.
func (s *Source) Query(w activities.Window) (string, error) {
	if s.o.ADQL != "" {
		return s.o.ADQL, nil
	}
	return s.tabler.ADQL(w)
}

type obscoreTable struct{ o *Options }

func (t *obscoreTable) Bind(cols Columns, res *connectors.Reply) (RowConverter, error) {
	return t.o.Converter.Bind(cols, res)
}

// ADQL of the ObsCore window query: observations whose [t_min, t_max]
// overlaps the window (both in MJD), ordered by t_min.
func (t *obscoreTable) ADQL(w activities.Window) (string, error) {
	tbl, err := tableIdent(t.o.Table)
	if err != nil {
		return "", err
	}
	var conds []string
	if !w.End.IsZero() {
		conds = append(conds, "t_min < "+mjdLiteral(w.End))
	}
	if !w.Start.IsZero() {
		conds = append(conds, "t_max >= "+mjdLiteral(w.Start))
	}
	if c := t.o.Cone; c != nil {
		s, err := ConeCondition("s_region", *c)
		if err != nil {
			return "", err
		}
		conds = append(conds, s)
	}
	if len(t.o.Collections) > 0 {
		lits := make([]string, len(t.o.Collections))
		for i, c := range t.o.Collections {
			l, err := adql.String(c)
			if err != nil {
				return "", fmt.Errorf("collection %q: %w", c, err)
			}
			lits[i] = l
		}
		conds = append(conds, "obs_collection IN ("+strings.Join(lits, ", ")+")")
	}
	q := "SELECT * FROM " + tbl
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	return q + " ORDER BY t_min", nil
}

// ConeCondition is the ADQL condition that the footprint column region
// (ObsCore's s_region) intersects the cone: INTERSECTS(s_region,
// CIRCLE('ICRS', ra, dec, r)) = 1, as ESO's own client writes it
// (astropy/astroquery@2e8c636:astroquery/eso/utils.py _build_adql_string),
// so that an observation whose field covers the cone matches even when its
// centre lies outside.
func ConeCondition(region string, c Cone) (string, error) {
	if !(c.Radius > 0 && c.Radius <= 180) || !(c.Dec >= -90 && c.Dec <= 90) || math.IsNaN(c.RA) || math.IsInf(c.RA, 0) {
		return "", fmt.Errorf("bad cone (ra %v, dec %v, radius %v): %w", c.RA, c.Dec, c.Radius, connectors.ErrInvalid)
	}
	col, err := adql.Ident(region)
	if err != nil {
		return "", fmt.Errorf("region column %q: %w", region, err)
	}
	return adql.Sprintf("INTERSECTS("+col+", CIRCLE('ICRS', %f, %f, %f)) = 1", c.RA, c.Dec, c.Radius)
}

func tableIdent(name string) (string, error) {
	parts := strings.Split(name, ".")
	id, err := adql.Ident(parts...)
	if err != nil {
		return "", fmt.Errorf("table %q: %w", name, err)
	}
	return id, nil
}

// mjdLiteral writes t as an MJD with 1e-8 day (under 1 ms) resolution.
func mjdLiteral(t time.Time) string {
	s, _ := adql.Float(math.Round(astro.GoToMJD(t)*1e8) / 1e8)
	return s
}

// Activities runs the query for w and yields the activities of its rows.
// A result cut at the row limit ends with an error matching ErrTruncated.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		ctx, cancel := context.WithTimeout(ctx, s.o.Deadline)
		defer cancel()
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(s.name, err)) }
		q, err := s.Query(w)
		if err != nil {
			fail(connectors.WithKind(err, connectors.ErrInvalid))
			return
		}
		query := tap.Query{ADQL: q, MaxRec: s.o.MaxRec, Format: s.o.Format}
		var r *tap.Result
		if s.o.Async {
			r, err = s.tap.Async(ctx, query)
		} else {
			r, err = s.tap.Sync(ctx, query)
		}
		if err != nil {
			fail(s.explain(err))
			return
		}
		defer r.Close()
		res := &connectors.Reply{}
		defer st.AddReply(res)
		emit := func(conv RowConverter, rec Record) bool {
			res.Records++
			a, skip, err := conv.Convert(rec, res)
			if err != nil {
				fail(fmt.Errorf("record %d: %w", res.Records, err))
				return false
			}
			if skip != "" {
				res.Skip(skip)
				return true
			}
			if s.o.ADQL != "" && !w.Overlaps(a.Start, a.End) {
				return true
			}
			return yield(a, nil)
		}
		if r.IsVOTable() {
			t, err := r.Table()
			if err != nil {
				fail(s.explain(err))
				return
			}
			conv, err := s.tabler.Bind(VOTableColumns(t), res)
			if err != nil {
				fail(err)
				return
			}
			for row, err := range r.Rows() {
				if err != nil {
					fail(s.explain(fmt.Errorf("after %d rows: %w", res.Records, err)))
					return
				}
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				if !emit(conv, VOTableRecord(row)) {
					return
				}
			}
			if r.Overflow() {
				fail(&connectors.TruncatedError{Source: s.name, Limit: res.Records,
					Reason: fmt.Sprintf("the service reported OVERFLOW with MAXREC=%d", s.o.MaxRec)})
			}
			return
		}
		body := r.Body()
		head := make([]byte, 512)
		n, _ := body.Read(head)
		if title, ok := archive.LooksLikeHTML(head[:n]); ok {
			fail(&connectors.HTMLError{Source: s.name, What: "a TAP reply (VOTable or CSV)", Title: title})
			return
		}
		cols, rows, err := ReadCSV(prefixReader(head[:n], body))
		if err != nil {
			fail(err)
			return
		}
		conv, err := s.tabler.Bind(cols, res)
		if err != nil {
			fail(err)
			return
		}
		for rec, err := range rows {
			if err != nil {
				fail(fmt.Errorf("after %d rows: %w", res.Records, err))
				return
			}
			if err := ctx.Err(); err != nil {
				fail(err)
				return
			}
			if !emit(conv, rec) {
				return
			}
		}
		if res.Records >= s.o.MaxRec {
			fail(&connectors.TruncatedError{Source: s.name, Limit: res.Records,
				Reason: fmt.Sprintf("a CSV reply carries no OVERFLOW marker; the row count reached MAXREC=%d", s.o.MaxRec)})
		}
	}
}

// explain turns HTTP 401/403 into a *connectors.AuthError naming the token
// variable, classifies the TAP service's other errors under the shared
// kinds, and removes the token from any message.
func (s *Source) explain(err error) error {
	var se *tap.ServiceError
	if errors.As(err, &se) && (se.StatusCode == http.StatusUnauthorized || se.StatusCode == http.StatusForbidden) {
		msg := se.Message
		if s.o.Token != "" {
			msg = strings.ReplaceAll(msg, s.o.Token, "REDACTED")
		}
		return &connectors.AuthError{Source: s.name, StatusCode: se.StatusCode, HadToken: s.hasToken(), Env: s.o.TokenEnv, Message: clip(msg)}
	}
	var he *httpx.StatusError
	if errors.As(err, &he) && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden) {
		return &connectors.AuthError{Source: s.name, StatusCode: he.StatusCode, HadToken: s.hasToken(), Env: s.o.TokenEnv}
	}
	if s.o.Token != "" && err != nil && strings.Contains(err.Error(), s.o.Token) {
		err = errors.New(strings.ReplaceAll(err.Error(), s.o.Token, "REDACTED"))
	}
	if se != nil && connectors.KindOf(err) == nil {
		switch {
		case se.StatusCode != 0:
			return connectors.WithKind(err, connectors.StatusKind(se.StatusCode, s.hasToken()))
		case se.Temporary():
			return connectors.WithKind(err, connectors.ErrUnavailable)
		default: // QUERY_STATUS=ERROR or a failed job: the service refused the query
			return connectors.WithKind(err, connectors.ErrRejected)
		}
	}
	return err
}

func (s *Source) hasToken() bool { return s.o.Token != "" || s.o.TokenSource != nil }
