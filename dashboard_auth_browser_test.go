package arcsecond

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// hookReceiver is a webhook endpoint that verifies the signature of each
// delivery with the secret the dashboard showed once, and records the
// activities of source delivered for the subscription sub.
type hookReceiver struct {
	*httptest.Server
	sub, source string
	mu          sync.Mutex
	secret      string
	verified    map[string]bool
	bad         int
}

func newHookReceiver(t *testing.T, sub, source string) *hookReceiver {
	h := &hookReceiver{sub: sub, source: source, verified: map[string]bool{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		var p subscribe.Payload
		if err := subscribe.Verify(r.Header, b, time.Now(), 5*time.Minute, h.secret); err != nil || json.Unmarshal(b, &p) != nil {
			h.bad++
			http.Error(w, "unverified", 400)
			return
		}
		if p.Data.Subscription == h.sub && p.Data.Activity.Source == h.source {
			h.verified[p.Data.Activity.ID] = true
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// takeSecret reads the signing secret the page shows once after creating
// the subscription and verifies the deliveries with it.
func (h *hookReceiver) takeSecret(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.getElementById("sub-secret")`, 10*time.Second)
	s := eval[string](t, ctx, `document.getElementById("sub-secret").textContent`)
	if !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("the page showed the secret %q", s)
	}
	h.mu.Lock()
	h.secret = s
	h.mu.Unlock()
}

// waitVerified waits for a delivery with a verified signature, and fails
// the test if any delivery failed verification.
func (h *hookReceiver) waitVerified(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h.mu.Lock()
		n, bad := len(h.verified), h.bad
		h.mu.Unlock()
		if n > 0 {
			if bad > 0 {
				t.Errorf("%d webhook requests failed verification", bad)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no verified webhook within %v (%d unverified)", timeout, bad)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// submitSub fills the Subscriptions view's form (webhook may be empty)
// and submits it.
func submitSub(id, sources, webhook string) []chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(`#sub-form input[name="id"]`, id),
		chromedp.SetValue(`#sub-form input[name="sources"]`, sources),
	}
	if webhook != "" {
		steps = append(steps, chromedp.SetValue(`#sub-form input[name="webhook"]`, webhook))
	}
	return append(steps, chromedp.Click(`#sub-form button[type="submit"]`))
}

// axeSerious runs axe-core (injected in the page) and lists its serious
// and critical violations, with up to three of the elements of each.
const axeSerious = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
	.filter(v => v.impact === "serious" || v.impact === "critical")
	.map(v => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\s+/g, " ")).join(" | ")))`

// TestDashboardSignIn drives "My subscriptions" on a node with accounts:
// without a key the view asks for one; a wrong key is refused with the
// 401 message and not kept; alice signs in (the key stays out of the
// address), does not see bob's subscription, creates a webhook
// subscription through the form that belongs to her and fires a verified
// webhook, sees its delivered matches; axe-core finds no serious or
// critical violation on the signed-in view; signing out forgets the key.
func TestDashboardSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	const subID = "alice-swift-from-ui"
	hook := newHookReceiver(t, subID, "swift")
	ctx := newBrowser(t, 1200, 900)
	ts := startNode(t, NodeOptions{
		Replay:               &ReplayOptions{Speed: 3000, Wait: 8 * time.Second},
		AllowPrivateWebhooks: true,
		Auth:                 &AuthOptions{},
	})
	bg := context.Background()
	alice, _, err := ts.node.Keys().Create(bg, auth.KeyOptions{Owner: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	bob, _, err := ts.node.Keys().Create(bg, auth.KeyOptions{Owner: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, key, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call("POST", "/api/subscriptions", bob, `{"id":"bob-private","criteria":{"sources":["swift"]}}`); code != http.StatusCreated {
		t.Fatalf("bob's subscription: %d %s", code, body)
	}

	// Without a key the view asks for one and hides the subscriptions.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=subs"), chromedp.WaitVisible("#api-key")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("sub-auth").textContent.includes("sign in with your API key")`, 10*time.Second)
	if !eval[bool](t, ctx, `document.getElementById("subs-area").hidden && document.getElementById("api-key").type === "password"`) {
		t.Error("without a key the subscriptions are shown, or the key field is not a password field")
	}

	signIn := func(key string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SetValue("#api-key", key), chromedp.Click("#signin-go")); err != nil {
			t.Fatal(err)
		}
	}
	stored := func() string { return eval[string](t, ctx, `sessionStorage.getItem("arcsecond-api-key") || ""`) }

	// A wrong key: the 401 message, and the key is not kept.
	wrong := "arc_0123456789abcdef_" + strings.Repeat("x", 20)
	signIn(wrong)
	waitJS(t, ctx, `document.getElementById("sub-auth").textContent.includes("refused (401)")`, 10*time.Second)
	if s := stored(); s != "" {
		t.Errorf("a refused key is kept in session storage: %q", s)
	}
	if !eval[bool](t, ctx, `document.getElementById("subs-area").hidden`) {
		t.Error("after a refused key the subscriptions are shown")
	}

	// alice signs in: her key is in session storage, not in the address.
	signIn(alice)
	waitJS(t, ctx, `!document.getElementById("subs-area").hidden && document.getElementById("signin-state").textContent.startsWith("Signed in")`, 10*time.Second)
	if s := stored(); s != alice {
		t.Errorf("session storage holds %q, want alice's key", s)
	}
	if href := eval[string](t, ctx, "location.href"); strings.Contains(href, "arc_") || strings.Contains(href, url.QueryEscape(alice)) {
		t.Errorf("the key is in the address %q", href)
	}
	if msg := eval[string](t, ctx, `document.getElementById("sub-auth").textContent`); msg != "" {
		t.Errorf("signed in, the page still says %q", msg)
	}

	// She creates a webhook subscription through the form.
	if err := chromedp.Do(ctx, submitSub(subID, "swift", hook.URL+"/hook")...); err != nil {
		t.Fatal(err)
	}
	hook.takeSecret(t, ctx)
	waitJS(t, ctx, fmt.Sprintf(`[...document.querySelectorAll("#subs tbody tr td:first-child")].some(td => td.textContent === %q)`, subID), 10*time.Second)
	listed := eval[[]string](t, ctx, `[...document.querySelectorAll("#subs tbody tr td:first-child")].map(td => td.textContent)`)
	if len(listed) != 1 || listed[0] != subID {
		t.Errorf("alice's table lists %v, want only %s (not bob's)", listed, subID)
	}
	// It is hers: bob cannot see it, and she cannot see his.
	code, body := call("GET", "/api/subscriptions/"+subID, alice, "")
	var got subscribe.Subscription
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil || got.Owner != "alice" {
		t.Errorf("alice's GET of %s: %d %s, want 200 and owner alice", subID, code, body)
	}
	if code, _ := call("GET", "/api/subscriptions/"+subID, bob, ""); code != http.StatusNotFound {
		t.Errorf("bob's GET of alice's subscription: %d, want 404", code)
	}

	hook.waitVerified(t, 60*time.Second)
	eval[bool](t, ctx, fmt.Sprintf(`(document.querySelector('#subs button[aria-label="Matches of %s"]').click(), true)`, subID))
	waitJS(t, ctx, `[...document.querySelectorAll("#sub-matches li.match")].some(li => li.textContent.includes("webhook delivered"))`, 20*time.Second)

	// Accessibility of the signed-in view, in both themes.
	axe, err := os.ReadFile("testdata/axe-core/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	for _, theme := range []string{"light", "dark"} {
		eval[bool](t, ctx, fmt.Sprintf(`(document.documentElement.dataset.theme !== %q && document.getElementById("theme").click(), true)`, theme))
		eval[bool](t, ctx, frameDone)
		if bad := eval[[]string](t, ctx, axeSerious); len(bad) > 0 {
			t.Errorf("axe-core, signed-in subscriptions view, %s theme:\n  %s", theme, strings.Join(bad, "\n  "))
		}
	}

	// Signing out forgets the key and asks for one again.
	if err := chromedp.Do(ctx, chromedp.Click("#signout")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("subs-area").hidden && document.getElementById("sub-auth").textContent.includes("sign in with your API key")`, 10*time.Second)
	if s := stored(); s != "" {
		t.Errorf("after signing out, session storage holds %q", s)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#subs tbody tr").length`); n != 0 {
		t.Errorf("after signing out, %d subscriptions stay in the page", n)
	}
}

