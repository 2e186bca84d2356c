package connectors

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Stats are the counts of one listing: records read, records skipped and
// warnings by reason ("skipped: calibration", "warning: unknown
// instrument"). A listing records into the Stats its context carries (see
// [WithStats]), so two listings of one source running at once never mix
// their counts. The zero value is ready; a nil *Stats ignores every count.
type Stats struct {
	mu      sync.Mutex
	records int
	counts  map[string]int
}

type statsKey struct{}

// WithStats returns a context under which a listing records its counts
// into st.
func WithStats(ctx context.Context, st *Stats) context.Context {
	return context.WithValue(ctx, statsKey{}, st)
}

// StatsFrom returns the Stats of ctx, or nil (which ignores counts).
func StatsFrom(ctx context.Context) *Stats {
	st, _ := ctx.Value(statsKey{}).(*Stats)
	return st
}

// AddRecords counts n more records read from the service.
func (s *Stats) AddRecords(n int) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.records += n
	s.mu.Unlock()
}

// Add counts n more for reason.
func (s *Stats) Add(reason string, n int) {
	if s == nil || n == 0 {
		return
	}
	s.mu.Lock()
	if s.counts == nil {
		s.counts = map[string]int{}
	}
	s.counts[reason] += n
	s.mu.Unlock()
}

// Skip counts n records skipped for reason, as "skipped: reason".
func (s *Stats) Skip(reason string, n int) { s.Add("skipped: "+reason, n) }

// Warn counts n warnings for reason, as "warning: reason".
func (s *Stats) Warn(reason string, n int) { s.Add("warning: "+reason, n) }

// AddReply counts a parsed reply's records, skips and warnings.
func (s *Stats) AddReply(r *Reply) {
	if s == nil || r == nil {
		return
	}
	s.AddRecords(r.Records)
	for k, v := range r.Skipped {
		s.Skip(k, v)
	}
	for k, v := range r.Warnings {
		s.Warn(k, v)
	}
}

// Records is the number of records read.
func (s *Stats) Records() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records
}

// Counts returns a copy of the counts by reason.
func (s *Stats) Counts() map[string]int {
	out := map[string]int{}
	if s == nil {
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.Copy(out, s.counts)
	return out
}

// String renders the counts as [FormatCounts] does.
func (s *Stats) String() string { return FormatCounts(s.Counts()) }

// FormatCounts renders counts as "reason=n, reason=n", sorted by reason.
func FormatCounts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// Collect lists the window w of src and returns its activities with the
// listing's own Stats, stopping at the first error (returned with what was
// listed before it).
func Collect(ctx context.Context, src activities.Source, w activities.Window) ([]activities.Activity, *Stats, error) {
	st := &Stats{}
	acts, err := activities.Collect(src.Activities(WithStats(ctx, st), w))
	return acts, st, err
}
