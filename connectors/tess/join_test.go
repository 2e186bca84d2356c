package tess

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestJoinRepliesIsTheLiveListing: the recorded pointings and orbit
// times, joined as the registered format joins files (roles recognized
// from the files), give the activities the live listing gives over the
// cassette of the same files: one per orbit interval of sectors 85-86 and
// a placeholder for 87-88; the pointings alone give a placeholder per
// sector.
func TestJoinRepliesIsTheLiveListing(t *testing.T) {
	live, err := activities.Collect(archivetest.Replay(t, open, "testdata/files").Activities(t.Context(), window))
	if err != nil {
		t.Fatal(err)
	}
	rs := []connectors.Recorded{{Name: orbitsFile, Body: archivetest.Read(t, orbitsFile)}, {Name: pointingsFile, Body: archivetest.Read(t, pointingsFile)}}
	rep, err := connectors.ParseReplies(Name, rs...)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("joined replies differ from the live listing (-live +joined):\n%s", d)
	}
	placeholders := 0
	for _, a := range rep.Activities {
		if strings.HasSuffix(a.ID, "_placeholder") {
			placeholders++
		}
	}
	if len(rep.Activities) != 10 || placeholders != 2 {
		t.Errorf("%d activities, %d placeholders; want 10 and 2", len(rep.Activities), placeholders)
	}
	alone, err := connectors.ParseReplies(Name, rs[1])
	if err != nil || len(alone.Activities) != 4 {
		t.Errorf("pointings alone: %v, %v; want the 4 placeholders", alone, err)
	}
	if _, err := connectors.ParseReplies(Name, rs[0]); err == nil || !strings.Contains(err.Error(), RolePointings) {
		t.Errorf("orbit times alone: %v, want an error naming the pointings", err)
	}
}

func FuzzJoinReplies(f *testing.F) {
	f.Add(archivetest.Read(f, pointingsFile), archivetest.Read(f, orbitsFile))
	f.Add([]byte("Cycle,Sector,RA,Dec,Roll,Start,End\n7,85,1,2,3,2460609.5,2460635.5\n"), []byte("Sector,Orbit,Start of Orbit,End of Orbit\n85,1,2024-10-27 01:20:00,2024-10-26 01:20:00\n"))
	f.Fuzz(func(t *testing.T, ps, orbits []byte) {
		res, err := JoinReplies([]connectors.Recorded{{Name: "p.csv", Body: ps, Role: RolePointings}, {Name: "o.csv", Body: orbits, Role: RoleOrbits}})
		archivetest.Check(t, res, err)
	})
}
