package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// replaySource plays recorded activities back as if live: it maps the
// earliest recorded start to the moment the replay began and lets time run
// speed times faster, listing at each poll the activities whose start has
// been reached. Their IDs and revisions are the recorded ones, so the feed
// de-duplicates them exactly as it would live data.
type replaySource struct {
	name  string
	acts  []activities.Activity // sorted by start
	clock *replayClock
}

// replayClock is the recorded time shared by the replayed sources.
type replayClock struct {
	origin time.Time // recorded time at the replay's start
	began  time.Time
	speed  float64
	once   sync.Once
}

// defaultReplayDirs are the recorded responses shipped in the repository,
// relative to its root.
var defaultReplayDirs = []string{
	"connectors/jsonl/testdata",
}

func newReplaySources(dir string, speed float64) ([]*replaySource, error) {
	var dirs []string
	if dir != "" {
		dirs = []string{dir}
	} else {
		root, err := repoRoot()
		if err != nil {
			return nil, fmt.Errorf("--replay: %w; name a folder with --replay-dir", err)
		}
		for _, d := range defaultReplayDirs {
			dirs = append(dirs, filepath.Join(root, d))
		}
	}
	var acts []activities.Activity
	for _, d := range dirs {
		got, err := loadRecorded(d)
		if err != nil {
			return nil, err
		}
		acts = append(acts, got...)
	}
	if len(acts) == 0 {
		return nil, fmt.Errorf("--replay: no recorded activities found in %v", dirs)
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].Start.Before(acts[j].Start) })
	clock := &replayClock{origin: acts[0].Start, speed: speed}
	bySource := map[string]*replaySource{}
	var out []*replaySource
	for _, a := range acts {
		src := bySource[a.Source]
		if src == nil {
			src = &replaySource{name: a.Source, clock: clock}
			bySource[a.Source] = src
			out = append(out, src)
		}
		src.acts = append(src.acts, a)
	}
	return out, nil
}

// repoRoot finds the repository's root from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("the recorded responses live in the arcsecond repository, and %s is not inside it", dir)
		}
		dir = parent
	}
}

// loadRecorded reads every recorded file of a folder that a parser knows.
func loadRecorded(dir string) ([]activities.Activity, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--replay: %w", err)
	}
	var out []activities.Activity
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		switch {
		case strings.HasSuffix(e.Name(), ".jsonl"):
			acts, err := readJSONL(path)
			if err != nil {
				return nil, err
			}
			out = append(out, acts...)
		}
	}
	return out, nil
}

func readJSONL(path string) ([]activities.Activity, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []activities.Activity
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var a activities.Activity
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

func (r *replaySource) Name() string { return r.name }

// now is the recorded time the replay has reached; the clock starts at the
// first poll of any replayed source.
func (c *replayClock) now() time.Time {
	c.once.Do(func() { c.began = time.Now() })
	return c.origin.Add(time.Duration(float64(time.Since(c.began)) * c.speed))
}

// Activities lists the recorded activities reached so far; the window is
// ignored, as recorded data have their own time.
func (r *replaySource) Activities(ctx context.Context, _ activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		now := r.clock.now()
		n, _ := slices.BinarySearchFunc(r.acts, now, func(a activities.Activity, t time.Time) int {
			if a.Start.After(t) {
				return 1
			}
			return -1
		})
		for _, a := range r.acts[:n] {
			if err := ctx.Err(); err != nil {
				yield(activities.Activity{}, activities.WrapError(r.name, err))
				return
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}
