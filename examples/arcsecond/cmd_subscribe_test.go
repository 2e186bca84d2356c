package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testSubs = `{"id":"muse","criteria":{"instruments":["MUSE"]}}
{"id":"ngc1068-cone","criteria":{"regions":[{"ra":40.67,"dec":-0.01,"radius":0.05}]}}

{"id":"mueller","criteria":{"observers":["Müller"],"kinds":["completed"]}}
`

const testActs = `{"id":"eso:1","source":"eso","kind":"started","facility":"VLT UT4","instrument":"MUSE","programme":{"id":"0104.D-0123(A)","pi":"Mueller, K."},"target":{"name":"NGC 1068","ra":40.6696,"dec":-0.0133,"fov_radius":0.01},"start":"2026-11-01T00:00:00Z","end":null,"exposure_s":null,"links":[],"revision":1}
{"id":"hst:2","source":"hst","kind":"completed","facility":"HST","instrument":"WFC3/UVIS","programme":{"id":"17001","pi":"Muller, A."},"target":{"name":"M 31","ra":10.68,"dec":41.27},"start":"2026-11-01T00:00:00Z","end":null,"exposure_s":null,"links":[],"revision":1}
`

func writeTemp(t *testing.T, name, s string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSubscribeMatch(t *testing.T) {
	subs, acts := writeTemp(t, "subs.jsonl", testSubs), writeTemp(t, "acts.jsonl", testActs)
	out, errOut, code := runCLI(t, "subscribe", "match", "--subscriptions", subs, "--activities", acts, "--stats")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m struct {
			Activity, Subscription string
			Reasons                []struct{ Criterion, Value string }
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if len(m.Reasons) == 0 {
			t.Errorf("no reasons in %s", line)
		}
		got = append(got, m.Activity+" "+m.Subscription)
	}
	want := "eso:1 muse|eso:1 ngc1068-cone|hst:2 mueller"
	if strings.Join(got, "|") != want {
		t.Errorf("matches %q, want %q", strings.Join(got, "|"), want)
	}
	if !strings.Contains(errOut, "index build on one core:") || !strings.Contains(errOut, "p50") || !strings.Contains(errOut, "p99") {
		t.Errorf("--stats output: %q", errOut)
	}
}

func TestSubscribeMatchErrors(t *testing.T) {
	acts := writeTemp(t, "acts.jsonl", testActs)
	for _, c := range []struct {
		subs string
		code int
		want string
	}{
		{`{"id":"a","criteria":{"regions":[{"ra":1,"dec":100,"radius":1}]}}`, exitFailure, "subs.jsonl:1: subscription \"a\": criteria.regions[0].dec: 100 is outside [-90, 90]"},
		{"{\"id\":\"a\",\"criteria\":{\"sources\":[\"eso\"]}}\n{\"id\":\"a\",\"criteria\":{\"sources\":[\"hst\"]}}", exitFailure, "subs.jsonl:2: subscription \"a\" already defined on line 1"},
		{`not json`, exitFailure, "subs.jsonl:1: subscription: invalid character"},
	} {
		_, errOut, code := runCLI(t, "subscribe", "match", "--subscriptions", writeTemp(t, "subs.jsonl", c.subs), "--activities", acts)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d %q, want %d and %q", c.subs, code, errOut, c.code, c.want)
		}
	}
	if _, _, code := runCLI(t, "subscribe", "match", "--subscriptions", "/nonexistent/s.jsonl", "--activities", acts); code != exitNotFound {
		t.Errorf("missing file: exit %d, want %d", code, exitNotFound)
	}
	if _, _, code := runCLI(t, "subscribe", "match", "--activities", acts); code != exitUsage {
		t.Errorf("missing flag: exit %d, want %d", code, exitUsage)
	}
	bad := writeTemp(t, "bad.jsonl", `{"id":"x:1","source":"eso","kind":"started","facility":"F"}`)
	_, errOut, code := runCLI(t, "subscribe", "match", "--subscriptions", writeTemp(t, "subs.jsonl", testSubs), "--activities", bad)
	if code != exitFailure || !strings.Contains(errOut, "bad.jsonl:1: activity \"x:1\"") {
		t.Errorf("invalid activity: exit %d %q", code, errOut)
	}
}