// TestDashboardSignInErrors checks the messages of "My subscriptions" for
// the other refusals: a reader key may list but not create (403); a
// subscription deleted meanwhile is not found (404); beyond its rate a key
// is told when to retry (429 with Retry-After).
func TestDashboardSignInErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1200, 900)
	// Five requests per key, then one every 100 s.
	ts := startNode(t, NodeOptions{Auth: &AuthOptions{KeyRate: 0.01, KeyBurst: 5}})
	bg := context.Background()
	reader, _, err := ts.node.Keys().Create(bg, auth.KeyOptions{Owner: "rita", Role: auth.RoleReader})
	if err != nil {
		t.Fatal(err)
	}
	alice, _, err := ts.node.Keys().Create(bg, auth.KeyOptions{Owner: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, ts.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+alice)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := do("POST", "/api/subscriptions", `{"id":"soon-gone","criteria":{"sources":["swift"]}}`); c != http.StatusCreated { // alice: 1
		t.Fatalf("creating alice's subscription: %d", c)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=subs"), chromedp.WaitVisible("#api-key")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("sub-auth").textContent.includes("(401)")`, 10*time.Second)
	text := func(id string) string {
		return eval[string](t, ctx, fmt.Sprintf(`document.getElementById(%q).textContent`, id))
	}

	// The reader lists (an empty table) but may not create.
	if err := chromedp.Do(ctx, chromedp.SetValue("#api-key", reader), chromedp.Click("#signin-go")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!document.getElementById("subs-area").hidden`, 10*time.Second)
	if err := chromedp.Do(ctx, submitSub("not-for-readers", "swift", "")...); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("sub-msg").textContent.includes("(403)")`, 10*time.Second)
	if m := text("sub-msg"); !strings.Contains(m, "role reader") {
		t.Errorf("the 403 message %q does not give the server's reason", m)
	}

	// alice signs in just after the reader signs out. The signed-out
	// listing is answered (401) after hers: it must not sign her out.
	eval[bool](t, ctx, `(() => {
		const f = window.fetch;
		window.lateListings = 0;
		window.fetch = (p, init) => {
			const anon = String(p).startsWith("/api/subscriptions?") && !new Headers((init || {}).headers).has("Authorization");
			if (!anon) return f(p, init);
			window.lateListings++;
			return new Promise((ok) => setTimeout(ok, 800)).then(() => f(p, init)).finally(() => { window.lateListings--; });
		};
		return true;
	})()`)
	if err := chromedp.Do(ctx, chromedp.Click("#signout")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue("#api-key", alice), chromedp.Click("#signin-go")); err != nil { // alice: 2
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector('#subs button[aria-label="Delete soon-gone"]')`, 10*time.Second)
	waitJS(t, ctx, `window.lateListings === 0`, 10*time.Second)
	if st := text("signin-state"); !strings.Contains(st, "Signed in") {
		t.Errorf("after the late 401 of the signed-out listing, the page says %q, not signed in", st)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("subs-area").hidden`); hidden {
		t.Error("the late 401 of the signed-out listing hid alice's subscriptions")
	}

	// Her subscription, deleted elsewhere, is not found when she deletes it
	// in the page.
	if c := do("DELETE", "/api/subscriptions/soon-gone", ""); c != http.StatusNoContent { // alice: 3
		t.Fatalf("deleting alice's subscription: %d", c)
	}
	eval[bool](t, ctx, `(window.confirm = () => true, document.querySelector('#subs button[aria-label="Delete soon-gone"]').click(), true)`) // alice: 4, and the listing 5
	waitJS(t, ctx, `document.getElementById("sub-msg").textContent.includes("(404)")`, 10*time.Second)
	waitJS(t, ctx, `document.querySelectorAll("#subs tbody tr").length === 0`, 10*time.Second)

	// Her sixth request is over the rate: the page says when to retry.
	eval[bool](t, ctx, `(dash.setView("subs", true), true)`)
	waitJS(t, ctx, `document.getElementById("sub-auth").textContent.includes("(429)")`, 10*time.Second)
	// Retry-After is the whole seconds until the next request is allowed:
	// at most 100, less by the time the test took.
	m := text("sub-auth")
	var secs int
	if i := strings.Index(m, "again in "); i < 0 {
		t.Errorf("the 429 message %q does not say when to retry", m)
	} else if _, err := fmt.Sscanf(m[i:], "again in %d s", &secs); err != nil || secs < 60 || secs > 100 {
		t.Errorf("the 429 message %q does not give the Retry-After (60 to 100 s)", m)
	}
}

// TestDashboardSubscriptionPages checks that the Subscriptions view reads
// every page of GET /api/subscriptions (at most 1000 a page), and shows
// the server's reason when the node is full (429 without Retry-After).
func TestDashboardSubscriptionPages(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1200, 900)
	const n = 1003
	ts := startNode(t, NodeOptions{MaxSubscriptions: n})
	for i := range n {
		body := fmt.Sprintf(`{"id":"s%04d","criteria":{"sources":["swift"]}}`, i)
		resp, err := http.Post(ts.base+"/api/subscriptions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("creating subscription %d: %s", i, resp.Status)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=subs"), chromedp.WaitVisible("#sub-form")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll("#subs tbody tr").length === %d`, n), 20*time.Second)
	if last := eval[string](t, ctx, `document.querySelector("#subs tbody tr:last-child td").textContent`); last != fmt.Sprintf("s%04d", n-1) {
		t.Errorf("the last row is %q", last)
	}
	if err := chromedp.Do(ctx, submitSub("one-too-many", "swift", "")...); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("sub-msg").textContent.includes("(429)")`, 10*time.Second)
	if m := eval[string](t, ctx, `document.getElementById("sub-msg").textContent`); !strings.Contains(m, "maximum of 1003") || strings.Contains(m, "again in") {
		t.Errorf("the message for a full node is %q", m)
	}
}
