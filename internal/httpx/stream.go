package httpx

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// attemptTimeoutError is the cancellation cause of a Stream attempt that ran
// out of Options.Timeout before the response headers arrived. Like the
// per-attempt timeout of Do, it matches context.DeadlineExceeded.
type attemptTimeoutError struct{ d time.Duration }

func (e attemptTimeoutError) Error() string        { return fmt.Sprintf("attempt timed out after %v", e.d) }
func (e attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

func isAttemptTimeout(err error) bool {
	var ate attemptTimeoutError
	return errors.As(err, &ate)
}

// retryTransport retries a request, on the same conditions as Client.Do,
// until response headers arrive; the body is then handed over unread.
type retryTransport struct{ c *Client }

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	ctx := req.Context()
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	secrets := secretsOf(req, c.o.Auth)
	safeURL := redactURL(req.URL)
	var last error
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithCancelCause(withAttempt(ctx, attempt))
		var timer *time.Timer
		if c.o.Timeout > 0 {
			timer = time.AfterFunc(c.o.Timeout, func() { cancel(attemptTimeoutError{c.o.Timeout}) })
		}
		r := req.Clone(actx)
		if attempt > 1 && req.Body != nil && req.Body != http.NoBody {
			b, err := req.GetBody()
			if err != nil {
				cancel(nil)
				return nil, newRequestError(req.Method, safeURL, attempt, fmt.Errorf("rewinding the request body: %w", err), secrets)
			}
			r.Body = b
		}
		resp, err := c.inner.RoundTrip(r)
		if timer != nil && !timer.Stop() && err == nil {
			// The timeout fired as the headers arrived: the body is unusable.
			resp.Body.Close()
			resp, err = nil, attemptTimeoutError{c.o.Timeout}
		}
		if err != nil {
			cancel(nil)
			if cerr := ctx.Err(); cerr != nil {
				if !errors.Is(err, cerr) {
					err = fmt.Errorf("%w: %w", cerr, err)
				}
				return nil, newRequestError(req.Method, safeURL, attempt, err, secrets)
			}
			if cause := context.Cause(actx); isAttemptTimeout(cause) && !isAttemptTimeout(err) {
				err = fmt.Errorf("%w: %w", cause, err)
			}
			last = newRequestError(req.Method, safeURL, attempt, err, secrets)
			if !retryableErr(err) || !replayable || attempt > c.o.MaxRetries {
				return nil, last
			}
			wait := c.backoff(attempt)
			if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
				return nil, withReason(last, fmt.Sprintf("not retried: the next attempt, in %v, would pass the context deadline", wait.Round(time.Millisecond)))
			}
			if err := c.retryWait(ctx, req.Method, safeURL, attempt, wait, last, secrets); err != nil {
				return nil, err
			}
			continue
		}
		// A response: hand it over unless it is worth retrying and there is
		// time and budget to do so.
		ra, hasRA := parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		retry := retryableStatus(resp.StatusCode) && replayable && attempt <= c.o.MaxRetries && !(hasRA && ra > c.o.MaxRetryAfter)
		var wait time.Duration
		if retry {
			wait = max(c.backoff(attempt), ra)
			if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
				retry = false
			}
		}
		if !retry {
			resp.Body = &handedBody{rc: resp.Body, cancel: cancel, attempts: attempt}
			return resp, nil
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		resp.Body.Close()
		cancel(nil)
		last = &StatusError{Method: req.Method, StatusCode: resp.StatusCode, Status: statusText(resp.StatusCode),
			URL: safeURL, Body: []byte(scrub(string(snippetBytes(body)), secrets)), Attempts: attempt, RetryAfter: ra}
		if err := c.retryWait(ctx, req.Method, safeURL, attempt, wait, last, secrets); err != nil {
			return nil, err
		}
	}
}

// retryWait logs a retry and sleeps before it; it fails when ctx ends first.
func (c *Client) retryWait(ctx context.Context, method, safeURL string, attempt int, wait time.Duration, last error, secrets []string) error {
	c.o.Logger.Info("httpx: retrying", "method", method, "url", safeURL, "attempt", attempt,
		"wait", wait.Round(time.Millisecond), "reason", scrub(causeText(last), secrets))
	if err := c.sleep(ctx, wait); err != nil {
		return newRequestError(method, safeURL, attempt,
			fmt.Errorf("%w while waiting to retry after %s", err, scrub(causeText(last), secrets)), secrets)
	}
	return nil
}

// handedBody is a response body handed to the caller: closing it releases
// the attempt's context.
type handedBody struct {
	rc       io.ReadCloser
	cancel   context.CancelCauseFunc
	attempts int
	once     sync.Once
}

func (b *handedBody) Read(p []byte) (int, error) { return b.rc.Read(p) }

