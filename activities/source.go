package activities

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// Window is a half-open time interval [Start, End) for which a source lists
// activities: those whose [start, end] overlaps it, or, for activities with
// no end, whose start falls in it. A zero Start or End leaves that side open.
type Window struct {
	Start, End time.Time
}

// Contains reports whether t falls in the window.
func (w Window) Contains(t time.Time) bool {
	if !w.Start.IsZero() && t.Before(w.Start) {
		return false
	}
	if !w.End.IsZero() && !t.Before(w.End) {
		return false
	}
	return true
}

// Overlaps reports whether an activity spanning [start, end] overlaps the
// window; a zero end means the activity is an instant at start.
func (w Window) Overlaps(start, end time.Time) bool {
	if end.IsZero() || end.Before(start) {
		end = start
	}
	if !w.End.IsZero() && !start.Before(w.End) {
		return false
	}
	if !w.Start.IsZero() && end.Before(w.Start) {
		return false
	}
	return true
}

// Source is what a connector implements: it lists the activities of one
// archive or schedule for a time window.
//
// Activities streams the records as an iterator. A pair with a nil error
// carries an activity; a pair with a non-nil error reports a failure, after
// which the iteration ends. The iteration must stop promptly (within 100 ms)
// when ctx is cancelled, reporting ctx's error, and must leave no goroutine
// running once it returns. Errors should be wrapped in a [*SourceError] (see
// [WrapError]) so that they name the source.
//
// The package connectors/connectortest checks these rules for any Source.
type Source interface {
	// Name is the source's registered name ("eso", "gemini", ...), the
	// prefix of the IDs of its activities.
	Name() string
	// Activities lists the source's activities overlapping w.
	Activities(ctx context.Context, w Window) iter.Seq2[Activity, error]
}

// SourceError is an error from a named source.
type SourceError struct {
	Source string
	Err    error
}

// Error is "source: cause", without repeating the source's name when the
// cause already starts with it.
func (e *SourceError) Error() string {
	msg := e.Err.Error()
	if strings.HasPrefix(msg, e.Source+": ") {
		return msg
	}
	return e.Source + ": " + msg
}
func (e *SourceError) Unwrap() error { return e.Err }

// WrapError wraps err in a *SourceError naming source, unless it already
// names it. It returns nil for a nil err.
func WrapError(source string, err error) error {
	if err == nil {
		return nil
	}
	var se *SourceError
	if errors.As(err, &se) && se.Source == source {
		return err
	}
	return &SourceError{Source: source, Err: err}
}

// Warner is implemented by sources that skip records for a reason (a
// calibration frame, an engineering record, a row with a missing column)
// and count them. Warnings returns the counts of the last listing by reason.
type Warner interface {
	Warnings() map[string]int
}

// Collect drains an iterator into a slice, stopping at the first error.
func Collect(seq iter.Seq2[Activity, error]) ([]Activity, error) {
	var out []Activity
	for a, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	return out, nil
}

// FromSlice returns a Source that lists a fixed set of activities, those
// overlapping the window. It is useful for tests, examples and replay.
func FromSlice(name string, acts []Activity) Source { return sliceSource{name, acts} }

type sliceSource struct {
	name string
	acts []Activity
}

func (s sliceSource) Name() string { return s.name }

func (s sliceSource) Activities(ctx context.Context, w Window) iter.Seq2[Activity, error] {
	return func(yield func(Activity, error) bool) {
		for _, a := range s.acts {
			if err := ctx.Err(); err != nil {
				yield(Activity{}, WrapError(s.name, fmt.Errorf("listing: %w", err)))
				return
			}
			if !a.Start.IsZero() && !w.Overlaps(a.Start, a.End) {
				continue
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}
