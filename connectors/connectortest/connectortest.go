// Package connectortest is the conformance suite every activity source must
// pass: the project's connectors and a user's own.
//
// A connector's test builds a [Harness] that opens the source over recorded
// data, and calls [Run]:
//
//	func TestConformance(t *testing.T) {
//		connectortest.Run(t, connectortest.Harness{
//			New:        func(t *testing.T) activities.Source { return newReplayed(t) },
//			NewStalled: func(t *testing.T) activities.Source { return newWithTransport(connectortest.StallTransport()) },
//			NewFailing: func(t *testing.T) activities.Source { return newWithTransport(connectortest.FailTransport(nil)) },
//			Window:     activities.Window{Start: from, End: to},
//		})
//	}
//
// The suite checks that:
//   - every activity validates and its JSON encoding validates against the
//     published schema, and carries the source's name as Source and ID prefix;
//   - two polls of the same data give the same IDs and revisions;
//   - a cancelled context stops the listing within 100 ms and the error
//     reports the cancellation;
//   - errors are wrapped with the source's name, and classify under one of
//     the shared kinds of package connectors (errors.Is with
//     connectors.ErrUnavailable, ErrAuthRequired, ...), or are the
//     cancellation;
//   - two listings of one source running at once list the same activities
//     and count the same [connectors.Stats] as one listing alone;
//   - no goroutine is left behind once a listing returns.
//
// [Benchmark] is a small benchmark runner over the same harness.
//
// [Check] runs the same checks and returns the failures instead of
// reporting them, which is how the suite's own tests show that it catches
// each broken invariant.
package connectortest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/arcsecond-go/arcsecond/activities"
)

// CancelDeadline is how long a source may take to stop after its context is
// cancelled.
const CancelDeadline = 100 * time.Millisecond

// Harness tells the suite how to open the source under test.
type Harness struct {
	// New opens the source over recorded data (replayed HTTP, files). It is
	// called several times; every source it returns must list the same data.
	New func(t *testing.T) activities.Source
	// NewStalled, optional, opens the source against an upstream that never
	// answers (see [StallTransport]). The suite cancels the listing and
	// checks it returns within CancelDeadline.
	NewStalled func(t *testing.T) activities.Source
	// NewFailing, optional, opens the source against an upstream that fails
	// (see [FailTransport]). The suite checks the listing reports an error
	// that names the source.
	NewFailing func(t *testing.T) activities.Source
	// Window is the window listed; it must hold the recorded data.
	Window activities.Window
	// MinActivities is the fewest activities the recorded data must give
	// (default 1), so that a source that lists nothing cannot pass.
	MinActivities int
	// NewOn, optional, opens the source with rt as its transport, no
	// retries and no rate limit. The suite then serves it the failures
	// every service shows (401, 503, a refused connection, an HTML page, a
	// garbled body) and checks each error classifies under the shared kind
	// it must.
	NewOn func(t *testing.T, rt http.RoundTripper) activities.Source
}

// Failure is one broken invariant found by [Check].
type Failure struct {
	// Check names the invariant: "validate", "schema", "stable-ids",
	// "cancel", "error-wrap", "error-kind", "concurrent", "goroutines",
	// "count" or "name".
	Check  string
	Detail string
}

func (f Failure) String() string { return f.Check + ": " + f.Detail }

// Run runs the suite as subtests of t and reports each failure.
func Run(t *testing.T, h Harness) {
	t.Helper()
	for _, c := range checks(h) {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range c.run(t, h) {
				t.Errorf("%s", f)
			}
		})
	}
}

// Check runs every check and returns the failures found, in order.
func Check(t *testing.T, h Harness) []Failure {
	t.Helper()
	var out []Failure
	for _, c := range checks(h) {
		out = append(out, c.run(t, h)...)
	}
	return out
}

type check struct {
	name string
	run  func(t *testing.T, h Harness) []Failure
}

func checks(h Harness) []check {
	cs := []check{
		{"Output", checkOutput},
		{"StableIDs", checkStable},
		{"CancelMidStream", checkCancelMidStream},
		{"ConcurrentListings", checkConcurrent},
	}
	if h.NewStalled != nil {
		cs = append(cs, check{"CancelStalled", checkCancelStalled})
	}
	if h.NewFailing != nil {
		cs = append(cs, check{"ErrorsNameSource", checkFailing})
	}
	if h.NewOn != nil {
		cs = append(cs, check{"ErrorsClassify", checkKinds})
	}
	return cs
}

var (
	schemaOnce sync.Once
	schemaVal  *jsonschema.Schema
	schemaErr  error
)

func compiledSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(activities.Schema()))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		const url = "activity.schema.json"
		if err := c.AddResource(url, doc); err != nil {
			schemaErr = err
			return
		}
		schemaVal, schemaErr = c.Compile(url)
	})
	return schemaVal, schemaErr
}

