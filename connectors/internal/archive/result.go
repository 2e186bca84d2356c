package archive

import (
	"math"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Result is what a parser makes of one upstream reply: the activities, the
// records skipped by named reason, warnings by named reason (records kept
// but with something unexpected, such as an unknown instrument), and
// whether the upstream said the reply was truncated.
type Result struct {
	// Records is how many records the reply held.
	Records    int
	Activities []activities.Activity
	// Skipped counts records that did not become activities, by reason.
	// Records == len(Activities) + the sum of Skipped.
	Skipped map[string]int
	// Warnings counts oddities in records that were kept, by reason.
	Warnings map[string]int
	// Truncated is set when the reply says more records matched than it
	// holds; Limit is how many it holds (or the upstream's limit).
	Truncated bool
	Limit     int
}

// Skip counts one skipped record.
func (r *Result) Skip(reason string) {
	if r.Skipped == nil {
		r.Skipped = map[string]int{}
	}
	r.Skipped[reason]++
}

// Warn counts one warning.
func (r *Result) Warn(reason string) {
	if r.Warnings == nil {
		r.Warnings = map[string]int{}
	}
	r.Warnings[reason]++
}

// SkippedTotal is the number of skipped records.
func (r *Result) SkippedTotal() int {
	n := 0
	for _, v := range r.Skipped {
		n += v
	}
	return n
}

// SetPosition sets t's coordinates when ra and dec are finite and dec is
// within ±90°, normalizing ra into [0, 360) (with math.Mod: huge values
// cannot make it loop). It reports whether it set them.
func SetPosition(t *activities.Target, ra, dec float64) bool {
	if math.IsNaN(ra) || math.IsInf(ra, 0) || math.IsNaN(dec) || math.IsInf(dec, 0) || dec < -90 || dec > 90 {
		return false
	}
	ra = math.Mod(ra, 360)
	if ra < 0 {
		ra += 360
	}
	if ra >= 360 {
		ra = 0
	}
	t.RA, t.Dec = &ra, &dec
	return true
}
