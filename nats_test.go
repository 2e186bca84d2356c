package arcsecond

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/internal/natsx/natstest"
)

// TestNATSTwoInstances runs two replaying nodes on one
// embedded NATS JetStream server: each source is polled by one instance at a
// time (the other is on standby), and both serve every activity.
func TestNATSTwoInstances(t *testing.T) {
	ns := natstest.StartServer(t)
	want := totalReplayed(t)
	dir := t.TempDir()
	a := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 20000}, NATS: &NATSOptions{URL: ns.ClientURL(), Instance: "a"}, DBPath: filepath.Join(dir, "a.db")})
	b := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 20000}, NATS: &NATSOptions{URL: ns.ClientURL(), Instance: "b"}, DBPath: filepath.Join(dir, "b.db")})
	for _, ts := range []*testServer{a, b} {
		waitFor(t, "every activity on both instances", 60*time.Second, func() bool {
			var p struct{ Activities []activities.Activity }
			ts.getJSON(t, "/api/activities?limit=1000", &p)
			return len(p.Activities) == want
		})
	}
	// Each source is polled by one instance, on standby on the other.
	states := map[string][]string{}
	for _, ts := range []*testServer{a, b} {
		var srcs struct{ Sources []SourceStatus }
		ts.getJSON(t, "/api/sources", &srcs)
		for _, s := range srcs.Sources {
			states[s.Name] = append(states[s.Name], s.State)
		}
	}
	for name, st := range states {
		ok, standby := 0, 0
		for _, s := range st {
			switch s {
			case "ok":
				ok++
			case "standby":
				standby++
			}
		}
		if ok != 1 || standby != 1 {
			t.Errorf("source %s: states %v, want one ok and one standby", name, st)
		}
	}
}
