package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

func TestActivitiesParseEachSource(t *testing.T) {
	for _, tc := range []struct {
		source, file string
		lines        int
		summary      string
	}{
		{"gemini", "../../connectors/gemini/testdata/m101.json", 89, "250 records: 89 activities"},
		{"hst-mast", "../../connectors/hst/testdata/caom.json", 4, "19 records: 4 activities; skipped: not obs_collection HST=15"},
		{"hst-timeline", "../../connectors/hst/testdata/timeline_07_28_25", 3, "3 records: 3 activities"},
		{"swift-planned", "../../connectors/swift/testdata/planquery_2025-07-01.json", 9, "10 records: 9 activities"},
		{"swift-asflown", "../../connectors/swift/testdata/obsquery_2025-07-01_synthetic.json", 6, "6 records: 6 activities"},
	} {
		out, errs, code := runCLI(t, "activities", "parse", "--source", tc.source, tc.file)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.source, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != tc.lines || !strings.Contains(errs, tc.summary) {
			t.Errorf("%s: %d lines, stderr %q; want %d lines and %q", tc.source, len(lines), errs, tc.lines, tc.summary)
		}
		for _, l := range lines {
			var a activities.Activity
			if err := json.Unmarshal([]byte(l), &a); err != nil {
				t.Fatalf("%s: %v: %s", tc.source, err, l)
			}
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %v", tc.source, err)
			}
		}
	}
}

func TestActivitiesParseTruncatedWarns(t *testing.T) {
	_, errs, code := runCLI(t, "activities", "parse", "--source", "gemini", "../../connectors/gemini/testdata/m101.json")
	if code != 0 || !strings.Contains(errs, "truncated") {
		t.Errorf("exit %d, stderr %q: truncation not reported", code, errs)
	}
}

func TestActivitiesParseErrors(t *testing.T) {
	if _, _, code := runCLI(t, "activities", "parse", "--source", "nope", "x"); code != exitUsage {
		t.Errorf("unknown source: exit %d", code)
	}
	if _, _, code := runCLI(t, "activities", "parse", "x"); code != exitUsage {
		t.Errorf("missing --source: exit %d", code)
	}
	if _, _, code := runCLI(t, "activities", "parse", "--source", "gemini", "does-not-exist.json"); code != exitNotFound {
		t.Errorf("missing file: exit %d", code)
	}
	// a timeline given to the JSON parser: a clear error
	_, errs, code := runCLI(t, "activities", "parse", "--source", "gemini", "../../connectors/hst/testdata/timeline_07_28_25")
	if code != exitFailure || !strings.Contains(errs, "timeline_07_28_25") {
		t.Errorf("wrong format: exit %d, %q", code, errs)
	}
}

// TestActivitiesLiveNetworkFailure points every source at a closed loopback
// port: the command must fail cleanly with the network exit code.
func TestActivitiesLiveNetworkFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	for _, src := range activitySourceNames() {
		_, errs, code := runCLI(t, "activities", "live", "--once", "--source", src, "--base-url", "http://"+addr, "--timeout", "2s", "--retries", "0")
		if code != exitNetwork || !strings.Contains(errs, src) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d naming the source", src, code, errs, exitNetwork)
		}
	}
}

func TestActivitySourceTable(t *testing.T) {
	for _, name := range activitySourceNames() {
		s := activitySources[name]
		if s.Live == nil || s.Help == "" {
			t.Errorf("%s: incomplete table entry", name)
		}
		// Recorded replies of every live source can be parsed offline.
		if _, ok := connectors.LookupParser(name); !ok {
			t.Errorf("%s: no recorded format of that name in connectors/recorded", name)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("duplicate registration did not panic")
		}
	}()
	addActivitySource("gemini", activitySource{})
}

// failingSource fails every listing and counts them.
type failingSource struct{ calls *int }

func (f failingSource) Name() string { return "failing" }
func (f failingSource) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		*f.calls++
		yield(activities.Activity{}, activities.WrapError("failing", errors.New("upstream down")))
	}
}

// TestLiveBacksOffUnhealthySource polls a failing source and a healthy
// one: the failing one is reported unhealthy and polled less often, the
// healthy one goes on.
func TestLiveBacksOffUnhealthySource(t *testing.T) {
	var fails int
	ok := activities.FromSlice("ok", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	var out, errb bytes.Buffer
	err := pollLive(ctx, &out, &errb, []namedSource{{"failing", failingSource{&fails}}, {"ok", ok}},
		time.Hour, time.Hour, 10*time.Millisecond, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errb.String(), "failing: unhealthy after 3 consecutive failures") {
		t.Errorf("unhealthy source not reported: %q", errb.String())
	}
	// without backoff ~40 polls would fit in 400 ms; with it, 3 + 1 + 1 + ...
	if fails < 3 || fails > 8 {
		t.Errorf("failing source polled %d times", fails)
	}
}
