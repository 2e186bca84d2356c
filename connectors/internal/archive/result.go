package archive

import "github.com/arcsecond-go/arcsecond/activities"

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
