package arcsecond

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/subscribe"

	"github.com/chromedp/chromedp"
)

// TestDashboardSubscriptionActions drives the Subscriptions view's Send
// test, Pause/Resume and Edit buttons against a node with accounts and
// checks each through the API: the test notification reaches the webhook,
// signed; the pause and resume take; the edit replaces the criteria and
// keeps the webhook's secret.
func TestDashboardSubscriptionActions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	ctx := newBrowser(t, 1200, 900)
	ts := startNode(t, NodeOptions{AllowPrivateWebhooks: true, Auth: &AuthOptions{}})
	alice, _, err := ts.node.Keys().Create(context.Background(), auth.KeyOptions{Owner: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHookRecorder(t)
	call := func(method, path, body string) (int, []byte) {
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
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	var created subscribe.Subscription
	if st, b := call("POST", "/api/subscriptions", `{"id": "ui", "criteria": {"sources": ["swift"], "observers": ["Smith"]}, "delivery": {"webhook": {"url": "`+h.URL+`"}}}`); st != 201 || json.Unmarshal(b, &created) != nil {
		t.Fatalf("create: %d %s", st, b)
	}
	secret := created.Delivery.Webhook.Secrets
	h.mu.Lock()
	h.verify = secret
	h.mu.Unlock()

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.base+"/?view=subs"), chromedp.WaitVisible("#api-key"),
		chromedp.SetValue("#api-key", alice), chromedp.Click("#signin-go")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!!document.querySelector('#subs button[aria-label="Send a test notification to ui"]')`, 10*time.Second)

	// Send test: the outcome in the page, the notification at the receiver.
	eval[bool](t, ctx, `(document.querySelector('#subs button[aria-label="Send a test notification to ui"]').click(), true)`)
	waitJS(t, ctx, `document.getElementById("sub-msg").textContent.includes("webhook delivered")`, 15*time.Second)
	h.mu.Lock()
	acts, bad := slices.Clone(h.acts), h.bad
	h.mu.Unlock()
	if len(acts) != 1 || !strings.HasPrefix(acts[0], "test:") || bad != 0 {
		t.Fatalf("the receiver got %v (%d unverified)", acts, bad)
	}

	// Pause, then Resume.
	eval[bool](t, ctx, `(document.querySelector('#subs button[aria-label="Pause ui"]').click(), true)`)
	waitJS(t, ctx, `[...document.querySelectorAll("#subs tbody td:first-child")].some(td => td.textContent === "ui (paused)")`, 10*time.Second)
	if _, b := call("GET", "/api/subscriptions/ui", ""); !strings.Contains(string(b), `"paused":true`) {
		t.Fatalf("after Pause the API shows %s", b)
	}
	eval[bool](t, ctx, `(document.querySelector('#subs button[aria-label="Resume ui"]').click(), true)`)
	waitJS(t, ctx, `!!document.querySelector('#subs button[aria-label="Pause ui"]')`, 10*time.Second)
	if _, b := call("GET", "/api/subscriptions/ui", ""); strings.Contains(string(b), `"paused"`) {
		t.Fatalf("after Resume the API shows %s", b)
	}

	// Edit: the form is filled; saving replaces the sources, keeps the
	// criteria it does not show and the webhook's secret.
	eval[bool](t, ctx, `(document.querySelector('#subs button[aria-label="Edit ui"]').click(), true)`)
	waitJS(t, ctx, `document.querySelector('#sub-form input[name="id"]').readOnly && document.querySelector('#sub-form input[name="sources"]').value === "swift"`, 5*time.Second)
	if err := chromedp.Do(ctx, chromedp.SetValue(`#sub-form input[name="sources"]`, "eso, hst"), chromedp.Click("#sub-submit")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.getElementById("sub-msg").textContent.startsWith("Saved ui")`, 10*time.Second)
	var got subscribe.Subscription
	if st, b := call("GET", "/api/subscriptions/ui", ""); st != 200 || json.Unmarshal(b, &got) != nil ||
		!slices.Equal(got.Criteria.Sources, []string{"eso", "hst"}) || !slices.Equal(got.Criteria.Observers, []string{"Smith"}) || got.Delivery.Webhook == nil || got.Delivery.Webhook.URL != h.URL {
		t.Fatalf("after Edit the API shows %d %s", st, b)
	}
	if k, _ := ts.node.lookup(ts.node.subKey("alice", "ui")); k == nil || !slices.Equal(k.Delivery.Webhook.Secrets, secret) {
		t.Fatalf("the edit lost the webhook's secret: %+v", k)
	}
	if eval[string](t, ctx, `document.getElementById("sub-submit").textContent`) != "Create" {
		t.Error("after saving, the form is still in edit mode")
	}
}
