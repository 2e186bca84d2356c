package sqlitestore_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/alerts/alertstest"
	"github.com/arcsecond-go/arcsecond/alerts/sqlitestore"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

// crashPuts is the crash test's sequence: 100 events of three notices each
// (initial, update, and a retraction for one event in four, else a second
// update).
const crashPuts = 300

func crashAlert(i int) alerts.Alert {
	a := alertstest.Sample()
	ev, k := i/3, i%3
	a.ID = fmt.Sprintf("gcn:crash:%03d", ev)
	a.TriggerTime = a.TriggerTime.Add(time.Duration(ev) * time.Minute)
	seq := []int{alerts.SeqInitial, alerts.SeqUpdate, alerts.SeqUpdate}[k]
	if k == 2 && ev%4 == 0 {
		seq = alerts.SeqRetraction
		a.Status = alerts.StatusRetracted
	}
	a.Revision = alerts.Revision(seq, k, time.Time{})
	a.Message = fmt.Sprintf("notice %d", i)
	return a
}

// TestAlertCrashChild is the process the crash test kills: it puts the
// sequence from the count of lines in its output file on, and appends a
// line for each Put that returned.
func TestAlertCrashChild(t *testing.T) {
	dir := os.Getenv("ARCSECOND_ALERT_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestAlertsSurviveKill")
	}
	outPath := filepath.Join(dir, "acknowledged.txt")
	b, _ := os.ReadFile(outPath)
	if i := bytes.LastIndexByte(b, '\n'); i+1 != len(b) { // a partial last line
		b = b[:i+1]
		if err := os.Truncate(outPath, int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	done := bytes.Count(b, []byte{'\n'})
	db, err := sqlitedb.Open(filepath.Join(dir, "alerts.db"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlitestore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(outPath, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for i := done; i < crashPuts; i++ {
		a := crashAlert(i)
		if _, err := s.Put(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Fprintf(out, "%s %d\n", a.ID, a.Revision); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAlertsSurviveKill kills a process putting alerts with SIGKILL at
// several moments, restarts it where its acknowledgements stop, and then
// checks in the reopened database that every revision acknowledged is
// there, and that each event's latest state is its highest revision.
func TestAlertsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; not in -short")
	}
	dir := t.TempDir()
	acked := func() int {
		b, _ := os.ReadFile(filepath.Join(dir, "acknowledged.txt"))
		return strings.Count(string(b), "\n")
	}
	run := func(killAt int) {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestAlertCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "ARCSECOND_ALERT_CRASH_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killAt > 0 {
			deadline := time.Now().Add(60 * time.Second)
			for acked() < killAt && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			cmd.Process.Signal(syscall.SIGKILL)
		}
		cmd.Wait()
	}
	kills := 0
	for _, at := range []int{40, 130, 220} {
		run(at)
		kills++
	}
	run(0)
	if n := acked(); n != crashPuts {
		t.Fatalf("%d puts acknowledged after the last run, want %d", n, crashPuts)
	}
	db, err := sqlitedb.Open(filepath.Join(dir, "alerts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := sqlitestore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for ev := 0; ev < crashPuts/3; ev++ {
		id := fmt.Sprintf("gcn:crash:%03d", ev)
		revs, err := s.Revisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 {
			t.Errorf("%s: %d revisions kept, want 3", id, len(revs))
			continue
		}
		for k, r := range revs {
			if want := crashAlert(3*ev + k); r.Revision != want.Revision || r.Message != want.Message {
				t.Errorf("%s revision %d: %s, want %s", id, k, r, want)
			}
		}
		got, ok, err := s.Get(ctx, id)
		if want := crashAlert(3*ev + 2); err != nil || !ok || got.Revision != want.Revision || got.Status != want.Status {
			t.Errorf("%s latest: %v %v %v, want %s", id, got, ok, err, want)
		}
	}
	all, err := s.Find(ctx, alerts.Query{IncludeRetracted: true})
	if err != nil || len(all) != crashPuts/3 {
		t.Errorf("Find: %d alerts, %v; want %d", len(all), err, crashPuts/3)
	}
	t.Logf("%d kills, %d puts acknowledged, all found after reopening", kills, crashPuts)
}
