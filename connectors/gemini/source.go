package gemini

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "gemini"

// DefaultBaseURL is the Gemini Observatory archive.
const DefaultBaseURL = "https://archive.gemini.edu"

// EnvSession names the environment variable holding the archive's session
// cookie, read when Options.Session is empty.
const EnvSession = "GEMINI_ARCHIVE_SESSION"

// SessionCookie is the archive's login cookie.
const SessionCookie = "gemini_archive_session"

// Options configure a [Source].
type Options struct {
	// BaseURL overrides DefaultBaseURL.
	BaseURL string
	// Session is the value of the gemini_archive_session cookie; the
	// environment variable GEMINI_ARCHIVE_SESSION when empty.
	Session string
	// Query adds terms to every listing; its Start and End are replaced by
	// the listing's window.
	Query Query
	// AllDates leaves the dates out of the query (for queries already
	// narrow, such as by object or programme); the window then only filters
	// the reply.
	AllDates bool
	// TruncatedAsWarning counts a reply cut at the archive's row limit as
	// the warning "warning: results truncated" (in the listing's
	// connectors.Stats) instead of ending the listing with an error
	// matching connectors.ErrTruncated. Either way
	// the truncation is reported, never silent.
	TruncatedAsWarning bool
	// NoProgramInfo skips fetching the PI and title of each programme.
	NoProgramInfo bool
	// MaxProgramInfo caps the programinfo pages fetched per listing
	// (default 50); programmes beyond it keep an empty PI and are counted.
	MaxProgramInfo int
	connectors.HTTPOptions
}

// Source lists the Gemini archive's frames as activities.
type Source struct {
	opts    Options
	base    string
	session string
	http    *httpx.Client

	mu    sync.Mutex
	progs map[string]*activities.Programme // nil value: no info
}

// New returns a Gemini source.
func New(o Options) (*Source, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("gemini: base URL %q is not an http(s) URL", o.BaseURL)
	}
	sess := connectors.Credential(o.Session, EnvSession)
	if o.MaxProgramInfo == 0 {
		o.MaxProgramInfo = 50
	}
	var auth httpx.Auth
	if sess != "" {
		auth = httpx.CookieSession{{Name: SessionCookie, Value: sess}}
	}
	return &Source{opts: o, base: base, session: sess, http: archive.NewHTTP(o.HTTPOptions, auth), progs: map[string]*activities.Programme{}}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{BaseURL: cfg.BaseURL, Session: cfg.Settings["session"], HTTPOptions: cfg.HTTPOptions}
			o.Query.Instrument = cfg.Settings["instrument"]
			o.Query.ObsClass = cfg.Settings["class"]
			o.Query.ProgID = cfg.Settings["progid"]
			pi, err := archive.BoolSetting(cfg.Settings, "programinfo", true)
			if err != nil {
				return nil, err
			}
			o.NoProgramInfo = !pi
			return New(o)
		},
		Settings: map[string]string{
			"session":     "the gemini_archive_session cookie (default: $" + EnvSession + ")",
			"instrument":  "instrument term of the query (GMOS-N, F2, ...)",
			"class":       "observation class term (science, acq, dayCal, ...)",
			"progid":      "programme ID term",
			"programinfo": "false: do not fetch programme titles and PIs",
		},
		Env: map[string]string{EnvSession: "the value of the archive's " + SessionCookie + " cookie (proprietary data)"},
		Parsers: []connectors.Parser{{
			Name: "gemini", Help: "Gemini archive jsonsummary reply (JSON array)",
			Parse: ParseJSONSummary,
			Recognize: func(p string, head []byte) bool {
				return strings.HasSuffix(strings.ToLower(p), ".json") && startsWithByte(head, '[') && bytes.Contains(head, []byte(`"data_label"`))
			},
		}},
	})
}

// Name returns "gemini".
func (s *Source) Name() string { return Name }

