package arcsecond

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// Tests of issue 21 (an adversarial pass against activityd), each against
// the node's real handler served on loopback.

// syntheticActivities are n valid activities, one a minute from 2025-06-01.
func syntheticActivities(t testing.TB, n int) []activities.Activity {
	t.Helper()
	acts := synthetic(0, n)
	for _, a := range acts {
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	return acts
}

// synthetic are the activities from to from+n of the series
// syntheticActivities begins (not validated).
func synthetic(from, n int) []activities.Activity {
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	acts := make([]activities.Activity, n)
	for k := range acts {
		i := from + k
		a := activities.Activity{
			ID: fmt.Sprintf("syn:%d", i), Source: "syn", Kind: activities.KindCompleted,
			Facility: "VLT UT1", Instrument: "FORS2", Revision: 1,
			Start: base.Add(time.Duration(i) * time.Minute),
		}
		a.End = a.Start.Add(30 * time.Second)
		a.Target.Name = fmt.Sprintf("target %d with a name long enough to weigh on the page", i)
		acts[k] = a
	}
	return acts
}

// storeOf is a memory store holding acts.
func storeOf(t testing.TB, acts []activities.Activity) activities.Store {
	t.Helper()
	st := activities.NewMemoryStore()
	if _, err := st.Put(context.Background(), acts); err != nil {
		t.Fatal(err)
	}
	return st
}

// Item 1: 120 requests differing only by a parameter the API ignores made
// 120 cache entries of up to a megabyte each; distinct real queries are
// bounded by the cache's byte budget.
func TestPageCacheBounded(t *testing.T) {
	ts := startNode(t, NodeOptions{Store: storeOf(t, syntheticActivities(t, 3000))})
	get := func(q string) int {
		code, b := ts.do(t, "GET", "/api/activities?"+q, "")
		if code != 200 {
			t.Fatalf("?%s: %d %s", q, code, b)
		}
		return len(b)
	}
	page := 0
	for i := range 120 {
		page = get(fmt.Sprintf("limit=1000&junk=%d", i))
	}
	bytes, pages := ts.node.pages.size()
	t.Logf("one page of 1000 activities: %d bytes; cache after 120 junk queries: %d pages, %d bytes", page, pages, bytes)
	if pages != 1 || bytes > page+1024 {
		t.Errorf("120 queries differing by an ignored parameter left %d pages, %d bytes in the cache, want 1 page", pages, bytes)
	}
	// Distinct queries (each a different window of 1000 activities),
	// each asked twice (a page is cached the second time), fill it up to
	// its budget only.
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 120 {
		q := "limit=1000&end=" + base.Add(time.Duration(1000+i)*time.Minute).Format(time.RFC3339)
		get(q)
		get(q)
	}
	bytes, pages = ts.node.pages.size()
	t.Logf("after 120 distinct queries: %d pages, %d bytes (budget %d)", pages, bytes, defaultPageCacheBytes)
	if bytes > defaultPageCacheBytes {
		t.Errorf("cache holds %d bytes, over its budget of %d", bytes, defaultPageCacheBytes)
	}
	if pages < 2 {
		t.Errorf("cache holds %d pages: it no longer caches", pages)
	}
	// Normalized: order and ignored parameters share one entry, and the
	// answer is the same.
	_, a := ts.do(t, "GET", "/api/activities?limit=5&source=syn", "")
	_, b := ts.do(t, "GET", "/api/activities?source=syn&x=1&limit=5", "")
	if string(a) != string(b) {
		t.Errorf("same query, different answers:\n%s\n%s", a, b)
	}
}

// Item 2: a cross-site simple request created a subscription.
func TestCSRF(t *testing.T) {
	ts := startNode(t, NodeOptions{AllowedOrigins: []string{"https://app.example.org"}})
	body := `{"id": "c%d", "criteria": {"sources": ["eso"]}}`
	for i, c := range []struct {
		method, ctype, origin, fetchSite string
		code                             int
		field                            string
	}{
		{"POST", "text/plain", "https://evil.example", "", 403, "Origin"}, // the reproduction
		{"POST", "text/plain", "", "", 415, "Content-Type"},
		{"POST", "application/x-www-form-urlencoded", "", "", 415, "Content-Type"},
		{"POST", "multipart/form-data; boundary=x", "", "", 415, "Content-Type"},
		{"POST", "", "", "", 415, "Content-Type"},
		{"POST", "application/json", "https://evil.example", "", 403, "Origin"},
		{"POST", "application/json", "", "cross-site", 403, "Origin"},
		{"POST", "application/json", "null", "", 403, "Origin"},
		{"POST", "application/json; charset=utf-8", "", "", 201, ""},
		{"POST", "application/json", "https://app.example.org", "", 201, ""},
		{"POST", "application/json", "SELF", "same-origin", 201, ""},
	} {
		origin := c.origin
		if origin == "SELF" {
			origin = ts.base
		}
		req, _ := http.NewRequest(c.method, ts.base+"/api/subscriptions", strings.NewReader(fmt.Sprintf(body, i)))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if c.fetchSite != "" {
			req.Header.Set("Sec-Fetch-Site", c.fetchSite)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code {
			t.Errorf("%d: %s %q from %q: %d %s, want %d", i, c.method, c.ctype, origin, resp.StatusCode, b, c.code)
			continue
		}
		if c.field != "" {
			var e apiError
			if json.Unmarshal(b, &e) != nil || e.Field != c.field {
				t.Errorf("%d: %s, want field %q", i, b, c.field)
			}
		}
	}
	// DELETE from another site is refused too; from a plain client it is not.
	req, _ := http.NewRequest("DELETE", ts.base+"/api/subscriptions/c8", nil)
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-origin DELETE: %d, want 403", resp.StatusCode)
	}
	if code, b := ts.do(t, "DELETE", "/api/subscriptions/c8", ""); code != 204 {
		t.Errorf("DELETE: %d %s", code, b)
	}
	if _, err := NewNode(context.Background(), NodeOptions{AllowedOrigins: []string{"not an origin"}}); err == nil {
		t.Error("NewNode accepted an invalid allowed origin")
	}
}

// Item 6: bounds outside what UnixNano represents gave wrong answers.
func TestTimeBoundsOverflow(t *testing.T) {
	ts := startNode(t, NodeOptions{Store: storeOf(t, syntheticActivities(t, 31))})
	for _, c := range []struct{ q, field string }{
		{"start=2263-01-01T00:00:00Z", "start"},
		{"end=1600-01-01T00:00:00Z", "end"},
		{"start=1500-01-01T00:00:00Z&end=2100-01-01T00:00:00Z", "start"},
		{"start=1500-01-01&end=2100-01-01", "start"}, // not RFC 3339 either
		{"start=2000-01-01T00:00:00Z&end=9999-12-31T23:59:59Z", "end"},
	} {
		code, b := ts.do(t, "GET", "/api/activities?"+c.q, "")
		var e apiError
		json.Unmarshal(b, &e)
		if code != 400 || e.Field != c.field {
			t.Errorf("?%s: %d %s, want 400 naming %s", c.q, code, b, c.field)
		}
	}
	// The extremes that are represented work.
	var page struct{ Activities []activities.Activity }
	ts.getJSON(t, "/api/activities?limit=1000&start=1678-01-01T00:00:00Z&end=2262-01-01T00:00:00Z", &page)
	if len(page.Activities) != 31 {
		t.Errorf("the widest representable window lists %d activities, want 31", len(page.Activities))
	}
	ts.getJSON(t, "/api/activities?start=2262-01-01T00:00:00Z", &page)
	if len(page.Activities) != 0 {
		t.Errorf("start=2262 lists %d activities, want 0", len(page.Activities))
	}
}

// Item 10: identifiers the API accepted and then could not serve back, and
// the match history that outlived its subscription.
func TestIdentifiers(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	for _, c := range []struct{ body, field string }{
		{"{\"id\": \"a\xffb\", \"criteria\": {\"sources\": [\"eso\"]}}", "id"},
		{`{"id": "a\udc00b", "criteria": {"sources": ["eso"]}}`, "id"},
		{`{"id": "a", "id": "b", "criteria": {"sources": ["eso"]}}`, "id"},
		{`{"ID": "a", "criteria": {"sources": ["eso"]}}`, "ID"},
		{`{"id": "a", "Criteria": {"sources": ["eso"]}}`, "Criteria"},
		{`{"id": "a", "criteria": {"sources": ["eso"], "Sources": ["x"]}}`, "criteria.Sources"},
		{`{"id": "a", "criteria": {"regions": [{"ra": 1, "dec": 2, "radius": 3, "ra": 4}]}}`, "criteria.regions[0].ra"},
		{"{\"id\": \"a\", \"criteria\": {\"targets\": [\"M\xc0\"]}}", "criteria.targets[0]"},
	} {
		code, b := ts.do(t, "POST", "/api/subscriptions", c.body)
		var e apiError
		json.Unmarshal(b, &e)
		if code != 400 || e.Field != c.field {
			t.Errorf("POST %q: %d %s, want 400 naming %q", c.body, code, b, c.field)
		}
	}
	var list struct{ Subscriptions []json.RawMessage }
	ts.getJSON(t, "/api/subscriptions", &list)
	if len(list.Subscriptions) != 0 {
		t.Errorf("refused bodies left subscriptions: %s", list.Subscriptions)
	}
}

func TestDeleteForgetsMatches(t *testing.T) {
	for _, db := range []string{"memory", "sqlite"} {
		t.Run(db, func(t *testing.T) {
			o := NodeOptions{}
			if db == "sqlite" {
				o.DBPath = t.TempDir() + "/node.db"
			}
			ts := startNode(t, o)
			create := func() {
				if code, b := ts.do(t, "POST", "/api/subscriptions", `{"id": "w", "criteria": {"sources": ["syn"]}}`); code != 201 {
					t.Fatalf("POST: %d %s", code, b)
				}
			}
			matches := func() (int, int) {
				code, b := ts.do(t, "GET", "/api/subscriptions/w/matches", "")
				var m struct{ Matches []MatchRecord }
				json.Unmarshal(b, &m)
				return code, len(m.Matches)
			}
			create()
			acts := syntheticActivities(t, 3)
			if _, err := ts.node.Feed().Ingest(context.Background(), acts...); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the matches", 10*time.Second, func() bool { _, n := matches(); return n == 3 })
			if code, b := ts.do(t, "DELETE", "/api/subscriptions/w", ""); code != 204 {
				t.Fatalf("DELETE: %d %s", code, b)
			}
			if code, n := matches(); code != 404 {
				t.Errorf("matches of a deleted subscription: %d with %d matches, want 404", code, n)
			}
			create() // by someone else, say
			if code, n := matches(); code != 200 || n != 0 {
				t.Errorf("a re-created subscription shows %d matches (%d), want none of the old one's", n, code)
			}
		})
	}
}

// Item 8: GET /api/subscriptions ignored limit and returned everything.
func TestSubscriptionsPaged(t *testing.T) {
	ts := startNode(t, NodeOptions{})
	var want []string
	for i := range 250 {
		id := fmt.Sprintf("s%03d", i)
		if code, b := ts.do(t, "POST", "/api/subscriptions", `{"id": "`+id+`", "criteria": {"sources": ["eso"]}}`); code != 201 {
			t.Fatalf("POST %s: %d %s", id, code, b)
		}
		want = append(want, id)
	}
	type page struct {
		Subscriptions []struct{ ID string }
		Next          string
	}
	var got []string
	var sizes []int
	for cursor := ""; ; {
		var p page
		ts.getJSON(t, "/api/subscriptions?limit=100&cursor="+cursor, &p)
		sizes = append(sizes, len(p.Subscriptions))
		for _, s := range p.Subscriptions {
			got = append(got, s.ID)
		}
		if len(sizes) == 1 { // deleting the last of a page does not upset the next
			if code, _ := ts.do(t, "DELETE", "/api/subscriptions/s099", ""); code != 204 {
				t.Fatal("DELETE")
			}
			want = append(want[:99:99], want[100:]...)
			got = got[:99]
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	if fmt.Sprint(sizes) != "[100 100 50]" || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages of %v; got %d ids, want %d in creation order", sizes, len(got), len(want))
	}
	var p page
	ts.getJSON(t, "/api/subscriptions", &p)
	if len(p.Subscriptions) != 100 || p.Next == "" {
		t.Errorf("default page: %d subscriptions, next %q; want 100 and a cursor", len(p.Subscriptions), p.Next)
	}
	for _, c := range []struct{ q, field string }{{"limit=0", "limit"}, {"limit=1001", "limit"}, {"cursor=%25", "cursor"}, {"cursor=bm9wZQ", "cursor"}} {
		code, b := ts.do(t, "GET", "/api/subscriptions?"+c.q, "")
		var e apiError
		json.Unmarshal(b, &e)
		if code != 400 || e.Field != c.field {
			t.Errorf("?%s: %d %s, want 400 naming %s", c.q, code, b, c.field)
		}
	}
}

// Item 8: creation was unbounded (20,000 in 5 s).
func TestSubscriptionsCapped(t *testing.T) {
	ts := startNode(t, NodeOptions{MaxSubscriptions: 5})
	post := func(i int) (int, []byte) {
		return ts.do(t, "POST", "/api/subscriptions", fmt.Sprintf(`{"id": "c%d", "criteria": {"sources": ["eso"]}}`, i))
	}
	for i := range 5 {
		if code, b := post(i); code != 201 {
			t.Fatalf("POST %d: %d %s", i, code, b)
		}
	}
	if code, b := post(5); code != 429 || !strings.Contains(string(b), "maximum of 5") {
		t.Errorf("6th POST: %d %s, want 429", code, b)
	}
	ts.do(t, "DELETE", "/api/subscriptions/c0", "")
	if code, b := post(5); code != 201 {
		t.Errorf("POST after a DELETE: %d %s", code, b)
	}
	if n := ts.node.index.Len(); n != 5 {
		t.Errorf("%d subscriptions, want 5", n)
	}
}

// Item 8: 500 match_all subscriptions whose webhooks fail wrote a WARN line
// per delivery attempt, ~500 a second.
func TestDeliveryWarningsSampled(t *testing.T) {
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer fail.Close()
	ts := startNode(t, NodeOptions{AllowPrivateWebhooks: true, Dispatch: DispatchOptions{MaxAttempts: 1, Workers: 8}})
	const subs, acts = 200, 5
	for i := range subs {
		body := fmt.Sprintf(`{"id": "all%d", "match_all": true, "delivery": {"webhook": {"url": "%s/h%d"}}}`, i, fail.URL, i)
		if code, b := ts.do(t, "POST", "/api/subscriptions", body); code != 201 {
			t.Fatalf("POST: %d %s", code, b)
		}
	}
	t0 := time.Now()
	if _, err := ts.node.Feed().Ingest(context.Background(), syntheticActivities(t, acts)...); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the deliveries to fail", 60*time.Second, func() bool {
		ns, err := ts.node.Outbox().List(context.Background(), subscribe.StateDead, 10000)
		return err == nil && len(ns) == subs*acts
	})
	elapsed := time.Since(t0)
	var lines, suppressed int
	count := func() bool {
		lines, suppressed = 0, 0
		for _, l := range strings.Split(ts.logs.String(), "\n") {
			if strings.Contains(l, "level=WARN msg=delivery ") {
				lines++
			}
			if i := strings.Index(l, "suppressed="); i >= 0 && strings.Contains(l, "level=WARN") {
				n, _ := strconv.Atoi(strings.Fields(l[i+len("suppressed="):])[0])
				suppressed += n
			}
		}
		return lines+suppressed == subs*acts
	}
	waitFor(t, "every failure logged or counted", 10*time.Second, count)
	bound := deliveryWarnings * (int(elapsed/time.Second) + 2)
	t.Logf("%d failed deliveries in %v: %d WARN lines, %d counted as suppressed (bound %d lines)", subs*acts, elapsed.Round(time.Millisecond), lines, suppressed, bound)
	if lines == 0 || lines > bound {
		t.Errorf("%d delivery WARN lines in %v, want 1 to %d", lines, elapsed, bound)
	}
}