func (b *handedBody) Close() error {
	err := b.rc.Close()
	b.once.Do(func() { b.cancel(nil) })
	return err
}

// Stream sends req (with ctx) and returns the response with its body unread,
// for large results such as VOTables: read it incrementally and Close it.
// Retries, per-attempt Timeout (up to the response headers), rate limit,
// credentials and User-Agent are as for Do; once the body is handed over
// only ctx bounds it. A non-2xx final status is a *StatusError (the body is
// then closed). The returned body is gzip-decoded when the server sent gzip
// the transport did not decode, is capped at Options.MaxStreamBytes
// (ErrBodyTooLarge) and reports a short read against Content-Length as
// ErrTruncatedBody. A request with a body is retried only if GetBody is set
// (http.NewRequest sets it for bytes, strings and bytes.Reader bodies).
func (c *Client) Stream(ctx context.Context, req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("httpx: Stream: nil request or URL")
	}
	if ctx == nil {
		return nil, fmt.Errorf("httpx: %s %s: nil context", req.Method, redactURL(req.URL))
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if _, err := checkURL(req.URL.String()); err != nil {
		return nil, &RequestError{Method: method, URL: redactURL(req.URL), Err: Permanent(err), msg: err.Error()}
	}
	resp, err := c.hc.Do(req.WithContext(ctx))
	if err != nil {
		var re *RequestError
		if errors.As(err, &re) {
			return nil, re
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, newRequestError(method, redactURL(req.URL), 1, err, secretsOf(req, c.o.Auth))
	}
	attempts := 1
	if hb, ok := resp.Body.(*handedBody); ok {
		attempts = hb.attempts
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, snippetLen))
		resp.Body.Close()
		final := req.URL
		if resp.Request != nil && resp.Request.URL != nil {
			final = resp.Request.URL
		}
		se := &StatusError{Method: method, StatusCode: resp.StatusCode, Status: statusText(resp.StatusCode),
			URL: redactURL(final), Body: []byte(scrub(string(body), secretsOf(req, c.o.Auth))), Attempts: attempts}
		if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
			se.RetryAfter = ra
			if ra > c.o.MaxRetryAfter {
				se.Reason = fmt.Sprintf("server asked to retry after %v, beyond MaxRetryAfter %v", ra, c.o.MaxRetryAfter)
			}
		}
		return nil, se
	}
	sb := &streamBody{closer: resp.Body, limit: c.o.MaxStreamBytes, want: -1}
	var r io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") && !resp.Uncompressed && method != http.MethodHead && resp.ContentLength != 0 {
		cr := &countingReader{r: resp.Body}
		if resp.ContentLength > 0 {
			sb.raw, sb.rawWant = cr, resp.ContentLength
		}
		sb.gz = true
		r = &lazyGzip{src: cr}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	} else if resp.ContentLength > 0 && method != http.MethodHead {
		sb.want = resp.ContentLength
	}
	sb.r = r
	resp.Body = sb
	return resp, nil
}

// streamBody enforces the stream cap and detects truncation.
type streamBody struct {
	r       io.Reader
	closer  io.Closer
	limit   int64
	n       int64 // bytes returned so far (decoded)
	want    int64 // Content-Length of an identity body, or -1
	raw     *countingReader
	rawWant int64 // Content-Length of a compressed body, or 0
	gz      bool
	err     error
}

func (s *streamBody) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if rem := s.limit - s.n + 1; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.n > s.limit {
		s.err = fmt.Errorf("httpx: %w: more than %d bytes (MaxStreamBytes)", ErrBodyTooLarge, s.limit)
		return n - int(s.n-s.limit), s.err
	}
	switch {
	case err == io.EOF:
		if s.want >= 0 && s.n != s.want {
			s.err = fmt.Errorf("httpx: %w: received %d of the %d bytes announced by Content-Length", ErrTruncatedBody, s.n, s.want)
			return n, s.err
		}
		if s.raw != nil && s.raw.n != s.rawWant {
			s.err = fmt.Errorf("httpx: %w: received %d of the %d compressed bytes announced by Content-Length", ErrTruncatedBody, s.raw.n, s.rawWant)
			return n, s.err
		}
	case errors.Is(err, io.ErrUnexpectedEOF):
		s.err = fmt.Errorf("httpx: %w: %w", ErrTruncatedBody, err)
		return n, s.err
	}
	return n, err
}

func (s *streamBody) Close() error { return s.closer.Close() }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// lazyGzip opens the gzip stream on first Read, so that Stream itself does
// not block on the body.
type lazyGzip struct {
	src io.Reader
	zr  *gzip.Reader
	err error
}

func (l *lazyGzip) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.zr == nil {
		zr, err := gzip.NewReader(l.src)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			l.err = fmt.Errorf("decoding gzip body: %w", err)
			return 0, l.err
		}
		l.zr = zr
	}
	return l.zr.Read(p)
}
