package xmm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestJoinRepliesIsTheLiveListing: the recorded schedule and revolution
// 4714's timeline, joined as the registered format joins files (roles
// recognized from the files), give the activities the live listing gives
// over the cassette of the same replies: the timeline's 42 exposures, not
// the schedule's 18 beside them.
func TestJoinRepliesIsTheLiveListing(t *testing.T) {
	live, err := activities.Collect(archivetest.Replay(t, open, "testdata/schedule").Activities(t.Context(), activities.Window{}))
	if err != nil {
		t.Fatal(err)
	}
	rs := []connectors.Recorded{{Name: timelineFile, Body: archivetest.Read(t, timelineFile)}, {Name: table, Body: archivetest.Read(t, table)}}
	rep, err := connectors.ParseReplies(Name, rs...)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("joined replies differ from the live listing (-live +joined):\n%s", d)
	}
	if len(rep.Activities) != 42 || rep.Skipped[SkipSuperseded] != 18 {
		t.Errorf("%d activities, skipped %v; want 42, 18 superseded", len(rep.Activities), rep.Skipped)
	}
	// a timeline of a revolution the schedule does not list is refused
	other := strings.ReplaceAll(string(rs[0].Body), "4714_", "4715_")
	if _, err := connectors.ParseReplies(Name, rs[1], connectors.Recorded{Name: "testdata/4715_nice.csv", Body: []byte(other)}); err == nil ||
		!strings.Contains(err.Error(), "4715_nice.csv") || !strings.Contains(err.Error(), "revolution 4715") {
		t.Errorf("a timeline of another revolution: %v", err)
	}
	// two timelines of one revolution are refused
	if _, err := connectors.ParseReplies(Name, rs[1], rs[0], connectors.Recorded{Name: "copy.csv", Body: rs[0].Body}); err == nil || !strings.Contains(err.Error(), "second timeline") {
		t.Errorf("two timelines of revolution 4714: %v", err)
	}
}

func FuzzJoinReplies(f *testing.F) {
	f.Add(archivetest.Read(f, table), archivetest.Read(f, timelineFile))
	f.Fuzz(func(t *testing.T, sched, tl []byte) {
		res, err := JoinReplies([]connectors.Recorded{{Name: "s.csv", Body: sched, Role: RoleSchedule}, {Name: "t.csv", Body: tl, Role: RoleTimeline}})
		archivetest.Check(t, res, err)
	})
}
