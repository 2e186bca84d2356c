package main

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// Replay plays the recorded replies shipped in the repository (or found in
// --replay-dir) back through the feed as if live. Every recorded activity
// gets an arrival time in recorded time: its start for planned and started
// ones, its end (or start) for completed and archived ones, which is when a
// live poll would first have listed it. The recorded timeline is then played
// in order with idle gaps longer than maxReplayGap shortened to it (the
// recorded replies span decades), and time runs speed times faster. Each
// source's activities are listed by a replaySource that the feed polls like
// any other, so de-duplication, revisions, health, subscriptions and
// deliveries go through the same code as live data.

// maxReplayGap is the longest stretch of recorded time without an arrival.
const maxReplayGap = time.Minute

// replayItem is a recorded activity and the moment, from the start of the
// replay at speed 1, at which it arrives.
type replayItem struct {
	at time.Duration
	a  activities.Activity
}

type replaySource struct {
	name  string
	items []replayItem // by at
	clock *replayClock
	mu    sync.Mutex
	next  int // items before next were listed by a completed poll
}

// replayClock is the replay's shared time.
type replayClock struct {
	began time.Time
	speed float64
}

func (c *replayClock) elapsed() time.Duration {
	return time.Duration(float64(time.Since(c.began)) * c.speed)
}

// replayFiles lists the recorded files to replay.
func replayFiles(dir string) ([]recorded.File, error) {
	if dir == "" {
		root, err := recorded.RepoRoot()
		if err != nil {
			return nil, fmt.Errorf("--replay: %w; name a folder with --replay-dir", err)
		}
		return recorded.Shipped(root)
	}
	return recorded.Dir(dir)
}

func newReplaySources(dir string, speed float64, wait time.Duration, log *slog.Logger) ([]*replaySource, error) {
	files, err := replayFiles(dir)
	if err != nil {
		return nil, err
	}
	var items []replayItem
	var times []time.Time
	for _, f := range files {
		rep, err := recorded.Load(f)
		if err != nil {
			return nil, fmt.Errorf("--replay: %w", err)
		}
		log.Info("replay file", "file", filepath.Base(f.Path), "format", f.Parser, "synthetic", f.Synthetic,
			"records", rep.Records, "activities", len(rep.Activities), "skipped", rep.Skipped)
		for _, a := range rep.Activities {
			items = append(items, replayItem{a: a})
			times = append(times, arrivalTime(&a))
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("--replay: no recorded activities found in %d files", len(files))
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int { return times[i].Compare(times[j]) })
	sorted := make([]replayItem, len(items))
	var at time.Duration
	for k, i := range idx {
		if k > 0 {
			gap := times[i].Sub(times[idx[k-1]])
			at += min(max(gap, 0), maxReplayGap)
		}
		sorted[k] = replayItem{at: at, a: items[i].a}
	}
	clock := &replayClock{speed: speed, began: time.Now().Add(wait)}
	bySource := map[string]*replaySource{}
	var out []*replaySource
	for _, it := range sorted {
		src := bySource[it.a.Source]
		if src == nil {
			src = &replaySource{name: it.a.Source, clock: clock}
			bySource[it.a.Source] = src
			out = append(out, src)
		}
		src.items = append(src.items, it)
	}
	return out, nil
}

// arrivalTime is when a live poll would first have listed a.
func arrivalTime(a *activities.Activity) time.Time {
	switch a.Kind {
	case activities.KindCompleted, activities.KindArchived:
		if !a.End.IsZero() {
			return a.End
		}
	}
	return a.Start
}

func (r *replaySource) Name() string { return r.name }

// Activities lists the recorded activities that arrived since the last
// complete listing; the window is ignored, as recorded data have their own
// time.
func (r *replaySource) Activities(ctx context.Context, _ activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		now := r.clock.elapsed()
		r.mu.Lock()
		from := r.next
		r.mu.Unlock()
		n, _ := slices.BinarySearchFunc(r.items, now, func(it replayItem, t time.Duration) int {
			if it.at > t {
				return 1
			}
			return -1
		})
		for _, it := range r.items[from:max(n, from)] {
			if err := ctx.Err(); err != nil {
				yield(activities.Activity{}, activities.WrapError(r.name, err))
				return
			}
			if !yield(it.a, nil) {
				return
			}
		}
		r.mu.Lock()
		r.next = max(r.next, n)
		r.mu.Unlock()
	}
}

// done reports whether every item has been listed.
func (r *replaySource) done() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.next >= len(r.items)
}
