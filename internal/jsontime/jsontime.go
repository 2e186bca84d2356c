// Package jsontime is the time encoding of the project's JSON documents
// (activities, alerts): RFC 3339 in UTC with the nanoseconds kept, null
// for the zero time.
package jsontime

import (
	"fmt"
	"time"
)

// Encode returns t in UTC as RFC 3339 with nanoseconds, nil when t is the
// zero time.
func Encode(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// Decode reads what Encode wrote: the zero time for nil or "", an error
// ("not an RFC 3339 time: ...") for anything else that is not RFC 3339.
func Decode(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not an RFC 3339 time: %q", *s)
	}
	return t.UTC(), nil
}
