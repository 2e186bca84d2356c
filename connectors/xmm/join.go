package xmm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// The roles of the replies an XMM-Newton listing joins ([JoinReplies]).
const (
	// RoleSchedule is the short-term schedule (the format's own reply).
	RoleSchedule = "schedule"
	// RoleTimeline is a revolution's timeline (<rev>_nice.html, or its
	// table as CSV); one per revolution.
	RoleTimeline = "revolution timeline"
)

// roles are the replies of the registered xmm format.
var roles = []connectors.Role{
	{Name: RoleSchedule},
	{Name: RoleTimeline, Recognize: recognizeTimeline, Optional: true, Many: true},
}

// JoinReplies reads recorded replies as [Source.Activities] reads the
// live ones: the schedule (RoleSchedule) merged by [Merge] with the
// timelines (RoleTimeline) of its revolutions; a revolution of the
// schedule without a timeline among the replies is counted as
// WarnNoTimeline, as an unavailable timeline is. A timeline of a
// revolution the schedule does not list is an error (a live listing would
// not read it). Without timelines it is [Parse]. Errors name the reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var sched *connectors.Reply
	type timeline struct {
		name string
		rep  *connectors.Reply
	}
	var tls []timeline
	for _, r := range rs {
		err := connectors.ReadRoles([]connectors.Recorded{r}, map[string]func([]byte) error{
			RoleSchedule: func(b []byte) (err error) { sched, err = Parse(b); return err },
			RoleTimeline: func(b []byte) error {
				t, err := ParseTimeline(b)
				tls = append(tls, timeline{r.Name, t})
				return err
			},
		})
		if err != nil {
			return nil, err
		}
	}
	if sched == nil {
		return nil, fmt.Errorf("%s: no %s reply", Name, RoleSchedule)
	}
	if len(tls) == 0 {
		return sched, nil
	}
	revs := Revolutions(sched)
	byRev := map[string]*connectors.Reply{}
	var unplaced []*connectors.Reply
	for _, t := range tls {
		trevs := Revolutions(t.rep)
		for _, rev := range trevs {
			if !slices.Contains(revs, rev) {
				return nil, fmt.Errorf("%s: the timeline of revolution %s, which the schedule does not list (revolutions %s)", t.name, rev, strings.Join(revs, ", "))
			}
		}
		if len(trevs) == 0 {
			// no exposure tells its revolution: only its counts join
			unplaced = append(unplaced, t.rep)
			continue
		}
		if prev := byRev[trevs[0]]; prev != nil {
			return nil, fmt.Errorf("%s: a second timeline of revolution %s", t.name, trevs[0])
		}
		byRev[trevs[0]] = t.rep
	}
	tl := &connectors.Reply{}
	for _, rev := range revs {
		r := byRev[rev]
		if r == nil {
			tl.Warn(WarnNoTimeline)
			continue
		}
		tl = joinReplies(tl, r)
	}
	for _, r := range unplaced {
		tl = joinReplies(tl, r)
	}
	return Merge(sched, tl), nil
}