// URL returns the jsonsummary URL for the window w.
func (s *Source) URL(w activities.Window) string {
	q := s.opts.Query
	q.Start, q.End = time.Time{}, time.Time{}
	if !s.opts.AllDates {
		q.Start, q.End = windowDates(w)
	}
	return s.base + "/jsonsummary/" + q.Path()
}

func windowDates(w activities.Window) (time.Time, time.Time) {
	end := w.End
	if end.IsZero() {
		end = time.Now()
	} else {
		end = end.Add(-time.Nanosecond)
	}
	start := w.Start
	if start.IsZero() {
		start = end.Add(-24 * time.Hour)
	}
	return start.UTC(), end.UTC()
}

// Activities lists the archived frames of the window. The counts of
// skipped records and warnings go to the connectors.Stats of ctx.
//
// A dated (closed) query answered with exactly ClosedResultLimit records
// was cut by the archive with no marker: the window is split in two at a UT
// day boundary and each half asked again, until no reply is cut. A cut
// reply for a single UT day, and any open query (AllDates: the archive
// marks all of them results_truncated), end the listing with an error
// matching connectors.ErrTruncated after the activities received (or a
// warning with TruncatedAsWarning): never silently short.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		seen := map[string]bool{}
		s.list(ctx, st, w, w, seen, yield)
	}
}

// list lists the sub-window sub of w; it reports false when the listing
// must stop (the consumer stopped, or an error was yielded).
func (s *Source) list(ctx context.Context, st *connectors.Stats, w, sub activities.Window, seen map[string]bool,
	yield func(activities.Activity, error) bool) bool {
	fail := func(err error) bool { yield(activities.Activity{}, archive.Wrap(Name, err)); return false }
	body, err := s.get(ctx, s.URL(sub))
	if err != nil {
		return fail(err)
	}
	res, err := ParseJSONSummary(body)
	if err != nil {
		var he *connectors.HTMLError
		if errors.As(err, &he) && looksLikeLogin(he.Title, body) {
			err = s.loginError(0)
		}
		return fail(err)
	}
	if res.Truncated && !s.opts.AllDates {
		if a, b, ok := splitWindow(sub); ok {
			st.Warn("closed-query limit reached: window split", 1)
			return s.list(ctx, st, w, a, seen, yield) && s.list(ctx, st, w, b, seen, yield)
		}
	}
	st.AddReply(res)
	if !s.opts.NoProgramInfo {
		s.fillProgrammes(ctx, st, res.Activities)
	}
	for _, a := range res.Activities {
		if err := ctx.Err(); err != nil {
			return fail(fmt.Errorf("listing: %w", err))
		}
		if seen[a.ID] || !w.Overlaps(a.Start, a.End) {
			continue
		}
		seen[a.ID] = true
		if !yield(a, nil) {
			return false
		}
	}
	switch {
	case !res.Truncated:
		return true
	case s.opts.TruncatedAsWarning:
		st.Warn("results truncated", 1)
		return true
	case s.opts.AllDates:
		return fail(&connectors.TruncatedError{Source: Name, Limit: res.Limit,
			Reason: "an open query (no date): the archive caps it and marks its reply results_truncated"})
	default:
		d0, d1 := windowDates(sub)
		return fail(&connectors.TruncatedError{Source: Name, Limit: res.Limit,
			Reason: fmt.Sprintf("the closed-query limit was reached for %s-%s, a single UT day that cannot be split",
				d0.Format("20060102"), d1.Format("20060102"))})
	}
}

