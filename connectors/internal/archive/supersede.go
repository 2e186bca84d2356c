package archive

import (
	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// Supersede joins the two timelines of one mission, done (as flown) and
// planned, as its listing gives them: every activity of done, then those
// of planned whose ID is not listed yet, each one left out counted as
// skip. Records, skips and warnings add up; the join is truncated when
// either reply was, and then holds its records.
func Supersede(done, planned *connectors.Reply, skip string) *connectors.Reply {
	out := &connectors.Reply{Records: done.Records + planned.Records, Truncated: done.Truncated || planned.Truncated,
		Skipped: map[string]int{}, Warnings: map[string]int{}}
	if out.Truncated {
		out.Limit = out.Records
	}
	for _, r := range []*connectors.Reply{done, planned} {
		for k, n := range r.Skipped {
			out.Skipped[k] += n
		}
		for k, n := range r.Warnings {
			out.Warnings[k] += n
		}
	}
	seen := make(map[string]bool, len(done.Activities)+len(planned.Activities))
	out.Activities = make([]activities.Activity, 0, len(done.Activities)+len(planned.Activities))
	for _, a := range done.Activities {
		seen[a.ID] = true
		out.Activities = append(out.Activities, a)
	}
	for _, a := range planned.Activities {
		if seen[a.ID] {
			out.Skip(skip)
			continue
		}
		seen[a.ID] = true
		out.Activities = append(out.Activities, a)
	}
	return out
}
