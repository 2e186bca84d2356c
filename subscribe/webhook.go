package subscribe

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
	"github.com/arcsecond-go/arcsecond/internal/version"
)

// Standard Webhooks header names (https://www.standardwebhooks.com).
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Sign returns the webhook-signature header value for a message: one
// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" per secret, separated by
// spaces. Secrets are "whsec_" + base64.
func Sign(id string, ts time.Time, body []byte, secrets ...string) (string, error) {
	var sigs []string
	for _, s := range secrets {
		k, err := decodeSecret(s)
		if err != nil {
			return "", fmt.Errorf("subscribe: signing: %w", err)
		}
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac(k, id, ts.Unix(), body)))
	}
	return strings.Join(sigs, " "), nil
}

func mac(key []byte, id string, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(strconv.FormatInt(ts, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// ErrSignature is returned by Verify for a message whose signature,
// timestamp or headers are wrong.
var ErrSignature = errors.New("subscribe: webhook signature verification failed")

// Verify checks a received webhook against any of the receiver's secrets:
// the headers must be present, the timestamp within tolerance of now, and
// one v1 signature must match. It is what a receiver runs.
func Verify(h http.Header, body []byte, now time.Time, tolerance time.Duration, secrets ...string) error {
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return fmt.Errorf("%w: missing webhook-id, webhook-timestamp or webhook-signature", ErrSignature)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q is not a number", ErrSignature, tsText)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %d is more than %s from now", ErrSignature, ts, tolerance)
	}
	for _, s := range secrets {
		k, err := decodeSecret(s)
		if err != nil {
			return fmt.Errorf("subscribe: verifying: %w", err)
		}
		want := mac(k, id, ts, body)
		for _, sig := range strings.Fields(sigs) {
			v, b64, ok := strings.Cut(sig, ",")
			if !ok || v != "v1" {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: no signature matches", ErrSignature)
}

// NewSecret returns a random Standard Webhooks secret.
func NewSecret() string {
	var b [32]byte
	if _, err := io.ReadFull(randReader, b[:]); err != nil {
		panic("subscribe: no randomness: " + err.Error())
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:])
}

// ErrForbiddenAddress is returned when a webhook target resolves to an
// address the sender refuses (loopback, private, link-local, metadata...).
var ErrForbiddenAddress = errors.New("subscribe: webhook target address not allowed")

// WebhookOptions configures a [WebhookSender].
type WebhookOptions struct {
	// AllowPrivate lets webhooks reach loopback, private and link-local
	// addresses: for tests and in-house receivers only.
	AllowPrivate bool
	// Timeout bounds one attempt (default 10 s).
	Timeout time.Duration
	// MaxResponse caps the bytes of a response body read (and discarded,
	// so that the connection can be reused; default 64 KiB).
	MaxResponse int64
}

// WebhookSender posts signed notifications.
type WebhookSender struct {
	client *http.Client
	opts   WebhookOptions
}

// NewWebhookSender returns a sender whose connections refuse forbidden
// addresses at dial time (after DNS resolution, so that DNS rebinding
// cannot get around the check) unless AllowPrivate is set. It ignores
// proxy environment variables and never follows a redirect: a 3xx answer
// is a failed attempt (see Send).
func NewWebhookSender(o WebhookOptions) *WebhookSender {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxResponse <= 0 {
		o.MaxResponse = 64 << 10
	}
	d := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	if !o.AllowPrivate {
		g := addrGuard{local: interfaceAddrs}
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
			}
			if why := g.check(ap.Addr()); why != "" {
				return fmt.Errorf("%w: %s (%s)", ErrForbiddenAddress, ap.Addr(), why)
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: o.Timeout,
	}
	c := &http.Client{
		Transport: tr,
		Timeout:   o.Timeout,
		// Following a redirect would turn the POST into a bodiless GET
		// (301-303) or send the payload and its signature to an address
		// the receiver, not the subscriber, chose: never.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &WebhookSender{client: c, opts: o}
}

// DeliveryError is a failed delivery attempt. Its message is what the
// outbox records as a notification's last error: the status code and a
// fixed reason, never the receiver's response body, and the target URL
// without its query string or user information.
type DeliveryError struct {
	// Status is the HTTP status, 0 for a network error.
	Status int
	// Retryable is true for network errors, 302, 303, 307, 408, 429 and
	// 5xx.
	Retryable bool
	// RetryAfter is the receiver's Retry-After, when it gave one.
	RetryAfter time.Duration
	Err        error
}

func (e *DeliveryError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("HTTP %d: %v", e.Status, e.Err)
	}
	return e.Err.Error()
}

// statusReason is the fixed text recorded for a non-2xx answer.
func statusReason(code int) string {
	switch {
	case code >= 300 && code < 400:
		return "the receiver redirects; webhook deliveries do not follow redirects (give the final URL)"
	case code == http.StatusTooManyRequests:
		return "the receiver is rate limiting"
	case code >= 500:
		return "the receiver failed"
	}
	return "the receiver refused the delivery"
}
func (e *DeliveryError) Unwrap() error { return e.Err }

// Send posts body to target, signed with secrets, with id as the webhook-id.
// It returns nil on a 2xx response and a *DeliveryError otherwise.
func (w *WebhookSender) Send(ctx context.Context, target, id string, body []byte, secrets []string, now time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return &DeliveryError{Err: fmt.Errorf("building request: %w", httpx.RedactURLError(err, httpx.StripURL))}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "arcsecond-go/"+version.Version)
	req.Header.Set(HeaderID, id)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	if len(secrets) > 0 {
		sig, err := Sign(id, now, body, secrets...)
		if err != nil {
			return &DeliveryError{Err: err}
		}
		req.Header.Set(HeaderSignature, sig)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		retry := !errors.Is(err, ErrForbiddenAddress) && ctx.Err() == nil
		// net/http's *url.Error quotes the raw URL, query included.
		err = httpx.RedactURLError(err, httpx.StripURL)
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the message names the URL once, below
		}
		return &DeliveryError{Retryable: retry, Err: fmt.Errorf("posting to %s: %w", redact(target), err)}
	}
	defer resp.Body.Close()
	// Read (and drop) the body so that the connection can be reused; what
	// another host answered is not ours to record or show.
	io.Copy(io.Discard, io.LimitReader(resp.Body, w.opts.MaxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	de := &DeliveryError{Status: resp.StatusCode, Err: errors.New(statusReason(resp.StatusCode))}
	switch s := resp.StatusCode; {
	case s == http.StatusFound, s == http.StatusSeeOther, s == http.StatusTemporaryRedirect,
		s == http.StatusRequestTimeout, s == http.StatusTooManyRequests, s >= 500:
		de.Retryable = true
		de.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	}
	return de
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(min(s, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), 24*time.Hour)
	}
	return 0
}

// redact is the form of a webhook URL that logs and errors show: any
// parameter of a receiver's query may be a credential, so the whole query
// goes, with the user information and the fragment.
func redact(u string) string { return httpx.StripURL(u) }
