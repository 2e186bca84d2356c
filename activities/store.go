package activities

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/astro"
)

// ErrNotFound is returned by Store.Get for an unknown ID.
var ErrNotFound = errors.New("activities: not found")

// Entry is an activity as a store recorded it: Seq numbers the store's
// changes, so a consumer that remembers the last Seq it handled can resume
// after a restart with [Store.Since] (or [SubscribeOptions.After]).
type Entry struct {
	Seq      uint64
	Activity Activity
}

// Store keeps the activities a feed has seen. It de-duplicates: an activity
// is recorded only when its ID is new or its revision is higher than the
// stored one; each recorded change gets the next sequence number.
//
// Implementations must be safe for concurrent use. [NewMemoryStore] keeps
// everything in memory; package activities/sqlitestore keeps it in an
// embedded SQLite database, so that a restarted program neither announces old activities
// again nor loses the ones it recorded.
type Store interface {
	// Put records those of acts that are new or newer revisions, in order,
	// atomically, and returns their entries. Older or equal revisions of
	// known IDs are skipped; within acts, a later duplicate of an ID wins
	// only if its revision is higher.
	Put(ctx context.Context, acts []Activity) ([]Entry, error)
	// Get returns the stored activity with that ID, or ErrNotFound.
	Get(ctx context.Context, id string) (Activity, error)
	// Since returns up to limit entries with Seq > after, in Seq order. An
	// activity appears once, at the Seq of its latest change.
	Since(ctx context.Context, after uint64, limit int) ([]Entry, error)
	// LastSeq is the highest Seq recorded (0 for an empty store).
	LastSeq(ctx context.Context) (uint64, error)
	// Find lists stored activities matching q, newest start first.
	Find(ctx context.Context, q Query) (Page, error)
	// Close releases the store.
	Close() error
}

// Query selects stored activities for [Store.Find]. Empty fields do not
// constrain.
type Query struct {
	Source, Facility, Instrument string
	Kind                         Kind
	// Window keeps activities overlapping it.
	Window Window
	// Cone keeps activities whose field of view overlaps the cone.
	Cone *Cone
	// Band keeps activities whose bandpass overlaps it (see
	// [Bandpass.Overlaps]; [NamedBand] gives the named ones). An activity
	// without a bandpass does not match a band.
	Band *Bandpass
	// Point keeps activities whose field holds the point: inside one of
	// their footprints, or within their field of view when they have no
	// footprints (see [Activity.Contains]).
	Point *SkyPoint
	// Limit is the page size (default 100, at most 1000).
	Limit int
	// Cursor continues a previous page (Page.Next).
	Cursor string
}

// Cone is a circle on the sky: ICRS centre and radius in degrees.
type Cone struct {
	RA, Dec, Radius float64
}

// Validate checks the cone's numbers.
func (c Cone) Validate() error {
	switch {
	case !finite(c.RA) || !finite(c.Dec) || !finite(c.Radius):
		return errors.New("cone: coordinates must be finite numbers")
	case c.Dec < -90 || c.Dec > 90:
		return fmt.Errorf("cone: dec %v is outside [-90, 90]", c.Dec)
	case c.Radius <= 0 || c.Radius > 180:
		return fmt.Errorf("cone: radius %v is outside (0, 180]", c.Radius)
	}
	return nil
}

// Overlaps reports whether a's field of view (its position widened by its
// FOV radius) overlaps the cone. An activity without a position does not.
func (c Cone) Overlaps(a *Activity) bool {
	ra, dec, ok := a.Target.Position()
	if !ok {
		return false
	}
	sep := astro.Separation(astro.Deg(c.RA), astro.Deg(c.Dec), astro.Deg(ra), astro.Deg(dec))
	return sep.Deg() <= c.Radius+a.Target.FOVRadius
}

// Page is one page of [Store.Find] results.
type Page struct {
	Activities []Activity
	// Next continues the listing; empty on the last page.
	Next string
}

func (q *Query) limit() int {
	switch {
	case q.Limit <= 0:
		return 100
	case q.Limit > 1000:
		return 1000
	}
	return q.Limit
}