// ValidateJSON checks one activity's JSON encoding against the published
// schema.
func ValidateJSON(b []byte) error {
	s, err := compiledSchema()
	if err != nil {
		return fmt.Errorf("compiling activity schema: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// list drains one listing with a generous deadline, watching goroutines.
func list(t *testing.T, src activities.Source, w activities.Window) ([]activities.Activity, []Failure, error) {
	t.Helper()
	before := goroutines()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	acts, err := activities.Collect(src.Activities(ctx, w))
	cancel()
	return acts, leaked(before), err
}

func checkOutput(t *testing.T, h Harness) []Failure {
	src := h.New(t)
	name := src.Name()
	acts, fs, err := list(t, src, h.Window)
	if name == "" {
		fs = append(fs, Failure{"name", "Name() is empty"})
	}
	if err != nil {
		fs = append(fs, Failure{"validate", fmt.Sprintf("listing recorded data failed: %v", err)})
	}
	min := h.MinActivities
	if min <= 0 {
		min = 1
	}
	if len(acts) < min {
		fs = append(fs, Failure{"count", fmt.Sprintf("listed %d activities, want at least %d", len(acts), min)})
	}
	ids := map[string]bool{}
	for i, a := range acts {
		where := fmt.Sprintf("activity %d (%s)", i, a.ID)
		if err := a.Validate(); err != nil {
			fs = append(fs, Failure{"validate", fmt.Sprintf("%s: %v", where, err)})
		}
		if a.Source != name {
			fs = append(fs, Failure{"validate", fmt.Sprintf("%s: source %q, want the source's name %q", where, a.Source, name)})
		}
		if ids[a.ID] {
			fs = append(fs, Failure{"stable-ids", fmt.Sprintf("%s: ID listed twice in one poll", where)})
		}
		ids[a.ID] = true
		b, err := json.Marshal(a)
		if err != nil {
			fs = append(fs, Failure{"schema", fmt.Sprintf("%s: encoding: %v", where, err)})
			continue
		}
		if err := ValidateJSON(b); err != nil {
			fs = append(fs, Failure{"schema", fmt.Sprintf("%s: %v", where, err)})
		}
		var back activities.Activity
		if err := json.Unmarshal(b, &back); err != nil {
			fs = append(fs, Failure{"schema", fmt.Sprintf("%s: decoding own encoding: %v", where, err)})
		}
		if len(fs) > 20 {
			fs = append(fs, Failure{"validate", "too many failures; stopping"})
			break
		}
	}
	return fs
}

func checkStable(t *testing.T, h Harness) []Failure {
	first, fs, err1 := list(t, h.New(t), h.Window)
	second, fs2, err2 := list(t, h.New(t), h.Window)
	fs = append(fs, fs2...)
	if err1 != nil || err2 != nil {
		return append(fs, Failure{"stable-ids", fmt.Sprintf("listing failed: %v / %v", err1, err2)})
	}
	rev := map[string]int64{}
	for _, a := range first {
		rev[a.ID] = a.Revision
	}
	if len(first) != len(second) {
		fs = append(fs, Failure{"stable-ids", fmt.Sprintf("two polls of the same data listed %d and %d activities", len(first), len(second))})
	}
	missing := 0
	for _, a := range second {
		r, ok := rev[a.ID]
		switch {
		case !ok:
			missing++
			if missing <= 3 {
				fs = append(fs, Failure{"stable-ids", fmt.Sprintf("ID %q of the second poll was not in the first", a.ID)})
			}
		case r != a.Revision:
			fs = append(fs, Failure{"stable-ids", fmt.Sprintf("ID %q has revision %d then %d for the same data", a.ID, r, a.Revision)})
		}
	}
	if missing > 3 {
		fs = append(fs, Failure{"stable-ids", fmt.Sprintf("%d IDs of the second poll were not in the first", missing)})
	}
	return fs
}

// checkCancelMidStream cancels the context after the first activity and
// checks the listing ends promptly, yielding nothing further but the
// cancellation error.
func checkCancelMidStream(t *testing.T, h Harness) []Failure {
	before := goroutines()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var fs []Failure
	var cancelledAt time.Time
	after := 0
	sawCancelErr := false
	done := make(chan struct{})
	src := h.New(t)
	go func() {
		defer close(done)
		for a, err := range src.Activities(ctx, h.Window) {
			if cancelledAt.IsZero() {
				if err != nil {
					return
				}
				_ = a
				cancelledAt = time.Now()
				cancel()
				continue
			}
			if err != nil {
				sawCancelErr = errors.Is(err, context.Canceled)
				if !sawCancelErr {
					fs = append(fs, Failure{"cancel", fmt.Sprintf("after cancellation the error %q does not wrap context.Canceled", err)})
				}
				return
			}
			after++
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		return append(fs, Failure{"cancel", "listing did not return within 10 s of cancellation"})
	}
	if cancelledAt.IsZero() {
		return fs // nothing listed; checkOutput reports it
	}
	if d := time.Since(cancelledAt); d > CancelDeadline {
		fs = append(fs, Failure{"cancel", fmt.Sprintf("listing took %v to stop after cancellation (limit %v)", d.Round(time.Millisecond), CancelDeadline)})
	}
	// A source may have had a few records decoded already; more than a
	// page's worth after cancellation means it ignored the context.
	if after > 1000 {
		fs = append(fs, Failure{"cancel", fmt.Sprintf("%d activities yielded after cancellation", after)})
	}
	return append(fs, leaked(before)...)
}

func checkCancelStalled(t *testing.T, h Harness) []Failure {
	before := goroutines()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var fs []Failure
	var gotErr error
	done := make(chan struct{})
	src := h.NewStalled(t)
	go func() {
		defer close(done)
		for _, err := range src.Activities(ctx, h.Window) {
			if err != nil {
				gotErr = err
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		return append(fs, Failure{"cancel", "stalled listing did not return within 10 s of cancellation"})
	}
	if d := time.Since(start); d > CancelDeadline {
		fs = append(fs, Failure{"cancel", fmt.Sprintf("stalled listing took %v to stop after cancellation (limit %v)", d.Round(time.Millisecond), CancelDeadline)})
	}
	switch {
	case gotErr == nil:
		fs = append(fs, Failure{"cancel", "stalled listing ended without reporting the cancellation"})
	case !errors.Is(gotErr, context.Canceled):
		fs = append(fs, Failure{"cancel", fmt.Sprintf("error %q does not wrap context.Canceled", gotErr)})
	}
	if gotErr != nil {
		fs = append(fs, nameCheck(src.Name(), gotErr)...)
		if !errors.Is(gotErr, context.Canceled) {
			fs = append(fs, kindCheck(gotErr)...)
		}
	}
	return append(fs, leaked(before)...)
}

func checkFailing(t *testing.T, h Harness) []Failure {
	src := h.NewFailing(t)
	_, fs, err := list(t, src, h.Window)
	if err == nil {
		return append(fs, Failure{"error-wrap", "listing against a failing upstream reported no error"})
	}
	fs = append(fs, nameCheck(src.Name(), err)...)
	return append(fs, kindCheck(err)...)
}

func nameCheck(name string, err error) []Failure {
	var se *activities.SourceError
	if !errors.As(err, &se) || se.Source != name {
		return []Failure{{"error-wrap", fmt.Sprintf("error %q is not an *activities.SourceError naming %q", err, name)}}
	}
	if !strings.Contains(err.Error(), name) {
		return []Failure{{"error-wrap", fmt.Sprintf("error %q does not name the source %q", err, name)}}
	}
	return nil
}

// goroutines returns the stacks of the running goroutines, keyed by the
// function each was started with.
func goroutines() map[string]int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]int{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		out[creator(g)]++
	}
	return out
}

// creator names a goroutine by the last line pair of its stack ("created by
// ..."), or its top function for the main goroutines.
func creator(stack string) string {
	lines := strings.Split(strings.TrimSpace(stack), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "created by ") {
			c := strings.TrimSpace(lines[i])
			if j := strings.Index(c, " in goroutine "); j >= 0 {
				c = c[:j]
			}
			return c
		}
	}
	if len(lines) > 1 {
		return strings.TrimSpace(lines[1])
	}
	return stack
}

// ignoredCreators are goroutines the runtime, the testing package and the
// HTTP client's idle-connection pool start and end on their own schedule.
var ignoredCreators = []string{
	"created by testing.", "created by runtime.", "created by os/signal.",
	"created by net/http.(*Transport).dialConn", "created by net/http.(*persistConn)",
	"created by internal/poll", "created by net/http.(*http2Transport)",
	"created by golang.org/x/net/http2", "created by time.goFunc",
	"created by net/http/httptest.(*Server)", "created by net/http.(*Server)",
	"created by net/http.(*conn)",
}

// leaked waits up to a second for goroutines started since before to end
// and reports those that remain.
func leaked(before map[string]int) []Failure {
	var extra []string
	for deadline := time.Now().Add(time.Second); ; {
		extra = extra[:0]
		for k, n := range goroutines() {
			if n <= before[k] || ignored(k) {
				continue
			}
			extra = append(extra, fmt.Sprintf("%d × %s", n-before[k], k))
		}
		if len(extra) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(extra) == 0 {
		return nil
	}
	return []Failure{{"goroutines", "left running after the listing returned: " + strings.Join(extra, "; ")}}
}

func ignored(creator string) bool {
	for _, p := range ignoredCreators {
		if strings.HasPrefix(creator, p) {
			return true
		}
	}
	return false
}
