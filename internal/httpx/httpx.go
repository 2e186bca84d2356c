package httpx

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/version"
	"github.com/go-resty/resty/v2"
)

// Defaults applied by New to zero fields of Options.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRetries    = 4
	DefaultBackoffMin    = 500 * time.Millisecond
	DefaultBackoffMax    = 30 * time.Second
	DefaultMaxRetryAfter = 2 * time.Minute
	DefaultRatePerHost   = 2.0
	DefaultMaxBodyBytes  = 64 << 20
	DefaultMaxStreamSize = 4 << 30
)

// DefaultUserAgent is sent when Options.UserAgent is empty.
const DefaultUserAgent = "arcsecond-go/" + version.Version + " (+https://github.com/arcsecond-go/arcsecond)"

// Options configures a Client. The zero value is usable: every zero field
// takes the default named in its comment.
type Options struct {
	// Timeout bounds one attempt (connect, headers and, except for Stream,
	// the body). Default 30s; negative means no per-attempt limit. The
	// context passed to each call bounds the whole call, retries included.
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt, for
	// network errors, timeouts, truncated bodies, 408, 429 and 5xx (except
	// 501 and 505). Default 4; negative disables retries.
	MaxRetries int
	// BackoffMin and BackoffMax bound the wait before a retry: the n-th
	// retry waits a uniformly random time between BackoffMin and
	// min(BackoffMax, BackoffMin·2^(n-1)) ("full jitter" above a floor).
	// Defaults 500ms and 30s.
	BackoffMin, BackoffMax time.Duration
	// MaxRetryAfter caps how long a server's Retry-After (seconds or HTTP
	// date) is honoured: a longer one ends the call at once with a
	// StatusError carrying RetryAfter. Default 2 minutes.
	MaxRetryAfter time.Duration
	// RatePerHost is the sustained request rate allowed to each host
	// (host[:port]), in requests per second. Default 2; negative means
	// unlimited. Every attempt and redirect counts.
	RatePerHost float64
	// Burst is the number of requests a host may receive at once before
	// RatePerHost applies. Default 1.
	Burst int
	// HostRates overrides RatePerHost for some hosts ("mast.stsci.edu" or
	// "host:port"); a negative value means unlimited.
	HostRates map[string]float64
	// RateLimiter, when set, replaces RatePerHost, Burst and HostRates with
	// a limiter shared with other Clients (see NewRateLimiter).
	RateLimiter *RateLimiter
	// MaxBodyBytes caps a buffered response body (after gzip decoding).
	// Default 64 MiB. Exceeding it fails the call with ErrBodyTooLarge.
	MaxBodyBytes int64
	// MaxStreamBytes caps the body returned by Stream. Default 4 GiB.
	MaxStreamBytes int64
	// UserAgent is sent with every request that has none. Default
	// DefaultUserAgent ("arcsecond-go/<version> (+https://...)").
	UserAgent string
	// Transport performs the requests: an httpmock or go-vcr transport in
	// tests. Default: a clone of http.DefaultTransport.
	Transport http.RoundTripper
	// Jar stores cookies between requests when set (none by default).
	Jar http.CookieJar
	// Logger receives one Debug record per attempt and one Info record per
	// retry. URLs are logged with credentials replaced by "REDACTED";
	// headers and bodies are never logged. Default: discard.
	Logger *slog.Logger
	// Auth, when set, adds credentials to every request (see Auth).
	Auth Auth
}

// Client is a shared HTTP client with retries, rate limits, a body cap and
// credential-safe logging. It is safe for concurrent use; create one per
// service (or share one) and reuse it.
type Client struct {
	o     Options
	inner *transport    // UA, auth, rate limit, logging
	rc    *resty.Client // buffered calls, built on inner
	hc    *http.Client  // Stream and HTTPClient, retrying transport over inner

	// test hooks
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
}

// Response is a complete, buffered HTTP response with a 2xx status.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// URL is the final URL, after redirects. It may contain credentials
	// from the request: use RedactURL before logging it.
	URL string
	// Attempts is how many requests the call made (1 + retries).
	Attempts int
}

