package arcsecond

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// chromium finds the browser: $ARCSECOND_CHROMIUM, else /usr/bin/chromium.
// Without one the test skips, or fails under CI=true (where
// .ci/setup.d/60-browser.sh installs Debian's chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ARCSECOND_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium: .ci/setup.d/60-browser.sh installs Debian's chromium (or set ARCSECOND_CHROMIUM)")
	}
	t.Skip("no chromium at /usr/bin/chromium (apt-get install chromium, or set ARCSECOND_CHROMIUM)")
	return ""
}

// TestDashboardBrowser opens the dashboard in headless chromium against
// activityd --replay and checks that rows and sky-map marks appear as the
// activities are replayed, then saves a screenshot to out/dashboard.png.
func TestDashboardBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bin := chromium(t)
	want := totalReplayed(t)
	withPos := 0
	srcs, _ := newReplaySources(ReplayOptions{}, discardLogger())
	seen := map[string]bool{}
	for _, s := range srcs {
		for _, it := range s.items {
			if it.a.Target.RA != nil && !seen[it.a.ID] {
				withPos++
			}
			seen[it.a.ID] = true
		}
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The browser starts first (it may take seconds on a busy machine);
	// then the server, whose replay (about 10 s at this speed) begins
	// once the page has loaded.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	ts := startNode(t, NodeOptions{Replay: &ReplayOptions{Speed: 1000, Wait: 1500 * time.Millisecond}})
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/"), chromedp.WaitVisible("#sky")); err != nil {
		t.Fatal(err)
	}
	type pageState struct {
		Rows, Live, Marks, Sources int
		Status                     string
	}
	state := func() pageState {
		t.Helper()
		st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](`({
			Rows: document.querySelectorAll("#activities tbody tr").length,
			Live: document.querySelectorAll("#activities tbody tr.new").length,
			Marks: document.querySelectorAll("#marks .mark").length,
			Sources: document.querySelectorAll("#sources tbody tr").length,
			Status: document.getElementById("status").textContent})`))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := state()
	// Rows and marks grow as the replay goes on.
	deadline := time.Now().Add(60 * time.Second)
	var st pageState
	for {
		st = state()
		if st.Rows >= want && st.Marks >= withPos {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s: %+v; want %d rows, %d sky marks", st, want, withPos)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if first.Rows >= want {
		t.Errorf("the page had all %d rows at once: the replay did not arrive live", first.Rows)
	}
	if st.Status != "live" {
		t.Errorf("status %q, want live", st.Status)
	}
	if st.Sources < 4 {
		t.Errorf("%d source rows", st.Sources)
	}
	if st.Live == 0 {
		t.Error("no row arrived over the WebSocket")
	}
	t.Logf("at load %+v; at the end %+v", first, st)

	time.Sleep(2 * time.Second) // let the row highlight fade and the health table refresh
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	root, err := recorded.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "dashboard.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", filepath.Join(out, "dashboard.png"), len(png))
}
