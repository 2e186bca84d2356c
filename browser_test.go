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
	t.Skip("no chromium at /usr/bin/chromium (apt-get install -y --no-install-recommends chromium fonts-dejavu-core, or set ARCSECOND_CHROMIUM)")
	return ""
}

// newBrowser starts headless chromium with a window of w×h CSS pixels and
// returns its first tab.
func newBrowser(t *testing.T, w, h int) context.Context {
	t.Helper()
	bin := chromium(t)
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
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The browser starts first: it may take seconds on a busy machine.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// newTab opens another tab in the browser of tab.
func newTab(t *testing.T, tab context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(tab)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// eval evaluates a JavaScript expression in the page (awaiting a promise).
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.80q: %v", js, err)
	}
	return v
}

// waitJS polls a JavaScript predicate every 100 ms until it is true.
func waitJS(t *testing.T, ctx context.Context, js string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !eval[bool](t, ctx, "!!("+js+")") {
		if time.Now().After(deadline) {
			t.Fatalf("after %v, still false: %s", timeout, js)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// screenshot saves the visible page as docs/screenshots/<name>.png when
// ARCSECOND_UPDATE_SCREENSHOTS=1, and otherwise in the test's temporary
// directory, so that running the tests leaves the tree as it was.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if len(png) == 0 {
		t.Fatalf("screenshot %s: the browser returned an empty image", name)
	}
	dir := t.TempDir()
	if os.Getenv("ARCSECOND_UPDATE_SCREENSHOTS") == "1" {
		root, err := recorded.RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", p, len(png))
}
