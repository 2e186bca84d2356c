package xrism

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestJoinRepliesIsTheLiveListing: the three (synthetic) pages joined as
// the registered format joins files (roles recognized from the files)
// give the activities the live listing gives over the cassette of the
// same pages; the schedule alone gives them without exposures.
func TestJoinRepliesIsTheLiveListing(t *testing.T) {
	live, err := activities.Collect(archivetest.Replay(t, open, "testdata/synthetic").Activities(t.Context(), activities.Window{}))
	if err != nil {
		t.Fatal(err)
	}
	var rs []connectors.Recorded
	for _, p := range []string{tooPage, propPage, schedPage} {
		rs = append(rs, connectors.Recorded{Name: p, Body: archivetest.Read(t, p)})
	}
	rep, err := connectors.ParseReplies(Name, rs...)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("joined replies differ from the live listing (-live +joined):\n%s", d)
	}
	alone, err := connectors.ParseReplies(Name, rs[2])
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(rep.Activities, alone.Activities); d == "" {
		t.Error("the exposures of the proposal and ToO tables changed nothing")
	}
}

func FuzzJoinReplies(f *testing.F) {
	f.Add(archivetest.Read(f, schedPage), archivetest.Read(f, propPage), archivetest.Read(f, tooPage))
	f.Fuzz(func(t *testing.T, sched, props, too []byte) {
		res, err := JoinReplies([]connectors.Recorded{{Name: "s.html", Body: sched, Role: RoleSchedule},
			{Name: "p.html", Body: props, Role: RoleProposals}, {Name: "t.html", Body: too, Role: RoleToO}})
		archivetest.Check(t, res, err)
	})
}