// New returns a Client for o, with defaults filled in.
func New(o Options) *Client {
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.BackoffMin <= 0 {
		o.BackoffMin = DefaultBackoffMin
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = DefaultBackoffMax
	}
	if o.BackoffMax < o.BackoffMin {
		o.BackoffMax = o.BackoffMin
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if o.RatePerHost == 0 {
		o.RatePerHost = DefaultRatePerHost
	}
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxStreamBytes <= 0 {
		o.MaxStreamBytes = DefaultMaxStreamSize
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 8
		o.Transport = t
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.RateLimiter == nil {
		o.RateLimiter = NewRateLimiter(o.RatePerHost, o.Burst, o.HostRates)
	}
	c := &Client{o: o, sleep: sleepCtx, now: time.Now}
	c.inner = &transport{
		base:    o.Transport,
		ua:      o.UserAgent,
		auth:    o.Auth,
		limiter: o.RateLimiter,
		log:     o.Logger,
	}
	c.rc = resty.NewWithClient(&http.Client{Transport: c.inner, Jar: o.Jar}).
		SetLogger(nopLogger{}).
		SetDisableWarn(true).
		SetRetryCount(0).
		SetHeader("User-Agent", o.UserAgent)
	c.hc = &http.Client{Transport: &retryTransport{c: c}, Jar: o.Jar}
	return c
}

// Options returns the options in force, defaults filled in.
func (c *Client) Options() Options { return c.o }

// HTTPClient returns an *http.Client sharing this Client's transport, User-
// Agent, credentials, per-host rate limit, logging and retries (which happen
// before the response body is handed over; requests with a body are retried
// only when GetBody is set). Non-2xx responses are returned, not turned into
// errors, and bodies are neither capped nor decoded beyond what the transport
// does. Errors it returns are wrapped by net/http in a *url.Error quoting the
// full URL: redact before logging.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// Request describes a call for Do.
type Request struct {
	Method string      // default GET
	URL    string      // absolute http or https URL; may already hold a query
	Query  url.Values  // added to the URL's query
	Header http.Header // extra headers (User-Agent and credentials are added)
	// Form, when non-nil, is sent url-encoded as the body.
	Form url.Values
	// Body is sent as is, with ContentType, when Form is nil.
	Body        []byte
	ContentType string
}

// Get fetches rawURL with query added to its query string.
func (c *Client) Get(ctx context.Context, rawURL string, query url.Values) (*Response, error) {
	return c.Do(ctx, Request{Method: http.MethodGet, URL: rawURL, Query: query})
}

// PostForm posts form url-encoded (as TAP and most VO services expect).
// POSTs are retried like GETs: every service this SDK talks to uses POST for
// read-only queries.
func (c *Client) PostForm(ctx context.Context, rawURL string, form url.Values) (*Response, error) {
	if form == nil {
		form = url.Values{}
	}
	return c.Do(ctx, Request{Method: http.MethodPost, URL: rawURL, Form: form})
}

// PostJSON posts body encoded as JSON.
func (c *Client) PostJSON(ctx context.Context, rawURL string, body any) (*Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("httpx: POST %s: encoding the JSON body: %w", RedactURL(rawURL), err)
	}
	return c.Do(ctx, Request{Method: http.MethodPost, URL: rawURL, Body: b, ContentType: "application/json"})
}

// Do performs r with retries and returns the buffered response. A non-2xx
// status after retries is a *StatusError; any other failure is a
// *RequestError (which unwraps to its cause, e.g. context.DeadlineExceeded,
// ErrTruncatedBody or ErrBodyTooLarge).
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	r.Method = strings.ToUpper(r.Method)
	if ctx == nil {
		return nil, fmt.Errorf("httpx: %s %s: nil context", r.Method, RedactURL(r.URL))
	}
	u, err := checkURL(r.URL)
	if err != nil {
		return nil, &RequestError{Method: r.Method, URL: RedactURL(r.URL), Attempts: 0, Err: Permanent(err), msg: err.Error()}
	}
	if len(r.Query) > 0 { // appended, keeping the URL's own query as written
		if u.RawQuery != "" {
			u.RawQuery += "&" + r.Query.Encode()
		} else {
			u.RawQuery = r.Query.Encode()
		}
	}
	secrets := secretsOf(&http.Request{URL: u, Header: r.Header}, c.o.Auth)
	safeURL := redactURL(u)

	var last error
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, r, u, attempt)
		if err == nil && resp.Status >= 200 && resp.Status < 300 {
			resp.Attempts = attempt
			return resp, nil
		}
		var retryAfter time.Duration
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				if !errors.Is(err, cerr) {
					err = fmt.Errorf("%w: %w", cerr, err)
				}
				return nil, newRequestError(r.Method, safeURL, attempt, err, secrets)
			}
			last = newRequestError(r.Method, safeURL, attempt, err, secrets)
			if !retryableErr(err) {
				return nil, last
			}
		} else {
			se := &StatusError{
				Method:     r.Method,
				StatusCode: resp.Status,
				Status:     statusText(resp.Status),
				URL:        safeURL,
				Body:       []byte(scrub(string(snippetBytes(resp.Body)), secrets)),
				Attempts:   attempt,
			}
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
				se.RetryAfter, retryAfter = ra, ra
			}
			last = se
			if !retryableStatus(resp.Status) {
				return nil, se
			}
			if retryAfter > c.o.MaxRetryAfter {
				se.Reason = fmt.Sprintf("server asked to retry after %v, beyond MaxRetryAfter %v", retryAfter, c.o.MaxRetryAfter)
				return nil, se
			}
		}
		if attempt > c.o.MaxRetries {
			return nil, last
		}
		wait := max(c.backoff(attempt), retryAfter)
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			return nil, withReason(last, fmt.Sprintf("not retried: the next attempt, in %v, would pass the context deadline", wait.Round(time.Millisecond)))
		}
		if err := c.retryWait(ctx, r.Method, safeURL, attempt, wait, last, secrets); err != nil {
			return nil, err
		}
	}
}

