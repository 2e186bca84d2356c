package sqlitestore_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/sqlitestore"
	"github.com/arcsecond-go/arcsecond/activities/storetest"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

// fileSource lists the activities in a JSON Lines file, re-read at every
// poll; the crash test's parent process rewrites it as "the archive" changes.
type fileSource struct{ path string }

func (s fileSource) Name() string { return "t" }
func (s fileSource) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		b, err := os.ReadFile(s.path)
		if err != nil {
			if !os.IsNotExist(err) {
				yield(activities.Activity{}, activities.WrapError("t", err))
			}
			return
		}
		for line := range bytes.Lines(b) {
			var a activities.Activity
			if err := json.Unmarshal(line, &a); err != nil {
				yield(activities.Activity{}, activities.WrapError("t", err))
				return
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}

// TestFeedCrashChild is the process the crash test kills: a feed over the
// SQLite store whose durable subscriber appends "seq id revision" lines to
// an output file, resuming after the last complete line it finds there.
func TestFeedCrashChild(t *testing.T) {
	dir := os.Getenv("ARCSECOND_FEED_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestFeedSurvivesKill")
	}
	outPath := filepath.Join(dir, "announced.txt")
	last := recoverOutput(t, outPath)
	db, err := sqlitedb.Open(filepath.Join(dir, "feed.db"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlitestore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	f := activities.NewFeed(activities.FeedOptions{Store: store})
	f.Add(fileSource{filepath.Join(dir, "archive.jsonl")}, activities.Schedule{Interval: 5 * time.Millisecond, Jitter: -1})
	sub := f.Subscribe(activities.SubscribeOptions{Durable: true, After: last})
	out, err := os.OpenFile(outPath, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	go f.Run(context.Background())
	for e := range sub.C() {
		// One write per line: a kill leaves at most a partial last line.
		if _, err := fmt.Fprintf(out, "%d %s %d\n", e.Seq, e.Activity.ID, e.Activity.Revision); err != nil {
			t.Fatal(err)
		}
	}
}

// recoverOutput drops a partial last line and returns the last Seq written.
func recoverOutput(t *testing.T, path string) uint64 {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.LastIndexByte(b, '\n'); i+1 != len(b) {
		if err := os.Truncate(path, int64(i+1)); err != nil {
			t.Fatal(err)
		}
		b = b[:i+1]
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	seq, _ := strconv.ParseUint(strings.Fields(lines[len(lines)-1] + " 0")[0], 10, 64)
	return seq
}

// TestFeedSurvivesKill kills a feed process with SIGKILL at random moments
// while its source changes, restarts it, and checks that in the end every
// activity was announced in its final revision, and that no (activity,
// revision) was announced twice.
func TestFeedSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; not in -short")
	}
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive.jsonl")
	rng := rand.New(rand.NewPCG(1, 2))
	final := map[string]int64{}
	var lines []activities.Activity
	write := func() {
		var b bytes.Buffer
		for _, a := range lines {
			j, _ := json.Marshal(a)
			b.Write(j)
			b.WriteByte('\n')
		}
		tmp := archive + ".tmp"
		if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, archive); err != nil {
			t.Fatal(err)
		}
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFeedCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "ARCSECOND_FEED_CRASH_DIR="+dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	kills := 0
	var progress []int // announcements written when each kill landed
	cmd := start()
	for round := range 12 {
		// The archive changes: new activities, and new revisions of old ones.
		for range 25 {
			a := storetest.Act(len(lines), 1)
			lines = append(lines, a)
			final[a.ID] = 1
		}
		for range 5 {
			i := rng.IntN(len(lines))
			lines[i].Revision++
			final[lines[i].ID] = lines[i].Revision
		}
		write()
		// Kill at a random moment once the process is announcing this
		// round's changes (or after 30 s, which the progress check catches).
		before := readAnnounced(t, filepath.Join(dir, "announced.txt")).lines
		for wait := time.Now().Add(30 * time.Second); time.Now().Before(wait); time.Sleep(time.Millisecond) {
			if readAnnounced(t, filepath.Join(dir, "announced.txt")).lines > before {
				break
			}
		}
		time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		progress = append(progress, readAnnounced(t, filepath.Join(dir, "announced.txt")).lines)
		cmd.Wait()
		kills++
		cmd = start()
		_ = round
	}
	// Let the last process catch up, then stop it.
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := readAnnounced(t, filepath.Join(dir, "announced.txt"))
		complete := true
		for id, rev := range final {
			if got.last[id] != rev {
				complete = false
			}
		}
		if complete || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	got := readAnnounced(t, filepath.Join(dir, "announced.txt"))
	for id, rev := range final {
		if got.last[id] != rev {
			t.Errorf("%s: last announced revision %d, want %d (lost)", id, got.last[id], rev)
		}
	}
	for k, n := range got.count {
		if n > 1 {
			t.Errorf("%s announced %d times", k, n)
		}
	}
	// The kills must have landed while work was under way, not only
	// between rounds: announcements grew across several killed processes.
	grew := 0
	for i := 1; i < len(progress); i++ {
		if progress[i] > progress[i-1] {
			grew++
		}
	}
	if grew < 3 {
		t.Fatalf("announcements at each kill %v: the kills did not interrupt enough work to test anything", progress)
	}
	t.Logf("announcements at each kill: %v", progress)
	t.Logf("%d kills; %d activities, %d announcements, none lost or repeated", kills, len(final), got.lines)
}

type announced struct {
	last  map[string]int64
	count map[string]int
	lines int
}

func readAnnounced(t *testing.T, path string) announced {
	a := announced{last: map[string]int64{}, count: map[string]int{}}
	f, err := os.Open(path)
	if err != nil {
		return a
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var prev uint64
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 {
			continue // a partial last line of a killed writer
		}
		seq, _ := strconv.ParseUint(fs[0], 10, 64)
		rev, _ := strconv.ParseInt(fs[2], 10, 64)
		if seq <= prev {
			t.Errorf("seq %d after %d: out of order or repeated", seq, prev)
		}
		prev = seq
		a.lines++
		a.count[fs[1]+"@"+fs[2]]++
		if rev > a.last[fs[1]] {
			a.last[fs[1]] = rev
		}
	}
	return a
}