// splitWindow splits w at the UT midnight nearest its middle when the
// dates it asks for (windowDates) span more than one day.
func splitWindow(w activities.Window) (activities.Window, activities.Window, bool) {
	d0, d1 := windowDates(w)
	day0 := time.Date(d0.Year(), d0.Month(), d0.Day(), 0, 0, 0, 0, time.UTC)
	day1 := time.Date(d1.Year(), d1.Month(), d1.Day(), 0, 0, 0, 0, time.UTC)
	days := int(day1.Sub(day0).Hours()/24 + 0.5)
	if days < 1 {
		return w, w, false
	}
	mid := day0.AddDate(0, 0, (days+1)/2)
	a, b := w, w
	if a.Start.IsZero() {
		a.Start = d0
	}
	if b.End.IsZero() {
		b.End = d1.Add(time.Nanosecond)
	}
	a.End, b.Start = mid, mid
	return a, b, true
}

func (s *Source) get(ctx context.Context, u string) ([]byte, error) {
	resp, err := s.http.Get(ctx, u, nil)
	if err != nil {
		var se *httpx.StatusError
		if errors.As(err, &se) && (se.StatusCode == http.StatusUnauthorized || se.StatusCode == http.StatusForbidden) {
			return nil, fmt.Errorf("%w: %w", s.loginError(se.StatusCode), err)
		}
		return nil, err
	}
	return resp.Body, nil
}

// loginError is the error for a reply asking for a login: it matches
// connectors.ErrAuthRequired with no session, connectors.ErrAuthExpired
// with one.
func (s *Source) loginError(status int) error {
	msg := "log in at the archive and copy your " + SessionCookie + " cookie"
	if s.session != "" {
		msg = "the session has expired or is invalid; log in again and renew it"
	}
	return &connectors.AuthError{Source: Name, StatusCode: status, HadToken: s.session != "",
		Env: EnvSession + ` (or the connector setting "session")`, Message: msg}
}

func looksLikeLogin(title string, body []byte) bool {
	t := strings.ToLower(title)
	if strings.Contains(t, "login") || strings.Contains(t, "log in") || strings.Contains(t, "sign in") {
		return true
	}
	head := strings.ToLower(string(body[:min(len(body), 4096)]))
	return strings.Contains(head, "you need to log in") || strings.Contains(head, "please log in")
}

// fillProgrammes sets each activity's programme title, PI and
// co-investigators from the archive's /programinfojson replies, fetching each
// programme once and caching it for the source's lifetime.
func (s *Source) fillProgrammes(ctx context.Context, st *connectors.Stats, acts []activities.Activity) {
	fetched := 0
	for i := range acts {
		id := acts[i].Programme.ID
		if id == "" {
			continue
		}
		s.mu.Lock()
		p, ok := s.progs[id]
		s.mu.Unlock()
		if !ok {
			if fetched >= s.opts.MaxProgramInfo {
				st.Warn("programinfo fetch cap reached", 1)
				continue
			}
			if ctx.Err() != nil {
				return
			}
			fetched++
			p = s.fetchProgramme(ctx, st, id)
		}
		if p != nil {
			acts[i].Programme.Title = p.Title
			acts[i].Programme.PI = p.PI
			acts[i].Programme.Investigators = p.Investigators
		}
	}
}

func (s *Source) fetchProgramme(ctx context.Context, st *connectors.Stats, id string) *activities.Programme {
	body, err := s.get(ctx, s.base+"/programinfojson/"+pathEscape(id))
	var se *httpx.StatusError
	if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
		err, body = nil, []byte(`{"not_found": true}`) // the archive's 404 for an unknown programme
	}
	if err != nil {
		if ctx.Err() == nil {
			st.Warn("programinfo unavailable", 1)
		}
		return nil // not cached: try again next listing
	}
	p, err := ParseProgramInfoJSON(body)
	var out *activities.Programme
	switch {
	case err == nil:
		out = &p
	case errors.Is(err, ErrNoProgramInfo):
		st.Warn("no programinfo", 1)
	default:
		st.Warn("programinfo unparsable", 1)
	}
	s.mu.Lock()
	s.progs[id] = out
	s.mu.Unlock()
	return out
}

func startsWithByte(head []byte, c byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return len(h) > 0 && h[0] == c
}
