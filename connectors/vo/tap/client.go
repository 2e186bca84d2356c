package tap

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
	"github.com/arcsecond-go/arcsecond/internal/version"
)

// Client talks to one TAP service. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	http      *http.Client // the caller's (WithHTTPClient), or http.DefaultClient
	retrying  *http.Client // http behind internal/httpx's retries: idempotent requests
	single    *http.Client // the same without retries: queries, job creation and changes
	auth      Auth
	userAgent string
	retries   int
	pollMin   time.Duration
	pollMax   time.Duration
	longPoll  time.Duration
	observer  func(*JobInfo)
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default http.DefaultClient): its
// transport, cookie jar, redirect policy and timeout carry every request. Give
// requests deadlines through their contexts rather than a client Timeout,
// which would also cut off long result downloads.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithAuth sets how requests to the service are authenticated. Credentials
// are sent only to the service's own host, never to other hosts that job
// results may point to, and never appear in errors.
func WithAuth(a Auth) Option { return func(c *Client) { c.auth = a } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithRetries sets how many times an idempotent request (GET, and job
// status polling) is retried after a network error or an HTTP 408, 425,
// 429 or 5xx other than 501, 505 and 511 (the policy of the project's shared
// HTTP layer, internal/httpx), with jittered exponential backoff from
// 200 ms to 30 s, waiting for the server's Retry-After when it is at most
// 30 s (a longer one ends the call with the service's error) (default 3).
// Queries, job creation and job changes are never resubmitted.
func WithRetries(n int) Option { return func(c *Client) { c.retries = max(n, 0) } }

// WithPolling sets the backoff between job status polls on services that
// do not support UWS 1.1 long polling: it starts at min and doubles up to
// max (defaults 250 ms and 10 s). longPoll is the WAIT asked of services
// that do (default 30 s).
func WithPolling(min, max, longPoll time.Duration) Option {
	return func(c *Client) {
		if min > 0 {
			c.pollMin = min
		}
		if max >= c.pollMin {
			c.pollMax = max
		}
		if longPoll >= 0 {
			c.longPoll = longPoll
		}
	}
}

// WithJobObserver sets a function called with each job description the
// client reads while waiting for an async job, e.g. to show progress.
func WithJobObserver(f func(*JobInfo)) Option { return func(c *Client) { c.observer = f } }

// NewClient returns a client for the TAP service at baseURL (the URL to
// which /sync, /async, /capabilities and /tables are appended). User
// information in the URL ("https://user:pw@host/tap") becomes basic
// authentication and is removed from the URL.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return nil, fmt.Errorf("tap: service URL: %w", errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("tap: service URL %q: scheme must be http or https", redactURL(baseURL))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("tap: service URL %q has no host", redactURL(baseURL))
	}
	c := &Client{
		http:      http.DefaultClient,
		userAgent: "arcsecond/" + version.Version + " (TAP client)",
		retries:   3,
		pollMin:   250 * time.Millisecond,
		pollMax:   10 * time.Second,
		longPoll:  30 * time.Second,
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		c.auth = BasicAuth(u.User.Username(), pw)
		u.User = nil
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	c.base = u
	for _, o := range opts {
		o(c)
	}
	if c.http == nil { // WithHTTPClient(nil)
		c.http = http.DefaultClient
	}
	c.retrying = c.newHTTP(c.retries)
	c.single = c.newHTTP(0)
	return c, nil
}

// newHTTP returns an *http.Client that sends through the caller's client
// (its transport, cookie jar, redirect policy and timeout) with the retries
// of internal/httpx. tap keeps its own Auth, User-Agent and redirect rules
// (in do) because they are part of its API and UWS needs them per request.
func (c *Client) newHTTP(retries int) *http.Client {
	rt := c.http.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if retries == 0 {
		retries = -1 // httpx: negative disables retries, 0 means its default
	}
	hx := httpx.New(httpx.Options{
		// A sync query or a UWS long poll (WAIT) may hold the response
		// headers for minutes: only the caller's context bounds a call.
		Timeout:       -1,
		MaxRetries:    retries,
		BackoffMin:    200 * time.Millisecond,
		BackoffMax:    30 * time.Second,
		MaxRetryAfter: 30 * time.Second,
		// No rate limit of tap's own (job polling has its own backoff);
		// callers wanting one pass an httpx client's HTTPClient().
		RatePerHost: -1,
		Transport:   rt,
		Jar:         c.http.Jar,
		UserAgent:   c.userAgent,
	})
	hc := *hx.HTTPClient()
	hc.CheckRedirect, hc.Timeout = c.http.CheckRedirect, c.http.Timeout
	return &hc
}

// String describes the client without its credentials.
func (c *Client) String() string { return "tap.Client(" + c.base.String() + ")" }

// GoString is String, so that %#v shows no credentials either.
func (c *Client) GoString() string { return c.String() }

// BaseURL returns the service's base URL (without credentials).
func (c *Client) BaseURL() string { return c.base.String() }

func (c *Client) endpoint(parts ...string) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.Join(parts, "/")
	return u.String()
}

// Auth adds credentials to a request.
type Auth interface {
	Authorize(req *http.Request) error
}