// attempt performs one request and reads its body.
func (c *Client) attempt(ctx context.Context, r Request, u *url.URL, n int) (*Response, error) {
	actx := withAttempt(ctx, n)
	if c.o.Timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(actx, c.o.Timeout)
		defer cancel()
	}
	rr := c.rc.R().SetContext(actx).SetDoNotParseResponse(true)
	for k, vs := range r.Header {
		rr.SetHeaderMultiValues(map[string][]string{k: vs})
	}
	switch {
	case r.Form != nil:
		rr.SetFormDataFromValues(r.Form)
	case r.Body != nil:
		rr.SetBody(r.Body)
		if r.ContentType != "" {
			rr.SetHeader("Content-Type", r.ContentType)
		}
	}
	res, err := rr.Execute(r.Method, u.String())
	if err == nil && (res == nil || res.RawResponse == nil) {
		err = errors.New("no response")
	}
	if err == nil {
		raw := res.RawResponse
		var body []byte
		body, err = c.readBody(raw, r.Method)
		raw.Body.Close()
		if err == nil {
			final := u.String()
			if raw.Request != nil && raw.Request.URL != nil {
				final = raw.Request.URL.String()
			}
			return &Response{Status: raw.StatusCode, Header: raw.Header, Body: body, URL: final}, nil
		}
	}
	switch {
	case isPermanent(err):
	case ctx.Err() == nil && actx.Err() != nil:
		err = fmt.Errorf("attempt timed out after %v: %w", c.o.Timeout, err)
	case errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrTruncatedBody):
		err = fmt.Errorf("%w: %w", ErrTruncatedBody, err)
	}
	return nil, err
}

