package arcsecond

import (
	"context"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestReplayPacing: the recorded timeline is played in arrival order, with
// idle gaps shortened to maxReplayGap, and each source lists an activity
// once its moment has come.
func TestReplayPacing(t *testing.T) {
	srcs, err := newReplaySources(ReplayOptions{}, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	var all []replayItem
	for _, s := range srcs {
		for i, it := range s.items {
			if i > 0 && it.at < s.items[i-1].at {
				t.Fatalf("%s: items out of order", s.name)
			}
		}
		all = append(all, s.items...)
	}
	var last time.Duration
	for _, it := range all {
		last = max(last, it.at)
	}
	if n := time.Duration(len(all)) * maxReplayGap; last > n {
		t.Errorf("replay lasts %v at speed 1, more than %d gaps of %v", last, len(all), maxReplayGap)
	}
	// A source lists nothing before its first moment, and everything after
	// its last, once.
	s := srcs[0]
	s.clock = &replayClock{began: time.Now().Add(time.Hour), speed: 1}
	got, err := activities.Collect(s.Activities(context.Background(), activities.Window{}))
	if err != nil || len(got) != 0 {
		t.Fatalf("before the start: %d activities, %v", len(got), err)
	}
	s.clock = &replayClock{began: time.Now().Add(-last - time.Second), speed: 1}
	got, _ = activities.Collect(s.Activities(context.Background(), activities.Window{}))
	if len(got) != len(s.items) {
		t.Fatalf("after the end: %d activities, want %d", len(got), len(s.items))
	}
	got, _ = activities.Collect(s.Activities(context.Background(), activities.Window{}))
	if len(got) != 0 || !s.done() {
		t.Fatalf("listed again: %d", len(got))
	}
}
