package activities

import (
	"errors"
	"math"
)

// The helpers in this file are for implementations of [Store] in other
// packages (activities/sqlitestore): they share the query checks, the page
// size and the cursor format of the memory store, so every store pages and
// rejects bad queries alike.

// ErrClosed is returned by a closed store's Put.
var ErrClosed = errors.New("activities: store is closed")

// Validate checks what a caller may have typed into a query: the kind, the
// cone's numbers, a negative limit. [Store.Find] implementations call it
// first.
func (q Query) Validate() error { return checkQuery(&q) }

// PageSize is the number of activities a page of q holds: Limit, or 100
// when Limit is 0, at most 1000.
func (q Query) PageSize() int { return q.limit() }

// SortKey is where an activity sorts in [Store.Find] order: newest Start
// first (unknown starts last), then by ID. Start is in Unix nanoseconds,
// [math.MinInt64] for an activity without a start.
type SortKey struct {
	Start int64
	ID    string
}

// UnknownStart is the SortKey.Start of an activity without a start.
const UnknownStart = math.MinInt64

// SortKeyOf returns the sort key of a.
func SortKeyOf(a *Activity) SortKey {
	k := keyOf(a)
	return SortKey{Start: k.start, ID: k.id}
}

// Cursor is the Page.Next that continues a listing after the activity with
// this key.
func (k SortKey) Cursor() string { return findKey{k.Start, k.ID}.cursor() }

// ParseCursor decodes a Query.Cursor into the key of the last activity of
// the previous page; the next page holds the activities that sort after
// it.
func ParseCursor(s string) (SortKey, error) {
	k, err := parseCursor(s)
	if err != nil {
		return SortKey{}, err
	}
	return SortKey{Start: k.start, ID: k.id}, nil
}
