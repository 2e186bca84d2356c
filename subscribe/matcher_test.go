package subscribe

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"
)

func matchIDs(ms []Match) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.Subscription.ID
	}
	slices.Sort(ids)
	return ids
}

// matchText writes each match with its reasons (criterion, value and
// distance), sorted, so that two matchers' answers compare in full.
func matchText(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		var b strings.Builder
		b.WriteString(m.Subscription.ID)
		for _, r := range m.Reasons {
			fmt.Fprintf(&b, " %s=%s", r.Criterion, r.Text())
			if r.DistanceDeg != nil {
				fmt.Fprintf(&b, "@%.12g", *r.DistanceDeg)
			}
			if r.Footprint != "" {
				fmt.Fprintf(&b, " footprint=%s", r.Footprint)
			}
		}
		out[i] = b.String()
	}
	slices.Sort(out)
	return out
}

// TestMatcherAgreesWithBruteForce is the property test: on random
// subscriptions and activities concentrated at RA 0/360, the poles and
// cube-face edges, the indexed matcher returns exactly the brute-force set,
// also after removals and replacements.
// refiningMatcher is a Matcher that refines the cells under every
// ancestor-index list of two postings or more (instead of those of
// thousands), and splits every sky list it can from two postings (instead
// of 64; see skySplitMin), so that the tests exercise refinement and
// split lists at their small sizes.
func refiningMatcher() *Matcher {
	m := NewMatcher()
	m.refineMin, m.splitMin = 1, 2
	return m
}

func TestMatcherAgreesWithBruteForce(t *testing.T) {
	for _, refine := range []bool{false, true} {
		t.Run(fmt.Sprintf("refine=%v", refine), func(t *testing.T) { testMatcherAgreesWithBruteForce(t, refine) })
	}
}

