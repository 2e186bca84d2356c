package arcsecond

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/jwst"
	"github.com/arcsecond-go/arcsecond/connectors/tess"
	"github.com/arcsecond-go/arcsecond/connectors/xmm"
	"github.com/arcsecond-go/arcsecond/connectors/xrism"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
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

// TestReplayJoinsLikeLive: the replay joins the embedded replies of the
// sources whose live listing joins several (XMM-Newton's schedule and
// revolution timeline, TESS's pointings and orbit times, JWST's schedule
// and MAST rows, XRISM's synthetic schedule and exposure tables), so that each replays the activities its live listing
// gives over its cassette of the same replies: not the schedule's and the
// timeline's side by side, not placeholders, not visits without position.
func TestReplayJoinsLikeLive(t *testing.T) {
	srcs, err := newReplaySources(ReplayOptions{}, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	replayed := map[string][]activities.Activity{}
	for _, s := range srcs {
		for _, it := range s.items {
			replayed[s.name] = append(replayed[s.name], it.a)
		}
	}
	offline := func(t *testing.T, cassette string) connectors.HTTPOptions {
		return connectors.HTTPOptions{Transport: vcrtest.Replay(t, cassette, vcrtest.Repeatable()), Retries: -1, RatePerHost: -1}
	}
	byID := func(a, b activities.Activity) int { return strings.Compare(a.ID, b.ID) }
	for _, tc := range []struct {
		source string
		open   func(t *testing.T) (activities.Source, error)
		n      int
	}{
		{"xmm", func(t *testing.T) (activities.Source, error) {
			return xmm.New(xmm.Options{HTTPOptions: offline(t, "connectors/xmm/testdata/schedule")})
		}, 42},
		{"tess", func(t *testing.T) (activities.Source, error) {
			return tess.New(tess.Options{HTTPOptions: offline(t, "connectors/tess/testdata/files")})
		}, 10},
		{"jwst", func(t *testing.T) (activities.Source, error) {
			return jwst.New(jwst.Options{HTTPOptions: offline(t, "connectors/jwst/testdata/schedules")})
		}, 48},
		{"xrism", func(t *testing.T) (activities.Source, error) {
			return xrism.New(xrism.Options{HTTPOptions: offline(t, "connectors/xrism/testdata/synthetic")})
		}, 6},
	} {
		src, err := tc.open(t)
		if err != nil {
			t.Fatal(err)
		}
		live, err := activities.Collect(src.Activities(t.Context(), activities.Window{}))
		if err != nil {
			t.Fatal(err)
		}
		got := replayed[tc.source]
		slices.SortStableFunc(live, byID)
		slices.SortStableFunc(got, byID)
		if d := cmp.Diff(live, got); d != "" {
			t.Errorf("%s: the replay differs from the live listing (-live +replay):\n%s", tc.source, d)
		}
		if len(got) != tc.n {
			t.Errorf("%s: %d activities replayed, want %d", tc.source, len(got), tc.n)
		}
	}
}