// readBody reads a whole response body, decoding gzip the transport left
// encoded, within MaxBodyBytes, and checks it against Content-Length.
func (c *Client) readBody(raw *http.Response, method string) ([]byte, error) {
	limit := c.o.MaxBodyBytes
	var src io.Reader = raw.Body
	var counter *countingReader
	noBody := method == http.MethodHead || raw.StatusCode == http.StatusNoContent || raw.StatusCode == http.StatusNotModified
	gz := !noBody && raw.ContentLength != 0 && !raw.Uncompressed &&
		strings.EqualFold(strings.TrimSpace(raw.Header.Get("Content-Encoding")), "gzip")
	if gz {
		counter = &countingReader{r: raw.Body}
		zr, err := gzip.NewReader(counter)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			err = fmt.Errorf("decoding gzip body: %w", err)
			if errors.Is(err, gzip.ErrHeader) { // not gzip at all: retrying will not help
				err = Permanent(err)
			}
			return nil, err
		}
		defer zr.Close()
		src = zr
		raw.Header.Del("Content-Encoding")
		raw.Header.Del("Content-Length")
	}
	var buf bytes.Buffer
	if !gz && raw.ContentLength > 0 && raw.ContentLength <= limit {
		buf.Grow(int(raw.ContentLength) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(src, limit+1))
	if err != nil {
		if gz {
			return nil, fmt.Errorf("decoding gzip body: %w", err)
		}
		return nil, err
	}
	if n > limit {
		return nil, Permanent(fmt.Errorf("%w: more than %d bytes (MaxBodyBytes)", ErrBodyTooLarge, limit))
	}
	switch {
	case noBody:
	case gz && raw.ContentLength > 0 && counter.n < raw.ContentLength:
		return nil, fmt.Errorf("%w: received %d of the %d compressed bytes announced by Content-Length", ErrTruncatedBody, counter.n, raw.ContentLength)
	case !gz && raw.ContentLength >= 0 && n != raw.ContentLength:
		return nil, fmt.Errorf("%w: received %d of the %d bytes announced by Content-Length", ErrTruncatedBody, n, raw.ContentLength)
	}
	return buf.Bytes(), nil
}

func checkURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("invalid URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid URL: scheme %q is not http or https", u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("invalid URL: no host")
	}
	return u, nil
}

func newRequestError(method, safeURL string, attempts int, err error, secrets []string) *RequestError {
	var ue *url.Error
	msgErr := err
	if errors.As(err, &ue) && ue.Err != nil && err == error(ue) {
		msgErr = ue.Err // net/http quotes the raw URL; we print our redacted one
	}
	var re *RequestError
	if errors.As(err, &re) {
		return &RequestError{Method: method, URL: safeURL, Attempts: attempts, Err: re.Err, msg: re.msg}
	}
	// Err stays reachable through errors.As: its *url.Error must not
	// quote the raw URL either.
	return &RequestError{Method: method, URL: safeURL, Attempts: attempts, Err: RedactURLError(err, RedactURL), msg: scrub(msgErr.Error(), secrets)}
}

// causeText describes a failed attempt without the method and URL prefix.
func causeText(err error) string {
	switch e := err.(type) {
	case *StatusError:
		if e.Status != "" {
			return e.Status
		}
		return fmt.Sprintf("status %d", e.StatusCode)
	case *RequestError:
		if e.msg != "" {
			return e.msg
		}
	}
	return err.Error()
}

func withReason(err error, reason string) error {
	switch e := err.(type) {
	case *StatusError:
		e.Reason = reason
	case *RequestError:
		e.msg = e.msg + " (" + reason + ")"
	}
	return err
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprintf("status %d", code)
}

func snippetBytes(b []byte) []byte {
	if len(b) > snippetLen {
		b = b[:snippetLen]
	}
	return bytes.Clone(b)
}

// nopLogger silences resty: this package does its own, redacted, logging.
type nopLogger struct{}

func (nopLogger) Errorf(string, ...any) {}
func (nopLogger) Warnf(string, ...any)  {}
func (nopLogger) Debugf(string, ...any) {}

// CloseIdleConnections closes the idle keep-alive connections of the
// transport, if it has any (tests call it before checking for goroutine
// leaks).
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.o.Transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
