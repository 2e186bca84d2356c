// Package resolve turns an object's name ("M 31", "NGC 1068", "Vega") into
// its ICRS position through a name resolver service, for the targets the
// embedded catalogues do not hold.
//
// [Resolver] is the portable interface; [Sesame] asks the CDS Sesame
// service (the one astropy's SkyCoord.from_name uses) and [Cache] keeps a
// bounded number of answers in front of any Resolver. Errors are one of
// [ErrNotFound] (the service answered: no such object), [ErrUnreachable]
// (no answer: network, timeout, server error) or [ErrBadReply] (an answer
// that is not a Sesame reply), tested with errors.Is.
//
// Nothing here touches the network unless a Resolver is built and asked.
package resolve

import (
	"context"
	"errors"
	"fmt"
)

// Resolver resolves an object's name into its position.
type Resolver interface {
	Resolve(ctx context.Context, name string) (Target, error)
}

// Target is a resolver's answer: the object's position in degrees, ICRS
// (J2000 equatorial for Sesame), and who answered.
type Target struct {
	// Name is the name asked for; Object the service's main identifier
	// for it (Sesame's <oname>), when given.
	Name   string
	Object string
	RA     float64 // degrees, [0, 360)
	Dec    float64 // degrees, [-90, 90]
	// Service names the resolver service ("Sesame"); Database the
	// database behind it that answered ("Simbad", "NED", "VizieR").
	Service  string
	Database string
	// Type is the object type, when given (Sesame's <otype>, a SIMBAD
	// object type such as "G" or "*").
	Type string
}

func (t Target) String() string {
	s := fmt.Sprintf("%s: RA %.6f° Dec %+.6f° (%s", t.Name, t.RA, t.Dec, t.Service)
	if t.Database != "" {
		s += "/" + t.Database
	}
	return s + ")"
}

// The kinds of failure, for errors.Is.
var (
	// ErrNotFound: the service answered and knows no object of that name.
	ErrNotFound = errors.New("resolve: name not found")
	// ErrUnreachable: no answer from the service (network error,
	// timeout, HTTP 5xx).
	ErrUnreachable = errors.New("resolve: service unreachable")
	// ErrBadReply: the service answered something that is not a reply
	// of its documented format.
	ErrBadReply = errors.New("resolve: bad reply")
)

// Error is a failure to resolve one name: the kind (one of the Err
// values), the service, and what went wrong.
type Error struct {
	Kind    error
	Service string
	Name    string
	Detail  string
	Err     error // underlying cause, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%v: %s %q: %s", e.Kind, e.Service, e.Name, e.Detail)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
