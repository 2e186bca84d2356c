package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryableStatus reports whether a response status is worth retrying:
// 408 Request Timeout, 425 Too Early, 429 Too Many Requests and the 5xx
// statuses except 501 Not Implemented, 505 HTTP Version Not Supported and
// 511 Network Authentication Required, which will not change on retry.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	case http.StatusNotImplemented, http.StatusHTTPVersionNotSupported, http.StatusNetworkAuthenticationRequired:
		return false
	}
	return code >= 500 && code <= 599
}

// retryableErr reports whether a failed attempt (no usable response) is
// worth retrying: network errors, per-attempt timeouts and truncated bodies
// are; certificate errors, malformed requests, oversized bodies and errors
// marked Permanent are not.
func retryableErr(err error) bool {
	if err == nil || isPermanent(err) || errors.Is(err, ErrBodyTooLarge) {
		return false
	}
	var (
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) || errors.As(err, &verifyErr) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"unsupported protocol scheme", "no Host in request URL", "stopped after", "invalid header", "net/http: invalid"} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// backoff returns the wait before retry number n (n >= 1): uniform in
// [BackoffMin, min(BackoffMax, BackoffMin·2^(n-1))].
func (c *Client) backoff(n int) time.Duration {
	lo, hi := c.o.BackoffMin, c.o.BackoffMax
	ceil := lo
	for i := 1; i < n && ceil < hi; i++ {
		ceil *= 2
	}
	if ceil > hi || ceil <= 0 {
		ceil = hi
	}
	if ceil <= lo {
		return lo
	}
	return lo + rand.N(ceil-lo+1)
}

// maxRetryAfterSeconds bounds parsed Retry-After values so that the
// conversion to time.Duration cannot overflow (about 31 years).
const maxRetryAfterSeconds = 1 << 30

// parseRetryAfter reads a Retry-After header value: a non-negative number of
// seconds or an HTTP date (RFC 9110 §10.2.3); a date in the past means 0.
// ok is false for an empty or malformed value.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			if ne, isNum := err.(*strconv.NumError); isNum && errors.Is(ne.Err, strconv.ErrRange) {
				return maxRetryAfterSeconds * time.Second, true
			}
			return 0, false
		}
		return time.Duration(min(s, maxRetryAfterSeconds)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d = t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// sleepCtx waits d or until ctx ends, returning ctx.Err() in the latter case.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
