package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// snippetLen is how much of an error response body a StatusError keeps.
const snippetLen = 512

// ErrBodyTooLarge is matched (errors.Is) by the error returned when a response
// body exceeds Options.MaxBodyBytes (or Options.MaxStreamBytes for Stream).
var ErrBodyTooLarge = errors.New("response body too large")

// ErrTruncatedBody is matched (errors.Is) by the error returned when the
// connection ended before the number of bytes announced by Content-Length
// (or a compressed stream ended early).
var ErrTruncatedBody = errors.New("truncated response body")

// StatusError is returned for a response whose status is not 2xx, after the
// retries the status allows (429, 408 and 5xx other than 501 and 505 are
// retried; other statuses are returned at once).
type StatusError struct {
	Method     string
	StatusCode int
	Status     string // e.g. "503 Service Unavailable"
	// URL is the request URL with credentials replaced by "REDACTED".
	URL string
	// Body is the first 512 bytes of the response body; Snippet() renders it
	// as one line of text.
	Body []byte
	// Attempts is how many requests were made (1 + retries).
	Attempts int
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Reason explains why retrying stopped early, when it did (e.g. a
	// Retry-After beyond Options.MaxRetryAfter); empty otherwise.
	Reason string
}

func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "httpx: %s %s: %s", e.Method, e.URL, e.Status)
	if e.Status == "" {
		fmt.Fprintf(&b, "status %d", e.StatusCode)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	if s := e.Snippet(); s != "" {
		fmt.Fprintf(&b, ": %q", s)
	}
	return b.String()
}

// Snippet renders Body as a single line of printable text: HTML tags are
// kept, whitespace runs become one space, and a binary body is described
// rather than quoted.
func (e *StatusError) Snippet() string { return textSnippet(e.Body) }

// Temporary reports whether the status is one this package retries; useful to
// callers deciding whether to try again later.
func (e *StatusError) Temporary() bool { return retryableStatus(e.StatusCode) }

func textSnippet(b []byte) string {
	if len(b) > snippetLen {
		b = b[:snippetLen]
	}
	if len(b) == 0 {
		return ""
	}
	nonText := 0
	for _, c := range b {
		if c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f {
			nonText++
		}
	}
	if nonText > 0 || !utf8.Valid(trimPartialRune(b)) {
		return fmt.Sprintf("<%d bytes of binary data>", len(b))
	}
	var sb strings.Builder
	space := false
	for _, r := range string(trimPartialRune(b)) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// trimPartialRune drops an incomplete UTF-8 sequence cut at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// RequestError is returned when no response could be obtained: a network
// error, a timeout, a truncated or oversized body, or the context ending.
// It unwraps to the cause, so errors.Is(err, context.DeadlineExceeded),
// errors.Is(err, ErrTruncatedBody) and errors.Is(err, ErrBodyTooLarge) work.
type RequestError struct {
	Method string
	// URL is the request URL with credentials replaced by "REDACTED".
	URL string
	// Attempts is how many requests were made (1 + retries).
	Attempts int
	// Err is the cause. Its own message may quote the raw request; the
	// message of RequestError itself has credentials removed.
	Err error
	msg string // scrubbed message of Err
}

func (e *RequestError) Error() string {
	m := e.msg
	if m == "" && e.Err != nil {
		m = e.Err.Error()
	}
	if e.Attempts > 1 {
		return fmt.Sprintf("httpx: %s %s (after %d attempts): %s", e.Method, e.URL, e.Attempts, m)
	}
	return fmt.Sprintf("httpx: %s %s: %s", e.Method, e.URL, m)
}

func (e *RequestError) Unwrap() error { return e.Err }

// permanentError marks an error as not worth retrying.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent wraps err so that a Client does not retry the request that
// produced it. Transports (test doubles, replay recorders) use it for errors
// that would recur on every attempt. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// LooksLikeHTML reports whether body starts, after optional white space and
// a UTF-8 byte-order mark, with an HTML document or tag (<!DOCTYPE html,
// <html, <head, <body, <title, ...; leading comments are skipped) — the usual shape of a login page,
// proxy error or maintenance notice served where JSON or VOTable was expected.
func LooksLikeHTML(body []byte) bool {
	b := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	for range 8 { // skip a few leading comments
		b = bytes.TrimLeft(b, " \t\r\n\f")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			break
		}
		end := bytes.Index(b, []byte("-->"))
		if end < 0 {
			return false
		}
		b = b[end+3:]
	}
	if len(b) > 64 {
		b = b[:64]
	}
	lower := bytes.ToLower(b)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<title", "<meta", "<h1", "<p>", "<div", "<center>"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	return false
}