// Match reports whether a passes the query's filters (all of them but
// Limit and Cursor, which page a listing). It is the one definition of a
// query: [Store.Find] of every store in this package, and live streams
// filtering activities as they arrive, keep exactly the activities Match
// accepts.
//
//   - Source and Kind are compared exactly; Facility and Instrument ignore
//     ASCII case ("vlt ut1" = "VLT UT1"), as SQLite's NOCASE does.
//   - Window keeps the activities whose [Start, End] overlaps the window
//     (see [Window.Overlaps]): an activity with no End (or an End before
//     its Start) is an instant at its Start, so one that started before
//     the window and has no end does not match it. An activity with no
//     Start never matches a query with a window.
//   - Cone keeps the activities whose field of view overlaps the cone
//     (see [Cone.Overlaps]); an activity without a position does not.
//   - Band keeps the activities whose bandpass overlaps it; an activity
//     without a bandpass does not.
//   - Point keeps the activities whose field holds it (see
//     [Activity.Contains]).
func (q *Query) Match(a *Activity) bool {
	if q.Source != "" && a.Source != q.Source {
		return false
	}
	if q.Facility != "" && !equalFoldASCII(a.Facility, q.Facility) {
		return false
	}
	if q.Instrument != "" && !equalFoldASCII(a.Instrument, q.Instrument) {
		return false
	}
	if q.Kind != "" && a.Kind != q.Kind {
		return false
	}
	if !q.Window.Start.IsZero() || !q.Window.End.IsZero() {
		if a.Start.IsZero() || !q.Window.Overlaps(a.Start, a.End) {
			return false
		}
	}
	if q.Cone != nil && !q.Cone.Overlaps(a) {
		return false
	}
	if q.Band != nil && (a.Bandpass == nil || !q.Band.Overlaps(*a.Bandpass)) {
		return false
	}
	if q.Point != nil && !a.Contains(*q.Point) {
		return false
	}
	return true
}

// Filters reports whether the query constrains anything but paging: a
// query without filters matches every activity.
func (q *Query) Filters() bool {
	return q.Source != "" || q.Facility != "" || q.Instrument != "" || q.Kind != "" ||
		!q.Window.Start.IsZero() || !q.Window.End.IsZero() || q.Cone != nil ||
		q.Band != nil || q.Point != nil
}

// equalFoldASCII is strings.EqualFold restricted to ASCII letters, the
// comparison of SQLite's NOCASE collation.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// findKey orders Find results: newest start first, then by ID.
type findKey struct {
	start int64 // Unix nanoseconds, math.MinInt64 for unknown
	id    string
}

func keyOf(a *Activity) findKey {
	if a.Start.IsZero() {
		return findKey{math.MinInt64, a.ID}
	}
	return findKey{a.Start.UnixNano(), a.ID}
}

// before reports whether k sorts before o in Find order.
func (k findKey) before(o findKey) bool {
	if k.start != o.start {
		return k.start > o.start
	}
	return k.id < o.id
}

func (k findKey) cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(k.start, 10) + "|" + k.id))
}

func parseCursor(s string) (findKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return findKey{}, fmt.Errorf("activities: malformed cursor %q", s)
	}
	num, id, ok := strings.Cut(string(b), "|")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil {
		return findKey{}, fmt.Errorf("activities: malformed cursor %q", s)
	}
	return findKey{n, id}, nil
}

// checkQuery validates what a caller may have typed into a query.
func checkQuery(q *Query) error {
	if q.Kind != "" && !q.Kind.Valid() {
		return fmt.Errorf("activities: query kind %q is not one of %v", q.Kind, Kinds())
	}
	if q.Cone != nil {
		if err := q.Cone.Validate(); err != nil {
			return fmt.Errorf("activities: query %w", err)
		}
	}
	if q.Band != nil {
		if err := q.Band.check(); err != nil {
			return fmt.Errorf("activities: query %w", err)
		}
	}
	if q.Point != nil {
		if err := q.Point.Validate(); err != nil {
			return fmt.Errorf("activities: query %w", err)
		}
	}
	if q.Limit < 0 {
		return fmt.Errorf("activities: query limit %d is negative", q.Limit)
	}
	return nil
}
