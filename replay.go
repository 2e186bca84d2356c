package arcsecond

import (
	"context"
	"fmt"
	"io/fs"
	"iter"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
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
	// Dir is a folder of recorded replies (see recorded.Dir). Empty: the
	// replies embedded in the program (connectors/recorded/replayset,
	// copies of those shipped in connectors/*/testdata).
	Dir string
	// Speed compresses time (default 1).
	Speed float64
	// Wait delays the start of the replay.
	Wait time.Duration
}

// replaySchedule polls the replayed sources often, so that they follow
// the replay's clock.
var replaySchedule = activities.Schedule{Interval: 250 * time.Millisecond, Jitter: -1, MinBackoff: time.Second, MaxBackoff: 10 * time.Second}

// replayFile is a recorded reply to replay.
type replayFile struct {
	name, parser string
	synthetic    bool
	read         func() ([]byte, error)
}

// replayFiles lists the recorded files to replay: those of dir, or the
// ones embedded in connectors/recorded/replayset.
func replayFiles(dir string) ([]replayFile, error) {
	if dir == "" {
		return embeddedReplayFiles(replayset.FS())
	}
	found, err := recorded.Dir(dir)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	var out []replayFile
	for _, f := range found {
		out = append(out, replayFile{name: filepath.Base(f.Path), parser: f.Parser, synthetic: f.Synthetic,
			read: func() ([]byte, error) { return os.ReadFile(f.Path) }})
	}
	return out, nil
}

// embeddedReplayFiles lists the files of fsys that a recorded format
// recognizes, by path.
func embeddedReplayFiles(fsys fs.FS) ([]replayFile, error) {
	var out []replayFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		parser := connectors.Recognize(p, b[:min(len(b), connectors.HeadSize)])
		if parser == "" {
			return nil
		}
		// As recorded.Dir tells them: by name, or the jsonl example.
		synthetic := strings.Contains(strings.ToLower(path.Base(p)), "synthetic") || parser == "jsonl"
		out = append(out, replayFile{name: path.Base(p), parser: parser, synthetic: synthetic,
			read: func() ([]byte, error) { return b, nil }})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replay: embedded recorded replies: %w", err)
	}
	return out, nil
}

func newReplaySources(o ReplayOptions, log *slog.Logger) ([]*replaySource, error) {
	if o.Speed == 0 {
		o.Speed = 1
	}
	if !(o.Speed > 0 && o.Speed <= 1e9) {
		return nil, fmt.Errorf("replay: speed %v is not a positive number up to 1e9", o.Speed)
	}
	files, err := replayFiles(o.Dir)
	if err != nil {
		return nil, err
	}
	var items []replayItem
	var times []time.Time
	for _, f := range files {
		b, err := f.read()
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		rep, err := connectors.ParseReply(f.parser, b)
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", f.name, err)
		}
		log.Info("replay file", "file", f.name, "format", f.parser, "synthetic", f.synthetic,
			"records", rep.Records, "activities", len(rep.Activities), "skipped", rep.Skipped)
		for _, a := range rep.Activities {
			items = append(items, replayItem{a: a})
			times = append(times, arrivalTime(&a))
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("replay: no recorded activities found in %d files", len(files))
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
