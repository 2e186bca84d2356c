package arcsecond

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/auth"
)

// FuzzAuthHandler sends arbitrary methods, paths, headers, credentials
// and bodies to a node with accounts, as nobody, as a reader, as a user
// (alice) and as a publisher: no answer is a 5xx, and no request changes
// what its caller may not change (nobody and readers: nothing; alice:
// nothing of bob's, no activity; the publisher: no subscription, no
// activity of another source). Bob's e-mail address is never shown to
// another.
func FuzzAuthHandler(f *testing.F) {
	ctx := context.Background()
	n, err := NewNode(ctx, NodeOptions{DBPath: f.TempDir() + "/fuzz.db", Logger: discardLogger(),
		Auth: &AuthOptions{KeyRate: 1e9, KeyBurst: 1e9, IPRate: 1e9, IPBurst: 1e9, MaxStreams: 1000}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { n.Close() })
	hs := httptest.NewServer(n.Handler())
	f.Cleanup(hs.Close)
	keys := []string{""}
	for _, o := range []auth.KeyOptions{{Owner: "rita", Role: auth.RoleReader}, {Owner: "alice"}, {Owner: "obs", Role: auth.RolePublisher, Source: "myobs"}, {Owner: "bob"}} {
		s, _, err := n.Keys().Create(ctx, o)
		if err != nil {
			f.Fatal(err)
		}
		keys = append(keys, s)
	}
	const bobSub = `{"id": "b1", "criteria": {"sources": ["hst"]}, "delivery": {"email": {"to": "bob@example.org"}}}`
	req, _ := http.NewRequest("POST", hs.URL+"/api/subscriptions", strings.NewReader(bobSub))
	req.Header.Set("Authorization", "Bearer "+keys[4])
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		f.Fatalf("bob's subscription: %v %v", resp, err)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	snapshot := func(t *testing.T) (subs []string, seq uint64) {
		ids, err := n.subs.ids(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if s := n.index.Get(id); s != nil {
				subs = append(subs, s.Owner+"/"+n.public(s).ID)
			}
		}
		seq, err = n.store.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return subs, seq
	}
	seeds := []struct {
		who                         uint8
		method, path, header, value string
		token, ctype, body          string
	}{
		{0, "POST", "/api/subscriptions", "", "", "", "application/json", `{"id": "x", "match_all": true}`},
		{0, "DELETE", "/api/subscriptions/b1", "", "", "Bearer arc_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", ""},
		{0, "POST", "/api/activities", "X-API-Key", "arc_", "", "application/x-ndjson", `{"id": "myobs:1", "source": "myobs", "kind": "planned", "facility": "x"}`},
		{0, "GET", "/api/subscriptions", "Authorization", "Basic YWxpY2U6eA==", "", "", ""},
		{0, "POST", "/api/subscriptions", "Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "", "text/plain", `{"id": "y", "match_all": true}`},
		{1, "POST", "/api/subscriptions", "", "", "", "application/json", `{"id": "r", "match_all": true}`},
		{2, "DELETE", "/api/subscriptions/b1", "", "", "", "", ""},
		{2, "GET", "/api/subscriptions/b1/matches", "", "", "", "", ""},
		{2, "POST", "/api/subscriptions", "", "", "", "application/json", `{"id": "b1", "owner": "bob", "match_all": true}`},
		{2, "POST", "/api/activities", "", "", "", "application/x-ndjson", `{"id": "myobs:1", "source": "myobs", "kind": "planned", "facility": "x"}`},
		{3, "POST", "/api/activities", "", "", "", "application/x-ndjson", `{"id": "eso:1", "source": "eso", "kind": "planned", "facility": "x"}`},
		{3, "POST", "/api/subscriptions", "", "", "", "application/json", `{"id": "p", "match_all": true}`},
		{0, "GET", "/activities/events?kind=planned", "", "", "", "", ""},
		{0, "GET", "/api/unsubscribe?s=b1&t=x", "", "", "", "", ""},
		{0, "PUT", "/api/subscriptions/b1", "", "", "", "application/json", bobSub},
		{2, "GET", "/api/subscriptions/%62%31", "X-Api-Key", "", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.who, s.method, s.path, s.header, s.value, s.token, s.ctype, s.body)
	}
	f.Fuzz(func(t *testing.T, who uint8, method, path, header, value, token, ctype, body string) {
		who %= 4 // 0 nobody, 1 reader, 2 alice, 3 publisher
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		if path == "/api/unsubscribe" || strings.HasPrefix(path, "/api/unsubscribe?") {
			return // authenticated by its signed link, which the node has no secret for
		}
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, hs.URL+path, strings.NewReader(body))
		if err != nil {
			return
		}
		if header != "" {
			req.Header.Set(header, value)
		}
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		if who > 0 {
			req.Header.Set("X-API-Key", keys[who]) // takes precedence over Authorization
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		subs0, seq0 := snapshot(t)
		resp, err := client.Do(req)
		if err != nil {
			return // the client refused the request (invalid header) or the stream timed out
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %q (who %d): %d %s", method, path, who, resp.StatusCode, b)
		}
		if strings.Contains(string(b), "bob@example.org") {
			t.Fatalf("%s %q (who %d) showed bob's address: %s", method, path, who, b)
		}
		subs1, seq1 := snapshot(t)
		valid := who > 0 && (req.Header.Get("X-API-Key") == keys[who])
		switch {
		case !valid || who == 1:
			if !slices.Equal(subs0, subs1) || seq0 != seq1 {
				t.Fatalf("%s %q (who %d, %d) changed the state: %v → %v, seq %d → %d", method, path, who, resp.StatusCode, subs0, subs1, seq0, seq1)
			}
		case who == 2:
			if !slices.Contains(subs1, "bob/b1") || seq0 != seq1 {
				t.Fatalf("alice's %s %q (%d) changed bob's subscription or the activities: %v, seq %d → %d", method, path, resp.StatusCode, subs1, seq0, seq1)
			}
			for _, s := range subs1 {
				if !slices.Contains(subs0, s) && !strings.HasPrefix(s, "alice/") {
					t.Fatalf("alice's %s %q created %s", method, path, s)
				}
			}
		case who == 3:
			if !slices.Equal(subs0, subs1) {
				t.Fatalf("the publisher's %s %q changed subscriptions: %v → %v", method, path, subs0, subs1)
			}
			if seq1 != seq0 {
				es, err := n.store.Since(ctx, seq0, 100000)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range es {
					if e.Activity.Source != "myobs" {
						t.Fatalf("the publisher published %s of %s", e.Activity.ID, e.Activity.Source)
					}
				}
			}
		}
		// Alice may have created or removed her own; keep the set small.
		for _, s := range subs1 {
			if owner, id, _ := strings.Cut(s, "/"); owner == "alice" {
				n.removeSubscription(ctx, n.subKey(owner, id))
			}
		}
	})
}