// AuthFunc adapts a function to Auth.
type AuthFunc func(req *http.Request) error

// Authorize calls f.
func (f AuthFunc) Authorize(req *http.Request) error { return f(req) }

type bearer struct{ token string }

func (b bearer) Authorize(req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+b.token)
	return nil
}
func (bearer) String() string   { return "tap.BearerToken(<redacted>)" }
func (bearer) GoString() string { return "tap.BearerToken(<redacted>)" }

// BearerToken authenticates with an OAuth2-style bearer token.
func BearerToken(token string) Auth { return bearer{token} }

type basic struct{ user, password string }

func (b basic) Authorize(req *http.Request) error {
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(b.user+":"+b.password)))
	return nil
}
func (b basic) String() string   { return "tap.BasicAuth(" + b.user + ", <redacted>)" }
func (b basic) GoString() string { return b.String() }

// BasicAuth authenticates with HTTP basic authentication.
func BasicAuth(user, password string) Auth { return basic{user, password} }

type cookies struct{ cs []*http.Cookie }

func (s cookies) Authorize(req *http.Request) error {
	for _, c := range s.cs {
		req.AddCookie(c)
	}
	return nil
}
func (cookies) String() string   { return "tap.CookieSession(<redacted>)" }
func (cookies) GoString() string { return "tap.CookieSession(<redacted>)" }

// CookieSession authenticates with session cookies obtained from the
// service's login (e.g. ESA's TAP+ or CADC). For a login flow that sets
// cookies itself, give WithHTTPClient a client with a cookie jar instead.
func CookieSession(cs ...*http.Cookie) Auth { return cookies{cs} }

// redactURL removes user information and the query string from a URL, so
// it can appear in errors and logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?@"); i >= 0 {
			return raw[:i]
		}
		return raw
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// sameOrigin reports whether u is on the service's host, the only host to
// which credentials are sent.
func (c *Client) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.base.Scheme) && strings.EqualFold(u.Host, c.base.Host)
}

// request describes one HTTP exchange.
type request struct {
	op          string
	method      string
	url         string
	body        func() (io.Reader, string, error) // content and content type; nil for none
	idempotent  bool
	noRedirect  bool
	okStatuses  []int // besides 2xx
	acceptError bool  // return non-2xx responses instead of turning them into errors
}

// do performs a request; idempotent ones are retried on transient failures
// (network errors, 429, 5xx: see WithRetries) by internal/httpx, which hands
// over the last response, so that a DALI error document in its body still
// becomes a *ServiceError. The caller closes the body of the response.
func (c *Client) do(ctx context.Context, r request) (*http.Response, error) {
	var body io.Reader
	var ctype string
	if r.body != nil {
		var err error
		if body, ctype, err = r.body(); err != nil {
			return nil, fmt.Errorf("tap: %s: %w", r.op, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, fmt.Errorf("tap: %s: %w", r.op, errors.Unwrap(err))
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("User-Agent", c.userAgent)
	if c.auth != nil && c.sameOrigin(req.URL) {
		if err := c.auth.Authorize(req); err != nil {
			return nil, fmt.Errorf("tap: %s: authorizing request: %w", r.op, err)
		}
	}
	hc := c.single
	if r.idempotent {
		hc = c.retrying
	}
	if r.noRedirect || c.auth != nil {
		cp := *hc
		base := hc.CheckRedirect
		cp.CheckRedirect = func(nreq *http.Request, via []*http.Request) error {
			if r.noRedirect {
				return http.ErrUseLastResponse
			}
			// Never forward credentials to another host.
			if !c.sameOrigin(nreq.URL) {
				nreq.Header.Del("Authorization")
				nreq.Header.Del("Cookie")
			}
			if base != nil {
				return base(nreq, via)
			}
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		}
		hc = &cp
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &transportError{op: r.op, url: redactURL(r.url), err: unwrapURLError(err)}
	}
	if resp.StatusCode/100 == 2 || r.acceptError {
		return resp, nil
	}
	for _, s := range r.okStatuses {
		if resp.StatusCode == s {
			return resp, nil
		}
	}
	defer resp.Body.Close()
	return nil, errorFromResponse(r.op, resp)
}

// transportError is a failure to reach the service (DNS, connection,
// timeout, truncated response).
type transportError struct {
	op, url string
	err     error
}

func (e *transportError) Error() string {
	return fmt.Sprintf("tap: %s at %s: %v", e.op, e.url, e.err)
}
func (e *transportError) Unwrap() error { return e.err }

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// getDoc fetches a document with GET.
func (c *Client) get(ctx context.Context, op, u string) (*http.Response, error) {
	return c.do(ctx, request{op: op, method: http.MethodGet, url: u, idempotent: true})
}

// postForm posts URL-encoded parameters.
func (c *Client) postForm(ctx context.Context, op, u string, v url.Values, noRedirect bool, ok ...int) (*http.Response, error) {
	enc := v.Encode()
	return c.do(ctx, request{
		op: op, method: http.MethodPost, url: u, noRedirect: noRedirect, okStatuses: ok,
		body: func() (io.Reader, string, error) {
			return strings.NewReader(enc), "application/x-www-form-urlencoded", nil
		},
	})
}
