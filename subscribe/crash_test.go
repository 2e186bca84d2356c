package subscribe

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/sqlitestore"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func TestMain(m *testing.M) {
	if os.Getenv("SUBSCRIBE_CRASH_HELPER") == "1" {
		if err := crashHelper(); err != nil {
			fmt.Fprintln(os.Stderr, "crash helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const crashActs = 120

// crashSubs are the helper's subscriptions: several match every activity,
// some match a part.
func crashSubs(url, secret string) []*Subscription {
	var out []*Subscription
	for i := range 8 {
		c := Criteria{Instruments: []string{"MUSE"}}
		switch i % 4 {
		case 1:
			c = Criteria{Targets: []string{fmt.Sprintf("obj-%d*", i)}}
		case 2:
			c = Criteria{Regions: []Region{{RA: float64(i * 10), Dec: 0, Radius: 20}}}
		case 3:
			c = Criteria{Observers: []string{"Müller"}, Kinds: []activities.Kind{activities.KindCompleted}}
		}
		out = append(out, webhookSub(fmt.Sprintf("crash%d", i), url, []string{secret}, c))
	}
	return out
}

func crashActivities() []activities.Activity {
	r := rand.New(rand.NewPCG(3, 3))
	acts := make([]activities.Activity, crashActs)
	for i := range acts {
		a := testActivity(i)
		a.Target.Name = fmt.Sprintf("obj-%d", r.IntN(10))
		a.Target.SetPosition(r.Float64()*90, r.Float64()*20-10)
		if i%3 == 0 {
			a.Kind = activities.KindCompleted
		}
		a.Revision = activities.Revision(a.Kind, time.Time{})
		acts[i] = a
	}
	return acts
}

// crashHelper is the process the crash test kills: a feed on SQLite and a
// dispatcher sharing its database, ingesting the activities in small
// batches and delivering to the receiver until nothing is pending.
func crashHelper() error {
	ctx := context.Background()
	db, err := sqlitedb.Open(os.Getenv("SUBSCRIBE_CRASH_DB"))
	if err != nil {
		return err
	}
	fs, err := sqlitestore.New(db)
	if err != nil {
		return err
	}
	out, err := NewSQLiteOutbox(db)
	if err != nil {
		return err
	}
	m := NewMatcher()
	for _, s := range crashSubs(os.Getenv("SUBSCRIBE_CRASH_URL"), os.Getenv("SUBSCRIBE_CRASH_SECRET")) {
		if err := m.Add(s); err != nil {
			return err
		}
	}
	feed := activities.NewFeed(activities.FeedOptions{Store: fs})
	d, err := NewDispatcher(DispatcherOptions{Store: out, Index: m, Webhooks: NewWebhookSender(WebhookOptions{AllowPrivate: true}),
		Lease: 300 * time.Millisecond, Poll: 20 * time.Millisecond, BaseBackoff: 20 * time.Millisecond})
	if err != nil {
		return err
	}
	go d.Consume(ctx, feed)
	go d.Run(ctx)
	fmt.Println("READY")
	acts := crashActivities()
	for i := 0; i < len(acts); i += 10 {
		if _, err := feed.Ingest(ctx, acts[i:i+10]...); err != nil {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	last, err := fs.LastSeq(ctx)
	if err != nil {
		return err
	}
	for {
		cur, err := out.Cursor(ctx)
		if err != nil {
			return err
		}
		var pending int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM subscribe_outbox WHERE state = 'pending'`).Scan(&pending); err != nil {
			return err
		}
		if cur >= last && pending == 0 {
			fmt.Println("DONE")
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCrashSIGKILL kills a dispatching process with SIGKILL at random
// moments and restarts it; the receiver must end with every expected
// notification at least once, and exactly once after de-duplication by
// idempotency key.
func TestCrashSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	secret := NewSecret()
	r := newReceiver(t, secret)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	slow := r.srv.Config.Handler
	r.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		time.Sleep(time.Duration(rand.IntN(4)) * time.Millisecond)
		slow.ServeHTTP(w, req)
	})
	// The expected notifications, computed in process.
	m := NewMatcher()
	for _, s := range crashSubs(r.srv.URL, secret) {
		m.Add(s)
	}
	want := map[string]bool{}
	for _, a := range crashActivities() {
		for _, mt := range m.Match(&a) {
			want[IdempotencyKey(mt.Subscription.ID, a.ID, a.Revision)] = true
		}
	}
	db := filepath.Join(t.TempDir(), "crash.db")
	start := func() (*exec.Cmd, <-chan string) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SUBSCRIBE_CRASH_HELPER=1", "SUBSCRIBE_CRASH_DB="+db,
			"SUBSCRIBE_CRASH_URL="+r.srv.URL, "SUBSCRIBE_CRASH_SECRET="+secret)
		cmd.Stderr = os.Stderr
		outp, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 4)
		go func() {
			sc := bufio.NewScanner(outp)
			for sc.Scan() {
				lines <- strings.TrimSpace(sc.Text())
			}
			close(lines)
		}()
		return cmd, lines
	}
	// Each run is killed at a random moment after it starts delivering
	// (starting takes long under the race detector on a busy machine, so
	// the clock starts at its first delivery).
	deadline := time.Now().Add(40 * time.Second)
	kills := 0
	for i := 0; i < 8 && time.Now().Before(deadline); i++ {
		u0, _, _ := r.counts()
		cmd, lines := start()
		select {
		case <-lines:
		case <-time.After(20 * time.Second):
		}
		// Once this run delivers, kill it a random moment later.
		for wait := time.Now().Add(15 * time.Second); time.Now().Before(wait); time.Sleep(2 * time.Millisecond) {
			if u, _, _ := r.counts(); u > u0 || u == len(want) {
				break
			}
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			kills++
		}
		cmd.Wait()
		u, _, _ := r.counts()
		t.Logf("kill %d: %d of %d notifications received so far", kills, u, len(want))
	}
	cmd, lines := start()
	done := make(chan bool, 1)
	go func() {
		ok := false
		for l := range lines {
			ok = ok || l == "DONE"
		}
		done <- ok
	}()
	select {
	case ok := <-done:
		cmd.Wait()
		if !ok {
			t.Fatalf("the final run did not finish: %v", cmd.ProcessState)
		}
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the final run did not finish within 90 s")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	dups := 0
	for k := range want {
		if r.got[k] == 0 {
			t.Errorf("notification %s never received", k)
		}
	}
	for k, n := range r.got {
		if !want[k] {
			t.Errorf("unexpected notification %s", k)
		}
		dups += n - 1
	}
	if r.bad != 0 {
		t.Errorf("%d deliveries with a bad signature", r.bad)
	}
	t.Logf("%d kills; %d expected notifications, %d unique received, %d duplicates dropped by key", kills, len(want), len(r.got), dups)
}
