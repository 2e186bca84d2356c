package connectortest_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
)

// fake is a configurable in-memory source; each flag breaks one invariant.
type fake struct {
	name          string
	n             int
	badDec        bool // emits an impossible declination
	randomIDs     bool // IDs change between polls
	ignoreCancel  bool // keeps yielding slowly after cancellation
	stall         bool // upstream never answers
	stallNoCtx    bool // a stalled upstream that ignores the context
	fail          bool // upstream fails
	bareErrors    bool // errors not wrapped with the source name
	leak          chan struct{}
	wrongSource   bool
	unstableRevs  bool
	swallowCancel bool // stops on cancellation but reports no error
	unclassified  bool // errors match none of the shared kinds
	sharedCounts  bool // counts kept per source, not per listing

	shared *sharedCounts
}

type sharedCounts struct {
	mu sync.Mutex
	m  map[string]int
}

func (f *fake) Name() string { return f.name }

func (f *fake) wrap(err error) error {
	if f.bareErrors {
		return err
	}
	return activities.WrapError(f.name, err)
}

func (f *fake) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		if f.leak != nil {
			go func() { <-f.leak }()
		}
		switch {
		case f.stallNoCtx:
			time.Sleep(300 * time.Millisecond)
			yield(activities.Activity{}, f.wrap(context.Canceled))
			return
		case f.stall:
			<-ctx.Done()
			if !f.swallowCancel {
				yield(activities.Activity{}, f.wrap(ctx.Err()))
			}
			return
		case f.fail:
			err := errors.New("connection refused")
			if !f.unclassified {
				err = connectors.WithKind(err, connectors.ErrUnavailable)
			}
			yield(activities.Activity{}, f.wrap(err))
			return
		}
		st := connectors.StatsFrom(ctx)
		if f.sharedCounts {
			f.shared.mu.Lock()
			f.shared.m = map[string]int{} // reset at each listing, as per-source counters did
			f.shared.mu.Unlock()
			defer func() {
				f.shared.mu.Lock()
				for k, v := range f.shared.m {
					st.Add(k, v)
				}
				f.shared.mu.Unlock()
			}()
		}
		salt := ""
		if f.randomIDs {
			salt = fmt.Sprint(rand.Int())
		}
		for i := range f.n {
			if err := ctx.Err(); err != nil && !f.ignoreCancel {
				yield(activities.Activity{}, f.wrap(err))
				return
			}
			if f.ignoreCancel && ctx.Err() != nil {
				time.Sleep(20 * time.Millisecond)
			}
			a := activities.Activity{
				ID: activities.NewID(f.name, fmt.Sprintf("k%d%s", i, salt)), Source: f.name,
				Kind: activities.KindCompleted, Facility: "VLT UT4", Instrument: "MUSE",
				Start: w.Start.Add(time.Duration(i) * time.Minute), Revision: 1,
			}
			if f.wrongSource {
				a.Source = "someone-else"
			}
			if f.unstableRevs {
				a.Revision = rand.Int64N(1000)
			}
			a.Target.Name = "NGC 1068"
			dec := -0.013
			if f.badDec && i == 3 {
				dec = 100
			}
			a.Target.RA, a.Target.Dec = activities.Float(40.67), &dec
			st.AddRecords(1)
			if i%3 == 0 {
				if f.sharedCounts {
					f.shared.mu.Lock()
					f.shared.m["skipped: every third"]++
					f.shared.mu.Unlock()
					time.Sleep(time.Millisecond)
				} else {
					st.Skip("every third", 1)
				}
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}

var window = activities.Window{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}

func harness(f *fake) connectortest.Harness {
	return connectortest.Harness{
		New: func(t *testing.T) activities.Source { return f.clone() },
		NewStalled: func(t *testing.T) activities.Source {
			g := f.clone()
			g.stall = true
			return g
		},
		NewFailing: func(t *testing.T) activities.Source { g := f.clone(); g.fail = true; return g },
		Window:     window,
	}
}

// clone copies the fake's configuration (not its lock or counters).
func (f *fake) clone() *fake {
	return &fake{name: f.name, n: f.n, badDec: f.badDec, randomIDs: f.randomIDs, ignoreCancel: f.ignoreCancel,
		stall: f.stall, stallNoCtx: f.stallNoCtx, fail: f.fail, bareErrors: f.bareErrors, leak: f.leak,
		wrongSource: f.wrongSource, unstableRevs: f.unstableRevs, swallowCancel: f.swallowCancel,
		unclassified: f.unclassified, sharedCounts: f.sharedCounts, shared: &sharedCounts{}}
}

func TestGoodSourcePasses(t *testing.T) {
	connectortest.Run(t, harness(&fake{name: "good", n: 50}))
}

func BenchmarkGoodSource(b *testing.B) {
	connectortest.Benchmark(b, &fake{name: "good", n: 50}, window)
}

func TestSuiteCatchesEachBrokenInvariant(t *testing.T) {
	leak := make(chan struct{})
	t.Cleanup(func() { close(leak) })
	cases := []struct {
		name  string
		f     fake
		check string
		want  string
		h     func(connectortest.Harness) connectortest.Harness
	}{
		{name: "impossible dec", f: fake{badDec: true}, check: "validate", want: "target.dec"},
		{name: "schema", f: fake{badDec: true}, check: "schema", want: "dec"},
		{name: "wrong source", f: fake{wrongSource: true}, check: "validate", want: "someone-else"},
		{name: "unstable IDs", f: fake{randomIDs: true}, check: "stable-ids", want: "not in the first"},
		{name: "unstable revisions", f: fake{unstableRevs: true}, check: "stable-ids", want: "revision"},
		{name: "ignores cancellation mid-stream", f: fake{ignoreCancel: true}, check: "cancel", want: "to stop after cancellation"},
		{name: "stalled upstream ignores context", f: fake{}, check: "cancel", want: "stalled listing took",
			h: func(h connectortest.Harness) connectortest.Harness {
				h.NewStalled = func(t *testing.T) activities.Source { return &fake{name: "broken", stallNoCtx: true} }
				return h
			}},
		{name: "cancellation not reported", f: fake{swallowCancel: true}, check: "cancel", want: "without reporting"},
		{name: "bare errors", f: fake{bareErrors: true}, check: "error-wrap", want: "not an *activities.SourceError"},
		{name: "leaks goroutines", f: fake{leak: leak}, check: "goroutines", want: "left running"},
		{name: "lists nothing", f: fake{n: -1}, check: "count", want: "want at least 1"},
		{name: "unclassified errors", f: fake{unclassified: true}, check: "error-kind", want: "none of the shared kinds"},
		{name: "counts per source", f: fake{sharedCounts: true}, check: "concurrent", want: "counted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.name = "broken"
			if f.n == 0 {
				f.n = 30
			}
			h := harness(&f)
			if tc.h != nil {
				h = tc.h(h)
			}
			failures := connectortest.Check(t, h)
			for _, fl := range failures {
				if fl.Check == tc.check && strings.Contains(fl.Detail, tc.want) {
					return
				}
			}
			t.Fatalf("suite did not report a %q failure containing %q; it reported %v", tc.check, tc.want, failures)
		})
	}
}

func TestValidateJSONRejectsBadDocuments(t *testing.T) {
	good := `{"id":"x:1","source":"x","kind":"planned","facility":"HST","target":{"name":"","ra":null,"dec":null},"start":null,"end":null,"revision":0}`
	if err := connectortest.ValidateJSON([]byte(good)); err != nil {
		t.Fatalf("good document rejected: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(good, `"planned"`, `"imagined"`, 1),
		strings.Replace(good, `"ra":null`, `"ra":400`, 1),
		strings.Replace(good, `"facility":"HST",`, ``, 1),
	} {
		if err := connectortest.ValidateJSON([]byte(bad)); err == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}
