package arcsecond

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
	"github.com/arcsecond-go/arcsecond/connectors/recorded/replayset"
)

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

// ReplayOptions configure the replay of recorded replies (NodeOptions.Replay).
//
// Replay plays the recorded replies of connectors/recorded back through
// the feed as if live. Every recorded activity gets an arrival time in
// recorded time: its start for planned and started ones, its end (or
// start) for completed and archived ones, which is when a live poll would
// first have listed it. The recorded timeline is then played in order with
// idle gaps longer than a minute shortened to it (the recorded replies span
// decades), and time runs Speed times faster. Each source's activities are
// listed by a source that the feed polls like any other, so
// de-duplication, revisions, health, subscriptions and deliveries go
// through the same code as live data.
type ReplayOptions struct {
	// Dir is a folder of recorded replies (see recorded.DirGroups). Empty:
	// the replies embedded in the program (connectors/recorded/replayset,
	// copies of those shipped in connectors/*/testdata). The replies of a
	// service that a live listing joins (a schedule and the rows that give
	// its positions) are joined alike, folder by folder.
	Dir string
	// Speed compresses time (default 1).
	Speed float64
	// Wait delays the start of the replay.
	Wait time.Duration
}

// replaySchedule polls the replayed sources often, so that they follow
// the replay's clock.
var replaySchedule = activities.Schedule{Interval: 250 * time.Millisecond, Jitter: -1, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}

// replayGroups lists the recorded replies to replay, grouped into the
// parses that read them (a joining format's replies together, as a live
// listing reads them): those of dir, or the ones embedded in
// connectors/recorded/replayset.
func replayGroups(dir string) ([]recorded.Group, error) {
	var (
		gs  []recorded.Group
		err error
	)
	if dir == "" {
		gs, err = recorded.FSGroups(replayset.FS())
	} else {
		gs, err = recorded.DirGroups(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	return gs, nil
}

func newReplaySources(o ReplayOptions, log *slog.Logger) ([]*replaySource, error) {
	if o.Speed == 0 {
		o.Speed = 1
	}
	if !(o.Speed > 0 && o.Speed <= 1e9) {
		return nil, fmt.Errorf("replay: speed %v is not a positive number up to 1e9", o.Speed)
	}
	groups, err := replayGroups(o.Dir)
	if err != nil {
		return nil, err
	}
	var items []replayItem
	var times []time.Time
	for _, g := range groups {
		names := make([]string, len(g.Replies))
		for i, r := range g.Replies {
			names[i] = path.Base(r.Name)
			if r.Role != "" {
				names[i] += " (" + r.Role + ")"
			}
		}
		rep, err := g.Parse()
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", strings.Join(names, ", "), err)
		}
		log.Info("replay file", "file", strings.Join(names, ", "), "format", g.Format, "synthetic", g.Synthetic,
			"records", rep.Records, "activities", len(rep.Activities), "skipped", rep.Skipped)
		for _, a := range rep.Activities {
			items = append(items, replayItem{a: a})
			times = append(times, arrivalTime(&a))
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("replay: no recorded activities found in %d groups of files", len(groups))
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
	clock := &replayClock{speed: o.Speed, began: time.Now().Add(o.Wait)}
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
