package connectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"

	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// The kinds of failure every connector's errors are classified under. A
// listing's error matches exactly one of them with errors.Is (besides
// context.Canceled when the caller cancelled it), whatever the connector:
//
//	for a, err := range src.Activities(ctx, w) {
//		switch {
//		case errors.Is(err, connectors.ErrTruncated): // narrow the window
//		case errors.Is(err, connectors.ErrAuthRequired): // set the credentials
//		...
//		}
//	}
var (
	// ErrTruncated: the service returned fewer records than match (a row
	// limit, a page cap, an OVERFLOW marker). The records received were
	// listed before it.
	ErrTruncated = errors.New("results truncated")
	// ErrAuthRequired: the service asks for credentials and none were
	// given.
	ErrAuthRequired = errors.New("credentials required")
	// ErrAuthExpired: the service refused the credentials given (expired,
	// revoked or wrong).
	ErrAuthExpired = errors.New("credentials refused or expired")
	// ErrUnavailable: the service could not be reached or failed (network
	// errors, timeouts, HTTP 408, 429 and 5xx after the retries, a body cut
	// short).
	ErrUnavailable = errors.New("service unavailable")
	// ErrSchemaDrift: the reply does not have the documented shape (a
	// missing or renamed column, a wrong type, HTML instead of data,
	// unparsable JSON).
	ErrSchemaDrift = errors.New("reply schema drift")
	// ErrRejected: the service refused the request itself (HTTP 4xx other
	// than 401, 403, 408 and 429; a TAP query error).
	ErrRejected = errors.New("request rejected by the service")
	// ErrInvalid: the request could not be built from the options (a bad
	// cone, a bad identifier).
	ErrInvalid = errors.New("invalid request")
)

// Kinds lists the shared error kinds, in the order [KindOf] tests them.
func Kinds() []error {
	return []error{ErrTruncated, ErrAuthRequired, ErrAuthExpired, ErrUnavailable, ErrSchemaDrift, ErrRejected, ErrInvalid}
}

// KindOf returns the shared kind err matches, or nil when it matches none.
func KindOf(err error) error {
	for _, k := range Kinds() {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// kindError attaches a kind to an error that lacks one.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string        { return e.err.Error() }
func (e *kindError) Unwrap() error        { return e.err }
func (e *kindError) Is(target error) bool { return target == e.kind }

// WithKind returns err marked as matching kind (one of [Kinds]); nil for a
// nil err.
func WithKind(err, kind error) error {
	if err == nil {
		return nil
	}
	return &kindError{kind: kind, err: err}
}

// Classify returns err marked with its shared kind when it does not match
// one yet and its kind can be told: HTTP statuses, network failures and
// reply decoding errors. Errors already classified, cancellations and
// errors of unknown cause are returned as they are.
func Classify(err error) error {
	if err == nil || KindOf(err) != nil || errors.Is(err, context.Canceled) {
		return err
	}
	if k := kindFromCause(err); k != nil {
		return WithKind(err, k)
	}
	return err
}

func kindFromCause(err error) error {
	var se *httpx.StatusError
	if errors.As(err, &se) {
		return StatusKind(se.StatusCode, false)
	}
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		return ErrRejected
	}
	var (
		req  *httpx.RequestError
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		nerr net.Error
		uerr *url.Error
	)
	switch {
	case errors.As(err, &syn), errors.As(err, &typ):
		return ErrSchemaDrift
	case errors.Is(err, httpx.ErrTruncatedBody), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &nerr), errors.As(err, &uerr),
		errors.As(err, &req): // no response could be obtained
		return ErrUnavailable
	}
	var tmp interface{ Temporary() bool }
	if errors.As(err, &tmp) && tmp.Temporary() {
		return ErrUnavailable
	}
	return nil
}

// StatusKind is the kind of an HTTP error status: 401 and 403 are
// ErrAuthRequired (ErrAuthExpired when credentials were sent), 408, 429
// and 5xx ErrUnavailable, other 4xx ErrRejected; nil below 400.
func StatusKind(code int, hadCredentials bool) error {
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		if hadCredentials {
			return ErrAuthExpired
		}
		return ErrAuthRequired
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return ErrUnavailable
	case code >= 400:
		return ErrRejected
	}
	return nil
}

// SchemaError reports that a reply no longer has the shape the connector
// was written for: a missing or renamed column, a value of the wrong type,
// an unknown format. Column names the field as the service spells it. It
// matches [ErrSchemaDrift].
type SchemaError struct {
	Source string // connector name
	Column string // upstream column or field
	Reason string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s: schema drift in column %q: %s", e.Source, e.Column, e.Reason)
}

// Is reports target == ErrSchemaDrift.
func (e *SchemaError) Is(target error) bool { return target == ErrSchemaDrift }

// TruncatedError reports that the service returned fewer records than match
// the query. Sources yield it after the records they did get, so truncation
// is never silent. It matches [ErrTruncated].
type TruncatedError struct {
	Source string
	// Limit is the number of records returned, or the service's limit when
	// known; 0 when unknown.
	Limit  int
	Reason string
}

func (e *TruncatedError) Error() string {
	s := e.Source + ": results truncated"
	if e.Limit > 0 {
		s += fmt.Sprintf(" at %d records", e.Limit)
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s + "; narrow the time window or the query"
}

// Is reports target == ErrTruncated.
func (e *TruncatedError) Is(target error) bool { return target == ErrTruncated }

// HTMLError reports an HTML page where the connector expected data (an
// error page, a login page, a row-limit page). It matches
// [ErrSchemaDrift], or [ErrAuthRequired] when Login is set.
type HTMLError struct {
	Source string
	What   string // what was expected ("JSON", "timeline text")
	Title  string // the page's <title>, when found
	Login  bool   // the page asks for a login
}

func (e *HTMLError) Error() string {
	s := fmt.Sprintf("%s: got an HTML page instead of %s", e.Source, e.What)
	if e.Title != "" {
		s += fmt.Sprintf(" (title %q)", e.Title)
	}
	return s
}

// Is matches ErrSchemaDrift, or ErrAuthRequired for a login page.
func (e *HTMLError) Is(target error) bool {
	if e.Login {
		return target == ErrAuthRequired
	}
	return target == ErrSchemaDrift
}

// AuthError reports that a service wants credentials or refused those
// given. Env names the environment variable (or setting) that holds them.
// It matches [ErrAuthExpired] when credentials were sent, [ErrAuthRequired]
// otherwise.
type AuthError struct {
	Source     string
	StatusCode int // 0 when not from an HTTP status
	HadToken   bool
	Env        string
	Message    string // the service's message, credentials removed
}

func (e *AuthError) Error() string {
	status := ""
	if e.StatusCode != 0 {
		status = fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	msg := ""
	if e.Message != "" {
		msg = " (" + e.Message + ")"
	}
	if e.HadToken {
		return fmt.Sprintf("%s: the service refused the credentials%s: they have expired or are wrong; set fresh ones in %s%s",
			e.Source, status, e.Env, msg)
	}
	return fmt.Sprintf("%s: the service requires credentials%s: set them in %s%s", e.Source, status, e.Env, msg)
}

// Is matches ErrAuthExpired or ErrAuthRequired.
func (e *AuthError) Is(target error) bool {
	if e.HadToken {
		return target == ErrAuthExpired
	}
	return target == ErrAuthRequired
}
