package resolve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// The Sesame service's base URLs: CDS's own host and its mirror at the
// CfA (the two astropy's name_resolve.sesame_url lists; see
// testdata/PROVENANCE.md).
const (
	SesameCDS = "https://cds.unistra.fr/cgi-bin/nph-sesame"
	SesameCfA = "https://vizier.cfa.harvard.edu/viz-bin/nph-sesame"
)

// DefaultTimeout bounds one Sesame query when SesameOptions.Timeout is 0.
const DefaultTimeout = 5 * time.Second

// SesameOptions configure a [Sesame] resolver. The zero value asks
// SesameCDS then SesameCfA, all databases, with DefaultTimeout.
type SesameOptions struct {
	// BaseURLs are the service's base URLs (up to and including
	// "nph-sesame"), tried in order while they are unreachable.
	BaseURLs []string
	// Databases are the databases Sesame asks, in order, as its one-letter
	// codes: S (Simbad), N (NED), V (VizieR), A (all); "" is "A". With
	// several, Sesame answers from each and the first position is used.
	Databases string
	// Timeout bounds each query (each base URL tried); 0 is DefaultTimeout.
	Timeout time.Duration
	// Transport performs the requests (default: internal/httpx's, as the
	// connectors use: the SDK's User-Agent, 2 requests/s per host); tests
	// put an httptest or go-vcr transport here.
	Transport http.RoundTripper
	// Logger receives one debug record per request (default: none).
	Logger *slog.Logger
}

// Sesame resolves names through the CDS Sesame name resolver's HTTP GET
// interface, asking for its XML output: GET {base}/-ox/{databases}?{name}.
type Sesame struct {
	bases   []*url.URL
	dbs     string
	timeout time.Duration
	client  *httpx.Client
}

// NewSesame returns a Sesame resolver, or an error naming the option
// that is wrong (a base URL that is not http(s), an unknown database).
func NewSesame(o SesameOptions) (*Sesame, error) {
	s := &Sesame{dbs: o.Databases, timeout: o.Timeout}
	if s.dbs == "" {
		s.dbs = "A"
	}
	for _, c := range s.dbs {
		if !strings.ContainsRune("SNVA", c) {
			return nil, fmt.Errorf("resolve: Sesame database %q is not one of S (Simbad), N (NED), V (VizieR), A (all)", string(c))
		}
	}
	if len(s.dbs) > 4 {
		return nil, fmt.Errorf("resolve: Sesame databases %q: at most four codes", s.dbs)
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	if s.timeout < 0 {
		return nil, fmt.Errorf("resolve: Sesame timeout %v is negative", s.timeout)
	}
	// No retries: a lookup is interactive, and the next base URL is the
	// fallback. The body cap is the parser's.
	s.client = httpx.New(httpx.Options{Timeout: s.timeout, MaxRetries: -1, MaxBodyBytes: maxReply,
		Transport: o.Transport, Logger: o.Logger})
	bases := o.BaseURLs
	if len(bases) == 0 {
		bases = []string{SesameCDS, SesameCfA}
	}
	for _, b := range bases {
		u, err := url.Parse(b)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("resolve: Sesame base URL %q is not an http(s) URL without query", b)
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath = ""
		s.bases = append(s.bases, u)
	}
	return s, nil
}

// queryURL is the URL asking base for name: {base}/-ox/{dbs}?{name}, the
// name percent-encoded as astropy's urllib.parse.quote does (space: %20).
func (s *Sesame) queryURL(base *url.URL, name string) string {
	return base.String() + "/-ox/" + s.dbs + "?" + strings.ReplaceAll(url.QueryEscape(name), "+", "%20")
}

// Resolve asks each base URL in turn until one answers, and returns the
// first position of the answer. An answer (found, not found, or a bad
// reply) ends the search; only ErrUnreachable moves on to the next URL.
func (s *Sesame) Resolve(ctx context.Context, name string) (Target, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Target{}, errors.New("resolve: empty name")
	}
	var errs []error
	for _, b := range s.bases {
		ts, err := s.ask(ctx, b, name)
		if err == nil {
			return ts[0], nil
		}
		if !errors.Is(err, ErrUnreachable) || ctx.Err() != nil {
			return Target{}, err
		}
		errs = append(errs, err)
	}
	return Target{}, errors.Join(errs...)
}

func (s *Sesame) ask(ctx context.Context, base *url.URL, name string) ([]Target, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	fail := func(kind error, detail string, err error) error {
		return &Error{Kind: kind, Service: "Sesame", Name: name, Detail: detail, Err: err}
	}
	resp, err := s.client.Do(ctx, httpx.Request{URL: s.queryURL(base, name), Header: http.Header{"Accept": {"text/xml, application/xml"}}})
	var se *httpx.StatusError
	switch {
	case errors.As(err, &se) && (se.StatusCode >= 500 || se.StatusCode == http.StatusTooManyRequests || se.StatusCode == http.StatusRequestTimeout):
		return nil, fail(ErrUnreachable, fmt.Sprintf("%s answered HTTP %d", base.Host, se.StatusCode), nil)
	case se != nil:
		return nil, fail(ErrBadReply, fmt.Sprintf("%s answered HTTP %d", base.Host, se.StatusCode), nil)
	case errors.Is(err, httpx.ErrBodyTooLarge):
		return nil, fail(ErrBadReply, fmt.Sprintf("%s sent a reply of more than %d bytes", base.Host, maxReply), err)
	case err != nil:
		return nil, fail(ErrUnreachable, "GET "+base.Host, err)
	}
	return ParseSesame(name, resp.Body)
}
