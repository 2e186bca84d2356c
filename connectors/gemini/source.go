package gemini

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"os"
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

// ErrTruncated is matched by the error a listing ends with when the
// archive cut its reply at the row limit.
var ErrTruncated = archive.ErrTruncated

// ErrLogin is matched by the error for a reply asking for a login (none
// given, or the session expired).
var ErrLogin = errors.New("gemini: the archive asks for a login")

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
	// the warning "warning: results truncated" (see Warnings) instead of
	// ending the listing with an error matching ErrTruncated. Either way
	// the truncation is reported, never silent.
	TruncatedAsWarning bool
	// NoProgramInfo skips fetching the PI and title of each programme.
	NoProgramInfo bool
	// MaxProgramInfo caps the programinfo pages fetched per listing
	// (default 50); programmes beyond it keep an empty PI and are counted.
	MaxProgramInfo int
	// Transport replaces the network transport (tests, recorders).
	Transport http.RoundTripper
	// HTTPClient, when set, lends its Transport; the project's HTTP layer
	// (internal/httpx) keeps its retries, limits and redaction above it.
	HTTPClient *http.Client
	// Timeout bounds each attempt (default 30 s).
	Timeout time.Duration
	// Retries of a failed attempt, with backoff and Retry-After (default 4;
	// negative for none).
	Retries int
	// RatePerHost in requests per second (default 2; negative: unlimited).
	RatePerHost float64
}

// Source lists the Gemini archive's frames as activities.
type Source struct {
	opts    Options
	base    string
	session string
	http    *httpx.Client
	counts  archive.Counts

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
	sess := o.Session
	if sess == "" {
		sess = os.Getenv(EnvSession)
	}
	if o.MaxProgramInfo == 0 {
		o.MaxProgramInfo = 50
	}
	ho := o.httpOptions()
	if sess != "" {
		ho.Auth = httpx.CookieSession{{Name: SessionCookie, Value: sess}}
	}
	return &Source{opts: o, base: base, session: sess, http: archive.NewHTTP(ho), progs: map[string]*activities.Programme{}}, nil
}

func init() {
	connectors.Register(Name, func(cfg connectors.Config) (activities.Source, error) {
		o := Options{BaseURL: cfg.BaseURL, Session: cfg.Settings["session"],
			HTTPClient: cfg.HTTPClient, Transport: cfg.Transport}
		o.Query.Instrument = cfg.Settings["instrument"]
		o.Query.ObsClass = cfg.Settings["class"]
		o.Query.ProgID = cfg.Settings["progid"]
		o.NoProgramInfo = cfg.Settings["programinfo"] == "false"
		return New(o)
	})
}

// Name returns "gemini".
func (s *Source) Name() string { return Name }

// Warnings returns the counts of skipped records and warnings of the last
// listing, by reason ("skipped: calibration", "warning: unknown instrument ...").
func (s *Source) Warnings() map[string]int { return s.counts.Map() }

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

// Activities lists the archived frames of the window.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		s.counts.Reset()
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(Name, err)) }
		body, err := s.get(ctx, s.URL(w))
		if err != nil {
			fail(err)
			return
		}
		res, err := ParseJSONSummary(body)
		if err != nil {
			var he *archive.HTMLError
			if errors.As(err, &he) && looksLikeLogin(he.Title, body) {
				err = s.loginError()
			}
			fail(err)
			return
		}
		for k, v := range res.Skipped {
			s.counts.AddN("skipped: "+k, v)
		}
		for k, v := range res.Warnings {
			s.counts.AddN("warning: "+k, v)
		}
		if !s.opts.NoProgramInfo {
			s.fillProgrammes(ctx, res.Activities)
		}
		for _, a := range res.Activities {
			if err := ctx.Err(); err != nil {
				fail(fmt.Errorf("listing: %w", err))
				return
			}
			if !w.Overlaps(a.Start, a.End) {
				continue
			}
			if !yield(a, nil) {
				return
			}
		}
		if res.Truncated && s.opts.TruncatedAsWarning {
			s.counts.Add("warning: results truncated")
		} else if res.Truncated {
			fail(&archive.TruncatedError{Source: Name, Limit: res.Limit, Reason: "the archive marked its reply results_truncated"})
		}
	}
}

func (s *Source) get(ctx context.Context, u string) ([]byte, error) {
	resp, err := s.http.Get(ctx, u, nil)
	if err != nil {
		var se *httpx.StatusError
		if errors.As(err, &se) && (se.StatusCode == http.StatusUnauthorized || se.StatusCode == http.StatusForbidden) {
			return nil, fmt.Errorf("%w: %w", s.loginError(), err)
		}
		return nil, err
	}
	return resp.Body, nil
}

func (s *Source) loginError() error {
	if s.session == "" {
		return fmt.Errorf("%w: set %s (or the connector setting \"session\") to the value of your %s cookie", ErrLogin, EnvSession, SessionCookie)
	}
	return fmt.Errorf("%w: the session given in %s or the \"session\" setting has expired or is invalid; log in again and renew it", ErrLogin, EnvSession)
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
// co-investigators from the archive's programinfo pages, fetching each
// programme once and caching it for the source's lifetime.
func (s *Source) fillProgrammes(ctx context.Context, acts []activities.Activity) {
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
				s.counts.Add("warning: programinfo fetch cap reached")
				continue
			}
			if ctx.Err() != nil {
				return
			}
			fetched++
			p = s.fetchProgramme(ctx, id)
		}
		if p != nil {
			acts[i].Programme.Title = p.Title
			acts[i].Programme.PI = p.PI
			acts[i].Programme.Investigators = p.Investigators
		}
	}
}

func (s *Source) fetchProgramme(ctx context.Context, id string) *activities.Programme {
	body, err := s.get(ctx, s.base+"/programinfo/"+pathEscape(id))
	if err != nil {
		if ctx.Err() == nil {
			s.counts.Add("warning: programinfo unavailable")
		}
		return nil // not cached: try again next listing
	}
	p, err := ParseProgramInfo(body)
	var out *activities.Programme
	switch {
	case err == nil:
		out = &p
	case errors.Is(err, ErrNoProgramInfo):
		s.counts.Add("warning: no programinfo")
	default:
		s.counts.Add("warning: programinfo unparsable")
	}
	s.mu.Lock()
	s.progs[id] = out
	s.mu.Unlock()
	return out
}

func (o Options) httpOptions() archive.HTTPOptions {
	return archive.HTTPOptions{Transport: o.Transport, HTTPClient: o.HTTPClient, Timeout: o.Timeout,
		Retries: o.Retries, RatePerHost: o.RatePerHost}
}