// Item 10: the outbox keys notifications by (subscription ID, activity,
// revision), so a subscription re-created with a deleted one's ID was shown
// the old one's deliveries, targets included, for the same activity.
func TestRecreatedSubscriptionHidesOldDeliveries(t *testing.T) {
	ts := startNode(t, NodeOptions{AllowPrivateWebhooks: true})
	ctx := context.Background()
	old := "http://127.0.0.1:1/old-owner?token=secret"
	if code, b := ts.do(t, "POST", "/api/subscriptions", `{"id": "w", "criteria": {"sources": ["syn"]}, "delivery": {"webhook": {"url": "http://127.0.0.1:1/new-owner"}}}`); code != 201 {
		t.Fatalf("POST: %d %s", code, b)
	}
	now := time.Now()
	ts.node.subs.recordMatch(subscribe.Match{Subscription: ts.node.index.Get("w")}, &activities.Activity{ID: "syn:1", Revision: 1}, now)
	key := subscribe.IdempotencyKey("w", "syn:1", 1)
	// The earlier subscription "w"'s notification, still in the outbox.
	if _, err := ts.node.Outbox().Enqueue(ctx, []subscribe.Notification{
		{Key: key, Channel: subscribe.ChannelWebhook, Subscription: "w", Target: old, ActivityID: "syn:1", Revision: 1, Payload: []byte(`{}`), NextAt: now.Add(time.Hour), Created: now},
	}, 0); err != nil {
		t.Fatal(err)
	}
	code, b := ts.do(t, "GET", "/api/subscriptions/w/matches", "")
	if code != 200 || strings.Contains(string(b), "old-owner") {
		t.Errorf("matches: %d %s; want no delivery to another subscription's target", code, b)
	}
}
