package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrBodyTooLarge is matched by the error for a reply over Client.MaxBody.
var ErrBodyTooLarge = errors.New("response body too large")

// ErrTruncatedBody is matched by the error for a reply that ended before
// its announced length.
var ErrTruncatedBody = errors.New("truncated response body")

// StatusError is a non-2xx reply, after the retries its status allows.
type StatusError struct {
	Method     string
	URL        string // redacted
	StatusCode int
	Attempts   int
	RetryAfter time.Duration
	Snippet    string // start of the body, one line
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d", e.Method, e.URL, e.StatusCode)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.Snippet != "" {
		s += fmt.Sprintf(": %q", e.Snippet)
	}
	return s
}

// Client makes the connectors' HTTP requests: every attempt has a deadline,
// 429, 408 and 5xx replies (but 501) and transport errors are retried with
// exponential backoff and jitter, honouring Retry-After up to MaxRetryAfter,
// bodies are capped at MaxBody, and URLs in errors are redacted.
//
// The zero value is usable: it uses the defaults below.
type Client struct {
	// HTTP carries the requests; a client over Transport (or
	// http.DefaultTransport) when nil.
	HTTP *http.Client
	// Transport replaces the network transport when HTTP is nil.
	Transport http.RoundTripper
	// Timeout bounds each attempt (default 30 s).
	Timeout time.Duration
	// Retries is how many times a failed attempt is retried (default 3;
	// negative for none).
	Retries int
	// Backoff is the first retry's delay (default 500 ms), doubled after
	// each retry.
	Backoff time.Duration
	// MaxRetryAfter caps the wait a Retry-After may ask for (default 60 s);
	// a longer one ends the retries.
	MaxRetryAfter time.Duration
	// MaxBody caps a reply's size (default 64 MiB).
	MaxBody int64
	// UserAgent is sent with every request.
	UserAgent string
	// Header is added to every request (credentials go here; they are
	// never logged nor put in errors).
	Header http.Header
}

func (c *Client) client() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	t := c.Transport
	if t == nil {
		t = http.DefaultTransport
	}
	return &http.Client{Transport: t}
}

// Request describes one call.
type Request struct {
	Method string // GET when empty
	URL    string
	Body   []byte
	Header http.Header
}

// Do performs req and returns the body of a 2xx reply.
func (c *Client) Do(ctx context.Context, req Request) ([]byte, http.Header, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	timeout := def(c.Timeout, 30*time.Second)
	retries := c.Retries
	if retries == 0 {
		retries = 3
	} else if retries < 0 {
		retries = 0
	}
	backoff := def(c.Backoff, 500*time.Millisecond)
	maxRA := def(c.MaxRetryAfter, 60*time.Second)
	maxBody := c.MaxBody
	if maxBody <= 0 {
		maxBody = 64 << 20
	}
	red := RedactURL(req.URL)
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", method, red, err)
		}
		body, hdr, status, err := c.once(ctx, method, req, timeout, maxBody)
		wait := time.Duration(0)
		switch {
		case err == nil && status/100 == 2:
			return body, hdr, nil
		case err != nil:
			if ctx.Err() != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", method, red, ctx.Err())
			}
			if errors.Is(err, ErrBodyTooLarge) {
				return nil, nil, fmt.Errorf("%s %s: %w", method, red, err)
			}
			lastErr = fmt.Errorf("%s %s: %w", method, red, err)
		default:
			se := &StatusError{Method: method, URL: red, StatusCode: status, Attempts: attempt, Snippet: snippet(body)}
			lastErr = se
			if !retryable(status) {
				return nil, hdr, se
			}
			if ra, ok := retryAfter(hdr.Get("Retry-After")); ok {
				se.RetryAfter = ra
				if ra > maxRA {
					return nil, hdr, se
				}
				wait = ra
			}
		}
		if attempt > retries {
			return nil, nil, lastErr
		}
		if wait == 0 {
			d := backoff << (attempt - 1)
			wait = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, nil, fmt.Errorf("%s %s: %w (waiting to retry after: %v)", method, red, ctx.Err(), lastErr)
		case <-t.C:
		}
	}
}

func (c *Client) once(ctx context.Context, method string, req Request, timeout time.Duration, maxBody int64) ([]byte, http.Header, int, error) {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(actx, method, req.URL, body)
	if err != nil {
		return nil, nil, 0, err
	}
	for k, v := range c.Header {
		hr.Header[k] = v
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	if c.UserAgent != "" {
		hr.Header.Set("User-Agent", c.UserAgent)
	}
	resp, err := c.client().Do(hr)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is in our own message, redacted
		}
		return nil, nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: %v", ErrTruncatedBody, err)
		}
		return nil, resp.Header, resp.StatusCode, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(b)) > maxBody {
		return nil, resp.Header, resp.StatusCode, fmt.Errorf("%w: over %d bytes", ErrBodyTooLarge, maxBody)
	}
	if resp.ContentLength >= 0 && int64(len(b)) < resp.ContentLength {
		return nil, resp.Header, resp.StatusCode, fmt.Errorf("%w: %d of %d bytes", ErrTruncatedBody, len(b), resp.ContentLength)
	}
	return b, resp.Header, resp.StatusCode, nil
}

func def(d, v time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return v
}

func retryable(status int) bool {
	return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 505)
}

func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func snippet(b []byte) string {
	if len(b) > 300 {
		b = b[:300]
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// RedactURL returns u with user information and credential-like query
// values replaced by REDACTED.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			return raw[:i]
		}
		return raw
	}
	if u.User != nil {
		u.User = url.User("REDACTED")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			l := strings.ToLower(k)
			for _, s := range []string{"token", "pass", "secret", "key", "session", "auth", "sig"} {
				if strings.Contains(l, s) {
					q[k] = []string{"REDACTED"}
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment = ""
	return u.String()
}

// HTTPStatus returns the reply's status code; callers outside this package
// match it with errors.As(err, &interface{ HTTPStatus() int }).
func (e *StatusError) HTTPStatus() int { return e.StatusCode }
