package jwst

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestJoinRepliesIsTheLiveListing: the recorded schedule and MAST rows,
// joined as the registered format joins files (roles recognized from the
// files), give the activities the live listing gives over the cassette of
// the same replies; the schedule alone gives them without positions.
func TestJoinRepliesIsTheLiveListing(t *testing.T) {
	live, err := activities.Collect(archivetest.Replay(t, open, "testdata/schedules").Activities(t.Context(), window))
	if err != nil {
		t.Fatal(err)
	}
	rs := []connectors.Recorded{{Name: mastRows, Body: archivetest.Read(t, mastRows)}, {Name: schedule, Body: archivetest.Read(t, schedule)}}
	rep, err := connectors.ParseReplies(Name, rs...)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("joined replies differ from the live listing (-live +joined):\n%s", d)
	}
	if rep.Warnings[WarnNotInMAST] != 21 {
		t.Errorf("warnings %v, want 21 visits without a position (TestJoin)", rep.Warnings)
	}
	alone, err := connectors.ParseReplies(Name, rs[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alone.Activities {
		if a.Pointing != nil {
			t.Fatalf("%s: a position without MAST rows", a.ID)
		}
	}
	if _, err := connectors.ParseReplies(Name, rs[0]); err == nil {
		t.Error("MAST rows without a schedule were read")
	}
}

func FuzzJoinReplies(f *testing.F) {
	f.Add(archivetest.Read(f, schedule), []byte(`[{"target_name":"P330-E","s_ra":1,"s_dec":2,"em_min":600,"em_max":2800}]`))
	f.Add(archivetest.Read(f, schedule), []byte(`{"status":"EXECUTING","data":[]}`))
	f.Fuzz(func(t *testing.T, sched, rows []byte) {
		res, err := JoinReplies([]connectors.Recorded{{Name: "s.txt", Body: sched, Role: RoleSchedule}, {Name: "m.json", Body: rows, Role: RoleMAST}})
		archivetest.Check(t, res, err)
	})
}