func testMatcherAgreesWithBruteForce(t *testing.T, refine bool) {
	nSubs, nActs := 3000, 600
	if testing.Short() || raceEnabled {
		nSubs, nActs = 1000, 300
	}
	r := rand.New(rand.NewPCG(1, 2))
	m, b := NewMatcher(), NewBruteForce()
	if refine {
		m = refiningMatcher()
	}
	for i := range nSubs {
		s := randomSub(r, i)
		if err := m.Add(s); err != nil {
			t.Fatalf("add %d: %v", i, err)
		}
		if err := b.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	check := func(phase string) {
		total, bands, foot := 0, 0, 0
		for i := range nActs {
			a := randomActivity(r, i)
			want, got := matchText(b.Match(&a)), matchText(m.Match(&a))
			total += len(want)
			for _, w := range want {
				if strings.Contains(w, " band=") {
					bands++
				}
				if strings.Contains(w, " footprint=") {
					foot++
				}
			}
			if !slices.Equal(want, got) {
				t.Fatalf("%s: activity %v (pos %v %v fov %v): indexed %q, brute force %q", phase, a, a.Target.RA, a.Target.Dec, a.Target.FOVRadius, got, want)
			}
		}
		if total < nActs {
			t.Fatalf("%s: only %d matches over %d activities: the generator is too sparse to test anything", phase, total, nActs)
		}
		if bands == 0 {
			t.Fatalf("%s: no match through a band criterion: the generator does not exercise bands", phase)
		}
		if foot == 0 {
			t.Fatalf("%s: no region matched through a footprint: the generator does not exercise footprints", phase)
		}
		t.Logf("%s: %d matches over %d activities, %d through a band, %d through a footprint", phase, total, nActs, bands, foot)
	}
	check("initial")
	for i := 0; i < nSubs; i += 3 {
		id := randomSub(r, i).ID
		if m.Remove(id) != b.Remove(id) {
			t.Fatalf("remove %s disagrees", id)
		}
	}
	for i := 0; i < nSubs; i += 7 {
		s := randomSub(r, i) // replaces or re-adds ID s<i>
		_ = m.Add(s)
		_ = b.Add(s)
	}
	if m.Len() != b.Len() {
		t.Fatalf("Len: %d vs %d", m.Len(), b.Len())
	}
	check("after removals")
}

// TestPresenceFilterUnderChurn grows the matcher through several
// rebuilds of its presence filter, removes most subscriptions (which
// rebuilds it for the keys left) and adds them back, checking against
// brute force after each step: the filter must never hide a key.
func TestPresenceFilterUnderChurn(t *testing.T) {
	n := 20000
	if testing.Short() || raceEnabled {
		n = 6000
	}
	r := rand.New(rand.NewPCG(3, 4))
	m, b := NewMatcher(), NewBruteForce()
	subs := make([]*Subscription, n)
	for i := range subs {
		if i%2 == 0 {
			subs[i] = benchSub(r, i) // many distinct keys
		} else {
			subs[i] = randomSub(r, i)
		}
		if err := m.Add(subs[i]); err != nil {
			t.Fatal(err)
		}
		_ = b.Add(subs[i])
	}
	initialWords := presenceMinWords
	if len(m.filter.words) <= initialWords {
		t.Fatalf("the filter did not grow: %d words for %d keys", len(m.filter.words), m.keys)
	}
	check := func(phase string) {
		t.Helper()
		ar := rand.New(rand.NewPCG(5, 6))
		for i := range 400 {
			var a activities.Activity
			if i%2 == 0 {
				a = benchActivity(ar, i)
				// Point it at a subscription's own keys.
				if s := subs[ar.IntN(len(subs))]; len(s.Criteria.Programmes) > 0 {
					a.Programme.ID = strings.TrimSuffix(s.Criteria.Programmes[0], "*")
				}
			} else {
				a = randomActivity(ar, i)
			}
			want, got := matchText(b.Match(&a)), matchText(m.Match(&a))
			if !slices.Equal(want, got) {
				t.Fatalf("%s: activity %d: indexed %q, brute force %q", phase, i, got, want)
			}
		}
	}
	check("grown")
	keysBefore, wordsBefore := m.keys, len(m.filter.words)
	for i, s := range subs {
		if i%10 != 0 {
			m.Remove(s.ID)
			b.Remove(s.ID)
		}
	}
	if m.stale > max(1024, m.keys) || len(m.filter.words) >= wordsBefore {
		t.Errorf("after removing 90%%: %d stale keys for %d live, filter of %d words (%d before): it was not rebuilt",
			m.stale, m.keys, len(m.filter.words), wordsBefore)
	}
	if m.keys >= keysBefore {
		t.Errorf("keys %d after removals, %d before", m.keys, keysBefore)
	}
	check("after removals")
	for i, s := range subs {
		if i%10 != 0 {
			_ = m.Add(s)
			_ = b.Add(s)
		}
	}
	check("re-added")
}

// TestMatchResultsAreIndependent checks that a caller may keep and modify
// the results of one Match without affecting another match or call.
func TestMatchResultsAreIndependent(t *testing.T) {
	m := NewMatcher()
	for i, c := range []Criteria{
		{Instruments: []string{"MUSE"}, Regions: []Region{{RA: 10, Dec: 20, Radius: 1}}},
		{Instruments: []string{"MUSE"}, Regions: []Region{{RA: 10.2, Dec: 20, Radius: 1}}},
		{Regions: []Region{{RA: 10.1, Dec: 20, Radius: 1}}},
		{Facilities: []string{"VLT UT4"}},
		{Facilities: []string{"VLT UT4"}, Kinds: []activities.Kind{activities.KindStarted}},
	} {
		if err := m.Add(&Subscription{ID: fmt.Sprint("s", i), Criteria: c}); err != nil {
			t.Fatal(err)
		}
	}
	a := activities.Activity{ID: "eso:1", Source: "eso", Kind: activities.KindStarted, Facility: "VLT UT4", Instrument: "MUSE"}
	a.Target.SetPosition(10, 20)
	for _, how := range []struct {
		name  string
		match func(*activities.Activity) []Match
	}{
		{"Match", m.Match},
		{"AppendMatches", func(a *activities.Activity) []Match { return AppendMatches(nil, a, m.AppendHits(nil, a)) }},
	} {
		first := how.match(&a)
		if len(first) != 5 {
			t.Fatalf("%s: %d matches, want 5", how.name, len(first))
		}
		before := matchText(first)
		criteria := func(m Match) string {
			var b strings.Builder
			for _, r := range m.Reasons {
				b.WriteString(r.Criterion + "=" + r.Text() + ";")
			}
			return b.String()
		}
		var kept []string
		for _, f := range first {
			kept = append(kept, criteria(f))
		}
		for i := range first {
			first[i].Reasons = append(first[i].Reasons, Reason{Criterion: "x", Value: "appended"})
			for j := range first[i].Reasons {
				if d := first[i].Reasons[j].DistanceDeg; d != nil {
					*d = -1
				}
			}
		}
		a2 := a
		second := how.match(&a2)
		if got := matchText(second); !slices.Equal(got, before) {
			t.Fatalf("%s: a second call sees the first one's changes: %q, want %q", how.name, got, before)
		}
		for i := range first {
			n := len(first[i].Reasons)
			if first[i].Reasons[n-1].Value != "appended" {
				t.Fatalf("%s: match %d lost its appended reason to another match", how.name, i)
			}
			if got := criteria(Match{Reasons: first[i].Reasons[:n-1]}); got != kept[i] {
				t.Fatalf("%s: match %d's reasons became %q (were %q): another match's append wrote over them", how.name, i, got, kept[i])
			}
		}
	}
}

func TestMatchReasons(t *testing.T) {
	s, err := ParseSubscription([]byte(`{"id":"muse-ngc","criteria":{"instruments":["muse"],"targets":["ngc*"],
		"observers":["Müller"],"regions":[{"ra":40.67,"dec":-0.01,"radius":0.1}],"programmes":["0104.D-*"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher()
	if err := m.Add(s); err != nil {
		t.Fatal(err)
	}
	a := randomActivity(rand.New(rand.NewPCG(1, 1)), 1)
	a.Instrument, a.Target.Name, a.Programme.PI, a.Programme.ID = "MUSE", "NGC 1068", "Mueller, K.", "0104.D-0123(A)"
	a.Target.SetPosition(40.6696, -0.0133)
	a.Target.FOVRadius = 0.01
	ms := m.Match(&a)
	if len(ms) != 1 {
		t.Fatalf("got %d matches, want 1", len(ms))
	}
	var crit []string
	for _, r := range ms[0].Reasons {
		crit = append(crit, r.Criterion+"="+r.Text())
		if r.Criterion == "region" && (r.DistanceDeg == nil || *r.DistanceDeg > 0.01) {
			t.Errorf("region distance %v, want about 0.003°", r.DistanceDeg)
		}
	}
	got := strings.Join(crit, " ")
	want := "instrument=muse programme=0104.D-* target=ngc* observer=Müller region=cone(40.67, -0.01, 0.1)"
	if got != want {
		t.Errorf("reasons %q, want %q", got, want)
	}
	// The region's label is written when the reason is encoded, and a
	// decoded reason carries it in Value.
	enc, err := json.Marshal(ms[0].Reasons)
	if err != nil {
		t.Fatal(err)
	}
	var dec []Reason
	if err := json.Unmarshal(enc, &dec); err != nil {
		t.Fatal(err)
	}
	if n := len(dec); n != len(ms[0].Reasons) || dec[n-1].Value != "cone(40.67, -0.01, 0.1)" || dec[n-1].Text() != dec[n-1].Value ||
		dec[n-1].DistanceDeg == nil || *dec[n-1].DistanceDeg != *ms[0].Reasons[n-1].DistanceDeg {
		t.Errorf("reasons encoded as %s, decoded as %+v", enc, dec)
	}
	a.Target.SetPosition(40.9, -0.01) // 0.23° away: outside radius 0.1 + fov 0.01
	if ms := m.Match(&a); len(ms) != 0 {
		t.Errorf("matched outside the cone: %+v", ms)
	}
	a.Target.FOVRadius = 0.2 // the field of view now reaches the cone
	if ms := m.Match(&a); len(ms) != 1 {
		t.Errorf("field of view overlapping the cone did not match")
	}
}

// TestSkyBoundaryAgreesWithBruteForce places activities just inside and
// just outside cones (distance r + fov times 1 ± 10⁻⁶…0.5), with cones of
// 1″ to 10° and fields of view of 1″ to 2° near RA 0/360, the poles and a
// cube corner, and checks the indexed matcher against brute force.
func TestSkyBoundaryAgreesWithBruteForce(t *testing.T) {
	nSubs, nActs := 3000, 1500
	if testing.Short() || raceEnabled {
		nSubs, nActs = 1000, 600
	}
	r := rand.New(rand.NewPCG(5, 6))
	m, m2, b := NewMatcher(), refiningMatcher(), NewBruteForce()
	cones := make([]Region, nSubs)
	for i := range cones {
		ra, dec := randPos(r)
		cones[i] = Region{RA: ra, Dec: dec, Radius: logUniform(r, 1.0/3600, 10)}
		if i%2 == 0 { // small cones, for the ancestor index
			cones[i].Radius = logUniform(r, 1.0/3600, 0.05)
		}
		s := &Subscription{ID: fmt.Sprintf("c%d", i), Criteria: Criteria{Regions: []Region{cones[i]}}}
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
		_ = m2.Add(s)
		b.Add(s)
	}
	matched, empty := 0, 0
	for i := range nActs {
		c := cones[r.IntN(len(cones))]
		fov := 0.0
		if r.IntN(5) != 0 {
			fov = logUniform(r, 1.0/3600, 2)
		}
		f := 1 + logUniform(r, 1e-6, 0.5)
		if r.IntN(2) == 0 {
			f = 2 - f
		}
		ra, dec := offset(c.RA, c.Dec, (c.Radius+fov)*f, r.Float64()*2*math.Pi)
		a := randomActivity(r, i)
		a.Target.SetPosition(ra, dec)
		a.Target.FOVRadius = fov
		want, got, got2 := matchIDs(b.Match(&a)), matchIDs(m.Match(&a)), matchIDs(m2.Match(&a))
		if !slices.Equal(want, got) || !slices.Equal(want, got2) {
			t.Fatalf("activity at (%v, %v) fov %v: indexed %v, refining %v, brute force %v", ra, dec, fov, got, got2, want)
		}
		if len(want) == 0 {
			empty++
		}
		matched += len(want)
	}
	t.Logf("%d matches; %d of %d activities matched nothing", matched, empty, nActs)
	if empty == 0 || empty == nActs {
		t.Fatal("the generator does not straddle the boundaries")
	}
}

// TestConeMissesNeverRejectsAnOverlap checks the chord-length pre-test of
// cones against the exact angle (atan2), just inside and just outside
// radius + FOV, for radii and FOVs from 0 and 1 milliarcsecond to 180°,
// near RA 0/360 and the poles: it may keep a miss near the boundary, but
// it must never reject a cone the exact test accepts. The same holds for
// the single-precision copy of the cone kept in the sky index's postings.
// Conversely coneInside and the posting's classify must never accept a
// cone the exact test rejects.
func TestConeMissesNeverRejectsAnOverlap(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	scales := []float64{0, 1e-3 / 3600, 1.0 / 3600, 1.0 / 60, 1, 10, 45, 89.9, 90, 120, 179.9, 180}
	kept, inside, postInside := 0, 0, 0
	for i := range 200_000 {
		ra := []float64{0, 359.9999999, r.Float64() * 360}[i%3]
		dec := []float64{90, -90, 89.99999, math.Asin(2*r.Float64()-1) / deg}[i%4]
		rad, fov := scales[r.IntN(len(scales))], scales[r.IntN(len(scales))]
		reg, err := compileRegion(Region{RA: ra, Dec: dec, Radius: rad})
		if err != nil {
			t.Fatal(err)
		}
		// A point at separation (rad+fov)·(1 ± ε) in a random direction.
		sep := (rad + fov) * deg * (1 + (r.Float64()*2-1)*[]float64{0, 1e-15, 1e-12, 1e-9, 1e-6}[r.IntN(5)])
		if sep > math.Pi {
			sep = math.Pi
		}
		dir := s2.PointFromCoords(r.NormFloat64(), r.NormFloat64(), r.NormFloat64())
		axis := s2.Point{Vector: reg.center.Cross(dir.Vector).Normalize()}
		p := s2.Point{Vector: reg.center.Mul(math.Cos(sep)).Add(axis.Cross(reg.center.Vector).Mul(math.Sin(sep))).Normalize()}
		fsh, fch := math.Sincos(fov * deg / 2)
		exact := angle(p, reg.center) <= reg.radius+fov*deg
		if coneMisses(reg.center.X, reg.center.Y, reg.center.Z, reg.sh, reg.ch, p, fsh, fch) {
			if exact {
				t.Fatalf("cone (%g, %g, %g°), FOV %g°, separation %.17g rad: rejected an overlap", ra, dec, rad, fov, sep)
			}
		} else if !exact {
			kept++
		}
		if coneInside(reg.center.X, reg.center.Y, reg.center.Z, reg.sh, reg.ch, p, fsh, fch) {
			inside++
			if !exact {
				t.Fatalf("cone (%g, %g, %g°), FOV %g°, separation %.17g rad: coneInside accepted a miss", ra, dec, rad, fov, sep)
			}
		}
		post := postOf([]skyRegion{reg}, 0, 0)
		if post.misses(p, fsh, fch) && exact {
			t.Fatalf("cone (%g, %g, %g°), FOV %g°, separation %.17g rad: the single-precision posting rejected an overlap", ra, dec, rad, fov, sep)
		}
		if _, in := post.classify(p, fsh, fch); in {
			postInside++
			if !exact {
				t.Fatalf("cone (%g, %g, %g°), FOV %g°, separation %.17g rad: the single-precision posting accepted a miss", ra, dec, rad, fov, sep)
			}
		}
		if ok, _ := reg.overlaps(p, fov*deg, fsh, fch); ok != exact {
			t.Fatalf("cone (%g, %g, %g°), FOV %g°: overlaps = %v, exact %v", ra, dec, rad, fov, ok, exact)
		}
	}
	t.Logf("misses left to the exact test: %d; overlaps accepted by coneInside: %d, by the posting: %d", kept, inside, postInside)
	if inside == 0 || postInside == 0 {
		t.Fatal("coneInside accepted nothing")
	}
}

// capTestPoint draws the i-th point of the cap tests: two in three near the
// property tests' hot spots, one in three uniform on the sphere.
func capTestPoint(r *rand.Rand, i int) (ra, dec float64, ll s2.LatLng, p s2.Point) {
	ra, dec = randPos(r)
	if i%3 == 0 {
		ra, dec = r.Float64()*360, math.Asin(2*r.Float64()-1)/deg
	}
	ll = s2.LatLngFromDegrees(dec, ra)
	return ra, dec, ll, s2.PointFromLatLng(ll)
}

// capTestRadius draws an indexed level from 2 to skyMaxLevel and a radius
// from a thousandth of its cells' width to maxWidths of that width.
func capTestRadius(r *rand.Rand, maxWidths float64) (level int, rad float64) {
	level = 2 + 2*r.IntN((skyMaxLevel-2)/2+1)
	return level, s2.MinWidthMetric.Value(level) * logUniform(r, 1e-3, maxWidths)
}

// TestCapInsideIsConservative checks capInside against the exact boundary
// distance of s2: it must never accept a cap that crosses the cell's
// boundary, and should accept most that clear it by a margin.
func TestCapInsideIsConservative(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	accepted, clear := 0, 0
	for i := range 100_000 {
		ra, dec, ll, p := capTestPoint(r, i)
		level := skyMinLevel + 2*r.IntN((skyMaxLevel-skyMinLevel)/2+1)
		cell := s2.CellFromCellID(s2.CellIDFromLatLng(ll).Parent(level))
		bd := cell.BoundaryDistance(p).Angle().Radians()
		if !cell.ContainsPoint(p) {
			bd = 0
		}
		rad := bd * []float64{0.5, 0.999, 1, 1.001, 2}[r.IntN(5)]
		if rad >= math.Pi/4 || rad <= 0 {
			continue
		}
		in := capInside(cell, p, math.Sin(rad))
		if in && rad > bd {
			t.Fatalf("cell %v, point (%v, %v): accepted a cap of %g rad crossing the boundary at %g rad", cell.ID(), ra, dec, rad, bd)
		}
		if rad <= 0.5*bd {
			clear++
			if in {
				accepted++
			}
		}
	}
	if clear == 0 || accepted < clear*8/10 {
		t.Fatalf("accepted %d of %d caps clearing the boundary by half their radius: too conservative", accepted, clear)
	}
	t.Logf("accepted %d of %d caps clearing the boundary by half their radius", accepted, clear)
}

// TestCapMissesIsConservative checks capMisses against s2's exact
// Cap.IntersectsCell on the neighbours of random cells: it must never
// call a cell missed that the cap meets.
func TestCapMissesIsConservative(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	missed, apart := 0, 0
	for i := range 30_000 {
		ra, dec, ll, p := capTestPoint(r, i)
		level, rad := capTestRadius(r, 1.5)
		if rad >= math.Pi/4 {
			continue
		}
		cp := s2.CapFromCenterAngle(p, s1.Angle(rad))
		for _, n := range s2.CellIDFromLatLng(ll).Parent(level).AllNeighbors(level) {
			cell := s2.CellFromCellID(n)
			exact := cp.IntersectsCell(cell)
			if capMisses(cell, p, math.Sin(rad)) {
				if exact {
					t.Fatalf("cap of %g rad at (%v, %v): called neighbour %v missed, but it meets it", rad, ra, dec, n)
				}
				missed++
			}
			if !exact {
				apart++
			}
		}
	}
	if missed < apart/2 {
		t.Fatalf("called %d of %d missed neighbours missed: too conservative to be of use", missed, apart)
	}
	t.Logf("called %d of %d missed neighbours missed", missed, apart)
}

// TestMatchWhileAddingAndRemoving runs Match on several goroutines while
// subscriptions are added, replaced and removed (run it with -race); at
// the end the matcher agrees with brute force.
func TestMatchWhileAddingAndRemoving(t *testing.T) {
	m, b := NewMatcher(), NewBruteForce()
	r := rand.New(rand.NewPCG(21, 22))
	for i := range 2000 {
		s := randomSub(r, i)
		_ = m.Add(s)
		_ = b.Add(s)
	}
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 3 {
		go func() {
			ar := rand.New(rand.NewPCG(uint64(g), 7))
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				a := randomActivity(ar, i)
				for _, mt := range m.Match(&a) {
					if mt.Subscription == nil || len(mt.Reasons) == 0 {
						errs <- fmt.Errorf("match without subscription or reasons: %+v", mt)
						return
					}
				}
			}
		}()
	}
	for i := range 3000 {
		id := fmt.Sprint("s", r.IntN(2500))
		if i%3 == 0 {
			m.Remove(id)
			b.Remove(id)
			continue
		}
		s := randomSub(r, 0)
		s.ID = id
		_ = m.Add(s)
		_ = b.Add(s)
	}
	close(done)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ar := rand.New(rand.NewPCG(99, 99))
	for i := range 300 {
		a := randomActivity(ar, i)
		if want, got := matchText(b.Match(&a)), matchText(m.Match(&a)); !slices.Equal(want, got) {
			t.Fatalf("activity %d after concurrent changes: indexed %q, brute force %q", i, got, want)
		}
	}
}

// FuzzMatchAgreesWithBruteForce matches a fuzzed activity against a fuzzed
// subscription, filed among the property tests' random ones, with the
// indexed matcher (Match, and AppendHits with Hit.Reasons) and brute force:
// they must return the same matches and reasons, and neither may panic.
func FuzzMatchAgreesWithBruteForce(f *testing.F) {
	acts := []string{
		`{"id":"eso:1","source":"eso","kind":"started","facility":"VLT UT4","instrument":"MUSE","programme":{"id":"0104.D-0123(A)","pi":"Müller, K."},"target":{"name":"NGC 1068","ra":40.6696,"dec":-0.0133,"fov_radius":0.01},"start":"2026-11-02T03:04:05Z"}`,
		`{"id":"hst:2","source":"hst","kind":"planned","facility":"HST","instrument":"WFC3/UVIS","programme":{"id":"GO-17001","pi":"J. Smith","investigators":["van der Berg, A."]},"target":{"name":"m 31","ra":359.99999,"dec":89.9999,"fov_radius":2},"start":"2026-11-02T00:00:00Z"}`,
		`{"id":"swift:3","source":"swift","kind":"planned","facility":"Swift","instrument":"XRT","programme":{"id":"1234"},"target":{"name":"GRB","ra":0.1,"dec":0,"fov_radius":0.2},"footprints":[{"name":"XRT","polygon":[[359.5,-1],[0.5,-1],[0.5,1],[359.5,1]]}],"bandpass":{"min_wavelength_m":1.2e-10,"max_wavelength_m":4e-9},"start":"2026-11-02T00:00:00Z"}`,
		`{"id":"tess:4","source":"tess","kind":"planned","facility":"TESS","instrument":"camera","programme":{"id":"S99"},"target":{"name":"north"},"footprints":[{"polygon":[[0,80],[90,80],[180,80],[270,80]]}],"start":"2026-11-02T00:00:00Z"}`,
	}
	for i, s := range validSubs {
		f.Add([]byte(s), []byte(acts[i%len(acts)]))
	}
	f.Fuzz(func(t *testing.T, sub, act []byte) {
		s, err := ParseSubscription(sub)
		if err != nil {
			return
		}
		var a activities.Activity
		if json.Unmarshal(act, &a) != nil {
			return
		}
		m, b := NewMatcher(), NewBruteForce()
		r := rand.New(rand.NewPCG(uint64(len(sub)), uint64(len(act))))
		for i := range 50 {
			rs := randomSub(r, i)
			_ = m.Add(rs)
			_ = b.Add(rs)
		}
		if err := m.Add(s); err != nil {
			t.Fatalf("valid subscription refused: %v", err)
		}
		_ = b.Add(s)
		want := matchText(b.Match(&a))
		if got := matchText(m.Match(&a)); !slices.Equal(want, got) {
			t.Fatalf("indexed %q, brute force %q", got, want)
		}
		hs := m.AppendHits(nil, &a)
		ms := make([]Match, len(hs))
		for i, h := range hs {
			ms[i] = Match{Subscription: h.Subscription(), Reasons: h.Reasons(&a)}
		}
		if got := matchText(ms); !slices.Equal(want, got) {
			t.Fatalf("AppendHits and Hit.Reasons %q, brute force %q", got, want)
		}
		if got := matchText(AppendMatches(nil, &a, hs)); !slices.Equal(want, got) {
			t.Fatalf("AppendMatches %q, brute force %q", got, want)
		}
	})
}

// TestGroupsAreFiledUnderTheirCheapestCriterion checks the cost-based
// filing: an exact programme beats a facility, a programme prefix beats a
// kind, a wide cone with an exact programme is checked through the
// programme, and a group moves when the activities seen make its criterion
// common and another rare.
func TestGroupsAreFiledUnderTheirCheapestCriterion(t *testing.T) {
	m, b := NewMatcher(), NewBruteForce()
	add := func(id string, c Criteria) *member {
		t.Helper()
		s := &Subscription{ID: id, Criteria: c}
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
		_ = b.Add(s)
		return m.slots[m.byID[id]]
	}
	anchorIx := func(c *member) uint8 { return c.grp.anchor[0].ix }
	if c := add("exact", Criteria{Facilities: []string{"HST"}, Programmes: []string{"GO-17001"}}); anchorIx(c) != ixProgramme {
		t.Errorf("facility + exact programme filed under index %d, want the programme", anchorIx(c))
	}
	if c := add("prefix", Criteria{Kinds: []activities.Kind{activities.KindStarted}, Programmes: []string{"109.*"}}); anchorIx(c) != ixProgPrefix {
		t.Errorf("kind + programme prefix filed under index %d, want the prefix", anchorIx(c))
	}
	wide := add("wide", Criteria{Programmes: []string{"GO-17002"}, Regions: []Region{{RA: 10, Dec: 20, Radius: 30}}})
	if wide.role != roleConed {
		t.Errorf("a 30° cone with an exact programme is filed with role %d, want it checked through the programme", wide.role)
	}
	narrow := add("narrow", Criteria{Programmes: []string{"GO-17003"}, Regions: []Region{{RA: 10, Dec: 20, Radius: 0.001}}, Instruments: []string{"WFC3"}})
	_ = narrow
	// Many groups naming MUSE and a one-character programme prefix: the
	// prior makes the instrument (5%) cheaper than the prefix "1" (50%).
	var muse []*member
	for i := range 40 {
		muse = append(muse, add(fmt.Sprint("muse", i), Criteria{Instruments: []string{"MUSE"}, Programmes: []string{"1*"},
			Kinds: []activities.Kind{activities.Kinds()[i%4]}}))
	}
	if anchorIx(muse[0]) != ixInstrument {
		t.Fatalf("before any activity: filed under index %d, want the instrument", anchorIx(muse[0]))
	}
	// Every activity is MUSE, none has a programme starting with 1.
	for i := range 9000 {
		a := activities.Activity{ID: fmt.Sprint("eso:", i), Source: "eso", Kind: activities.KindStarted, Instrument: "MUSE",
			Programme: activities.Programme{ID: fmt.Sprint("GO-", i)}}
		m.Match(&a)
	}
	add("trigger", Criteria{Facilities: []string{"VLT UT4"}})
	for _, c := range muse {
		// Kind "started" is now as common as MUSE; the other kinds and the
		// prefix were never seen.
		if ix := anchorIx(c); ix == ixInstrument || (c.grp.c.kinds == 1<<activities.KindRank(activities.KindStarted) && ix != ixProgPrefix) {
			t.Fatalf("after 9,000 MUSE activities of kind started without programme 1*: group of kinds %b filed under index %d", c.grp.c.kinds, ix)
		}
	}
	acts := []activities.Activity{
		{ID: "a:1", Source: "eso", Kind: activities.KindCompleted, Instrument: "MUSE", Programme: activities.Programme{ID: "109.A-0001"}},
		{ID: "a:2", Source: "eso", Kind: activities.KindPlanned, Instrument: "MUSE", Programme: activities.Programme{ID: "1"}},
		{ID: "a:3", Source: "hst", Kind: activities.KindStarted, Facility: "HST", Instrument: "WFC3/IR", Programme: activities.Programme{ID: "GO-17001"}},
		{ID: "a:4", Source: "hst", Kind: activities.KindStarted, Instrument: "WFC3/IR", Programme: activities.Programme{ID: "GO-17002"}},
		{ID: "a:5", Source: "hst", Kind: activities.KindStarted, Instrument: "WFC3/IR", Programme: activities.Programme{ID: "GO-17003"}},
	}
	acts[3].Target.SetPosition(25, 30)
	acts[4].Target.SetPosition(10, 20)
	total := 0
	for i := range acts {
		want, got := matchText(b.Match(&acts[i])), matchText(m.Match(&acts[i]))
		if !slices.Equal(want, got) {
			t.Fatalf("activity %d: indexed %q, brute force %q", i, got, want)
		}
		total += len(want)
	}
	if total < 5 {
		t.Fatalf("only %d matches: the activities do not exercise the groups", total)
	}
}

// TestQueryCellsCoverTheCap checks that the cells queryCells returns cover
// the cap: every cell at the cap's level the cap meets (by S2's exact
// test) lies in one of them. The caps are centred where cells meet most
// (RA 0/360, the poles, cube-face edges; see capTestPoint), with radii from
// a thousandth of their level's cell width to the width itself.
func TestQueryCellsCoverTheCap(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 8))
	fewer := 0
	for i := range 30_000 {
		ra, dec, ll, p := capTestPoint(r, i)
		_, rad := capTestRadius(r, 1)
		if rad >= math.Pi/4 {
			continue
		}
		leaf := s2.CellIDFromLatLng(ll)
		got := queryCells(nil, leaf, p, rad)
		if len(got) < len(capCells(nil, leaf, p, rad)) {
			fewer++
		}
		cp := s2.CapFromCenterAngle(p, s1.Angle(rad))
		l := allowedLevel(s2.MinWidthMetric.MaxLevel(rad))
		c := leaf.Parent(l)
		for _, n := range append(c.AllNeighbors(l), c) {
			if !cp.IntersectsCell(s2.CellFromCellID(n)) {
				continue
			}
			if !slices.ContainsFunc(got, func(g s2.CellID) bool { return g.Contains(n) }) {
				t.Fatalf("cap of %g rad at (%v, %v): cells %v leave out %v, which it meets", rad, ra, dec, got, n)
			}
		}
	}
	if fewer < 1000 {
		t.Fatalf("queryCells returned fewer cells than capCells for %d caps only", fewer)
	}
	t.Logf("fewer cells than capCells for %d caps", fewer)
}

// TestWideFieldsAgreeWithBruteForce matches activities whose fields of
// view are wider than the ancestor index's coarsest cells (1° to the whole
// sky), which the matcher covers with cells it refines down to that index,
// against brute force, with and without refining long lists.
func TestWideFieldsAgreeWithBruteForce(t *testing.T) {
	for _, refine := range []bool{false, true} {
		r := rand.New(rand.NewPCG(18, 10))
		m, b := NewMatcher(), NewBruteForce()
		if refine {
			m = refiningMatcher()
		}
		for i := range 2000 {
			s := randomSub(r, i)
			if err := m.Add(s); err != nil {
				t.Fatal(err)
			}
			_ = b.Add(s)
		}
		total := 0
		for i := range 120 {
			a := randomActivity(r, i)
			ra, dec := randPos(r)
			a.Target.SetPosition(ra, dec)
			a.Target.FOVRadius = logUniform(r, 1, 180)
			a.Footprints, a.Pointing = nil, nil
			want, got := matchText(b.Match(&a)), matchText(m.Match(&a))
			if !slices.Equal(want, got) {
				t.Fatalf("refine=%v: activity %d (fov %.3g°): indexed %d matches, brute force %d", refine, i, a.Target.FOVRadius, len(got), len(want))
			}
			total += len(want)
		}
		if total < 1000 {
			t.Fatalf("refine=%v: %d matches in all: too few to test anything", refine, total)
		}
	}
}

// TestSplitListsAgreeWithBruteForce crowds cones naming facilities,
// instruments (a name and its head among them: "WFC3" and "WFC3/UVIS"),
// programmes (IDs, long and short prefixes), kinds or none around one
// position, so that their lists are split (see
// skySplitMin), and compares Match and AppendHits with brute force while
// subscriptions are added, replaced and removed; once all are removed, the
// split lists hold their headers alone.
func TestSplitListsAgreeWithBruteForce(t *testing.T) {
	facilities := []string{"VLT UT4", "HST", "Gemini North", "Swift", "JWST", "Chandra", "XMM-Newton", "Keck I", "Subaru", "ALMA"}
	instruments := []string{"WFC3", "WFC3/UVIS", "MUSE", "NIRCam", "GMOS-N", "XRT", "ACIS", "EPIC"}
	// Programme IDs and prefixes of 3 bytes or more are bucketed, shorter
	// prefixes are not.
	programmes := []string{"109.A-0123(A)", "109.*", "110.B-0001", "1*", "GO-17*", "GO-17001", "11*", "cycle 24*"}
	actProgrammes := []string{"109.A-0123(A)", "109.C-0002", "110.B-0001", "GO-17001", "GO-15000", "Cycle 24 B", ""}
	if nameBucket(instrBucket0, foldKey("WFC3")) == nameBucket(instrBucket0, foldKey("WFC3/UVIS")) {
		t.Fatal("WFC3 and WFC3/UVIS share a bucket: the test would not post a subscription in two buckets an activity scans")
	}
	kinds := activities.Kinds()
	r := rand.New(rand.NewPCG(41, 7))
	const ra0, dec0 = 150.0, 2.2
	sub := func(i int) *Subscription {
		s := &Subscription{ID: fmt.Sprintf("s%d", i)}
		c := &s.Criteria
		ra, dec := offset(ra0, dec0, logUniform(r, 1.0/3600, 0.3), r.Float64()*2*math.Pi)
		c.Regions = []Region{{RA: ra, Dec: dec, Radius: logUniform(r, 1.0/3600, 0.2)}}
		switch r.IntN(6) {
		case 4:
			c.Programmes = pick(r, programmes, 2)
		case 0:
			c.Facilities = pick(r, facilities, 2)
		case 1:
			c.Instruments = pick(r, instruments, 2)
		case 2:
			c.Kinds = []activities.Kind{kinds[r.IntN(len(kinds))]}
		case 3:
			c.Instruments = []string{"WFC3", "WFC3/UVIS"}
		}
		return s
	}
	m, b := NewMatcher(), NewBruteForce()
	m.splitMin = 16
	add := func(s *Subscription) {
		t.Helper()
		if err := m.Add(s); err != nil {
			t.Fatal(err)
		}
		if err := b.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	const n = 1500
	for i := range n {
		add(sub(i))
	}
	split := func() (lists, postings int) {
		for _, tab := range []*postTable[skyPost]{&m.cover, &m.anc} {
			tab.each(func(_ uint64, l []skyPost) {
				if isSplit(l) {
					lists++
					postings += len(l) - splitHeader
				}
			})
		}
		return lists, postings
	}
	if lists, _ := split(); lists == 0 {
		t.Fatal("no list was split")
	}
	check := func(phase string) {
		t.Helper()
		total := 0
		var hits []Hit
		for i := range 300 {
			a := randomActivity(r, i)
			ra, dec := offset(ra0, dec0, logUniform(r, 1.0/3600, 0.5), r.Float64()*2*math.Pi)
			a.Target.SetPosition(ra, dec)
			a.Target.FOVRadius = logUniform(r, 1.0/3600, 0.3)
			a.Facility = facilities[r.IntN(len(facilities))]
			a.Instrument = instruments[r.IntN(len(instruments))]
			a.Programme.ID = actProgrammes[r.IntN(len(actProgrammes))]
			a.Footprints, a.Pointing = nil, nil
			want := matchText(b.Match(&a))
			if got := matchText(m.Match(&a)); !slices.Equal(want, got) {
				t.Fatalf("%s: activity %d (%s, %s, %s, fov %.3g°): indexed %q, brute force %q", phase, i, a.Facility, a.Instrument, a.Kind, a.Target.FOVRadius, got, want)
			}
			hits = m.AppendHits(hits[:0], &a)
			if got := matchText(AppendMatches(nil, &a, hits)); !slices.Equal(want, got) {
				t.Fatalf("%s: activity %d (%s, %s, %s): hits %q, brute force %q", phase, i, a.Facility, a.Instrument, a.Kind, got, want)
			}
			total += len(want)
		}
		if total < 300 {
			t.Fatalf("%s: %d matches in all: too few to test anything", phase, total)
		}
	}
	check("built")
	for i := 0; i < n; i += 3 {
		id := fmt.Sprintf("s%d", i)
		if m.Remove(id) != b.Remove(id) {
			t.Fatalf("remove %s disagrees", id)
		}
	}
	for i := 1; i < n; i += 3 {
		s := sub(i)
		s.ID = fmt.Sprintf("s%d", i) // replaced, with other criteria
		add(s)
	}
	check("after removals and replacements")
	for i := range n {
		m.Remove(fmt.Sprintf("s%d", i))
	}
	if lists, postings := split(); postings != 0 {
		t.Fatalf("after removing every subscription, %d split lists hold %d postings", lists, postings)
	}
	if got := m.Match(&activities.Activity{Facility: "HST", Target: activities.Target{FOVRadius: 1}}); len(got) != 0 {
		t.Fatalf("%d matches after removing every subscription", len(got))
	}
}
