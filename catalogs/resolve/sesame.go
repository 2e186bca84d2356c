package resolve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
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
	// Client sends the queries (default: a client with no timeout of its
	// own, Timeout bounding each query).
	Client *http.Client
}

// Sesame resolves names through the CDS Sesame name resolver's HTTP GET
// interface, asking for its XML output: GET {base}/-ox/{databases}?{name}.
type Sesame struct {
	bases   []*url.URL
	dbs     string
	timeout time.Duration
	client  *http.Client
}

// NewSesame returns a Sesame resolver, or an error naming the option
// that is wrong (a base URL that is not http(s), an unknown database).
func NewSesame(o SesameOptions) (*Sesame, error) {
	s := &Sesame{dbs: o.Databases, timeout: o.Timeout, client: o.Client}
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
	if s.client == nil {
		s.client = &http.Client{}
	}
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
	u := s.queryURL(base, name)
	fail := func(kind error, detail string, err error) error {
		return &Error{Kind: kind, Service: "Sesame", Name: name, Detail: detail, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fail(ErrBadReply, "building the request "+u, err)
	}
	req.Header.Set("Accept", "text/xml, application/xml")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fail(ErrUnreachable, "GET "+base.Host, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return nil, fail(ErrUnreachable, "reading the reply of "+base.Host, err)
	}
	switch {
	case resp.StatusCode >= 500:
		return nil, fail(ErrUnreachable, fmt.Sprintf("%s answered HTTP %d", base.Host, resp.StatusCode), nil)
	case resp.StatusCode != http.StatusOK:
		return nil, fail(ErrBadReply, fmt.Sprintf("%s answered HTTP %d", base.Host, resp.StatusCode), nil)
	}
	return ParseSesame(name, body)
}
