package subscribe

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestGateDecidesAsTheCriteria checks a gate against the criteria it
// stands for: on random criteria over a small vocabulary (values that
// fold alike, instruments with modes, programme prefixes of more lengths
// than a query keeps), a gate that is sure answers what appendReasons
// answers, kinds aside (the group's pre checks those), while other gates
// are built and released in the same keyIDs, so that IDs are shared and
// reused.
func TestGateDecidesAsTheCriteria(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 7))
	sources := []string{"eso", "ESO", "mast", "gemini"}
	facilities := []string{"VLT", "vlt", "HST", "Gemini  North", "gemini north", "Swift"}
	instruments := []string{"MUSE", "muse", "WFC3", "WFC3/UVIS", "ACS/WFC", "ACS", "XRT"}
	programmes := []string{"109.A-0123(B)", "109.A-0124", "GO-1234", "0104.D-0001"}
	prefixes := []string{"1*", "10*", "109*", "109.*", "109.A*", "109.A-*", "109.A-0*", "109.A-01*", "109.A-012*", "GO-*", "0104.*"}
	pick := func(vs []string, max int) []string {
		var out []string
		for range r.IntN(max + 1) {
			out = append(out, vs[r.IntN(len(vs))])
		}
		return out
	}
	var k keyIDs
	k.init()
	type held struct {
		c *compiled
		g gate
	}
	var live []held
	var sure, pass, fail, unsure int
	for i := range 20000 {
		s := &Subscription{ID: fmt.Sprint("s", i)}
		cr := &s.Criteria
		cr.Sources, cr.Facilities, cr.Instruments = pick(sources, 2), pick(facilities, 2), pick(instruments, 3)
		cr.Programmes = append(pick(programmes, 2), pick(prefixes, 3)...)
		if r.IntN(4) == 0 {
			cr.Kinds = []activities.Kind{activities.Kinds()[r.IntN(len(activities.Kinds()))]}
		}
		if r.IntN(10) == 0 {
			cr.Targets = []string{"M 31"}
		}
		if len(cr.Sources)+len(cr.Facilities)+len(cr.Instruments)+len(cr.Programmes)+len(cr.Kinds)+len(cr.Targets) == 0 {
			s.MatchAll = true
		}
		c, err := compile(s)
		if err != nil {
			t.Fatalf("%+v: %v", cr, err)
		}
		live = append(live, held{c, k.gateOf(c)})
		if c.has&hasTargets != 0 && live[len(live)-1].g.ok {
			t.Fatalf("a gate decides a target criterion: %+v", cr)
		}
		for len(live) > 50 || (len(live) > 0 && r.IntN(3) == 0) {
			j := r.IntN(len(live))
			k.releaseGate(&live[j].g)
			live[j] = live[len(live)-1]
			live = live[:len(live)-1]
		}
		if len(live) == 0 {
			continue
		}
		h := live[r.IntN(len(live))]
		a := activities.Activity{
			Source:     "",
			Kind:       activities.Kinds()[r.IntN(len(activities.Kinds()))],
			Facility:   facilities[r.IntN(len(facilities))],
			Instrument: instruments[r.IntN(len(instruments))],
			Start:      time.Unix(1.7e9, 0),
		}
		if r.IntN(4) > 0 {
			a.Source = sources[r.IntN(len(sources))]
		}
		if r.IntN(5) > 0 {
			a.Programme.ID = programmes[r.IntN(len(programmes))]
		}
		q := newQuery(&a)
		var gq gateQuery
		gq.reset(&k, q)
		var res results
		want := h.c.appendReasons(q, &res)
		kindOK := h.c.kinds == 0 || (q.kind >= 0 && h.c.kinds&(1<<q.kind) != 0)
		got, ok := h.g.passes(&gq)
		if !ok {
			unsure++
			continue
		}
		sure++
		if kindOK && got != want {
			t.Fatalf("criteria %+v, activity %s %s %s %s %q: gate %v, criteria %v", h.c.sub.Criteria, a.Source, a.Facility, a.Instrument, a.Kind, a.Programme.ID, got, want)
		}
		if got {
			pass++
		} else {
			fail++
		}
	}
	t.Logf("sure %d (pass %d, fail %d), unsure %d", sure, pass, fail, unsure)
	if pass < 100 || fail < 100 || unsure < 10 {
		t.Fatalf("the test does not exercise the gate: %d passes, %d failures, %d unsure", pass, fail, unsure)
	}
	for _, h := range live {
		k.releaseGate(&h.g)
	}
	for kind, ids := range k.ids {
		if len(ids) != 0 {
			t.Errorf("criterion %d: %d values left after every gate was released", kind, len(ids))
		}
	}
	if len(k.plens) != 0 || len(k.lens) != 0 {
		t.Errorf("prefix lengths left: %v", k.plens)
	}
}
