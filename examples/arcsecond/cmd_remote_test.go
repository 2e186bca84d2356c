package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/auth"
)

func TestRemote(t *testing.T) {
	ctx := context.Background()
	n, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{Auth: &arcsecond.AuthOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	hs := httptest.NewServer(n.Handler())
	defer hs.Close()
	pubKey, _, _ := n.Keys().Create(ctx, auth.KeyOptions{Owner: "obs", Role: auth.RolePublisher, Source: "myobs"})
	userKey, _, _ := n.Keys().Create(ctx, auth.KeyOptions{Owner: "alice"})
	dir := t.TempDir()
	acts := filepath.Join(dir, "acts.jsonl")
	os.WriteFile(acts, []byte(`{"id": "myobs:1", "source": "myobs", "kind": "planned", "facility": "Obs 1m", "start": "2026-11-20T00:00:00Z", "end": "2026-11-20T00:10:00Z", "revision": 1}
{"id": "myobs:2", "source": "myobs", "kind": "planned", "facility": "Obs 1m", "start": "2026-11-20T01:00:00Z", "end": "2026-11-20T01:10:00Z", "revision": 1}
`), 0o644)
	sub := filepath.Join(dir, "sub.json")
	os.WriteFile(sub, []byte(`{"id": "s1", "criteria": {"sources": ["myobs"]}}`), 0o644)
	r := func(key string, args ...string) (string, string, int) {
		return runCLI(t, append([]string{"remote", "--url", hs.URL, "--key", key}, args...)...)
	}
	if out, errs, code := r(pubKey, "publish", acts); code != 0 || !strings.Contains(out, `"received":2`) {
		t.Fatalf("publish: %d %s %s", code, out, errs)
	}
	if _, _, code := r(userKey, "publish", acts); code != exitUsage {
		t.Fatalf("publish with a user key: exit %d", code)
	}
	if out, errs, code := r("", "activities", "--source", "myobs", "--limit", "1", "--all"); code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("activities --all: %d %q %s", code, out, errs)
	}
	if out, _, code := r("", "activity", "myobs:2"); code != 0 || !strings.Contains(out, `"myobs:2"`) {
		t.Fatalf("activity: %d %s", code, out)
	}
	if _, _, code := r("", "activity", "myobs:9"); code != exitNotFound {
		t.Fatalf("missing activity: exit %d", code)
	}
	if _, _, code := r("", "subscriptions", "create", sub); code != exitUsage {
		t.Fatalf("create without a key: exit %d", code)
	}
	if out, errs, code := r(userKey, "subscriptions", "create", sub); code != 0 || !strings.Contains(out, `"owner":"alice"`) {
		t.Fatalf("create: %d %s %s", code, out, errs)
	}
	if out, _, code := r(userKey, "subscriptions", "list"); code != 0 || !strings.Contains(out, `"s1"`) {
		t.Fatalf("list: %d %s", code, out)
	}
	if _, _, code := r(userKey, "subscriptions", "matches", "s1"); code != 0 {
		t.Fatalf("matches: %d", code)
	}
	if _, _, code := r(userKey, "subscriptions", "delete", "s1"); code != 0 {
		t.Fatalf("delete: %d", code)
	}
	if _, _, code := r(userKey, "subscriptions", "get", "s1"); code != exitNotFound {
		t.Fatalf("get deleted: %d", code)
	}
	if _, _, code := r("", "sources"); code != 0 {
		t.Fatalf("sources: %d", code)
	}
	if _, _, code := runCLI(t, "remote", "--url", "http://127.0.0.1:1", "sources"); code != exitNetwork {
		t.Fatalf("unreachable node: exit %d", code)
	}
}
