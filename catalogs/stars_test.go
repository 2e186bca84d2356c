package catalogs

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/astro"
)

func mustStandards(t testing.TB) *StarCatalog {
	t.Helper()
	c, err := Standards()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEmbeddedStandards(t *testing.T) {
	c := mustStandards(t)
	if c.Len() != 22972 {
		t.Errorf("%d stars, want 22972", c.Len())
	}
	specs, err := Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 17 || len(c.Catalogues()) != 17 {
		t.Errorf("%d specs, %d catalogues with stars; want 17", len(specs), len(c.Catalogues()))
	}
	perCat := map[string]int{}
	for _, s := range c.All() {
		perCat[s.Catalogue]++
		for _, m := range s.Magnitudes {
			if m.Value < -8 || m.Value > 25 { // Betelgeuse (HR 2061) has N = -5.13
				t.Errorf("%s %s: magnitude %+v out of any plausible range", s.Catalogue, s.Name, m)
			}
		}
	}
	want := map[string]int{"Landolt_1992": 526, "Perryman_etal_1997": 20827, "Casali_1992": 30, "Cohen_etal_1999": 425}
	for k, n := range want {
		if perCat[k] != n {
			t.Errorf("%s: %d stars, want %d", k, perCat[k], n)
		}
	}
}

// TestLandoltNearPosition pins Landolt standards near T Phe
// (00 30 09.5 -46 31 29, J2000, Landolt 1992 table as published).
func TestLandoltNearPosition(t *testing.T) {
	c := mustStandards(t)
	ra, dec := (0+30.0/60+9.5/3600)*15, -(46 + 31.0/60 + 29.0/3600)
	got, err := c.Nearest(ra, dec, 3, Filter{Catalogues: []string{"Landolt_1992"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Name != "T Phe A" || got[0].Separation > 1e-9 {
		t.Fatalf("nearest: %+v", got)
	}
	if m, ok := got[0].Mag("V"); !ok || m.Value != 14.651 || m.System != "Johnson-Kron-Cousins" {
		t.Errorf("T Phe A V = %+v", m)
	}
	if m, _ := got[0].Mag("I"); m.Value != 13.811 {
		t.Errorf("T Phe A I = %+v", m)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Separation < got[i-1].Separation || got[i].Separation > 0.2 || got[i].Catalogue != "Landolt_1992" {
			t.Errorf("match %d: %s %.4f deg %s", i, got[i].Name, got[i].Separation, got[i].Catalogue)
		}
	}
	cone, err := c.Cone(ra, dec, 0.25, Filter{Catalogues: []string{"landolt_1992"}, Band: "V", MinMag: 10, MaxMag: 15})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range cone {
		names = append(names, m.Name)
	}
	// T Phe B (V=12.334) is 3.7' away; T Phe D (V=13.118) too.
	for _, n := range []string{"T Phe A", "T Phe B", "T Phe D"} {
		if !slices.Contains(names, n) {
			t.Errorf("cone misses %s: %v", n, names)
		}
	}
}

func TestLookupOddSpellings(t *testing.T) {
	c := mustStandards(t)
	cases := map[string]string{
		"t phe a":      "T Phe A",
		"TPHE-A":       "T Phe A",
		"  T  PHE  A ": "T Phe A",
		"xi2 cet":      "HR718",       // Hamuy, alias Xi2 Cet
		"Xi² Cet":      "xi² Cet",     // Stone 1996 spells it with a superscript
		"feige110":     "Feige 110",   //
		"HIP 77":       "HIP 77",      // Perryman
		"Hipparcos 77": "HIP 77",      //
		"hip77":        "HIP 77",      //
		"Alpha Tau":    "HR 1457",     // Tokunaga spells it "Alph Tau"
		"g158-100":     "FS 1",        // Casali alias
		"BD+28° 4211":  "BD+28 4211",  // degree sign dropped
		"Bet Cas":      "bet Cas",     // Turnshek "* bet Cas"
		"beta cas":     "bet Cas",     //
		"PG0205+134":   "PG 0205+134", //
	}
	for q, want := range cases {
		got := c.Lookup(q)
		found := false
		var names []string
		for _, s := range got {
			names = append(names, s.Catalogue+":"+s.Name)
			if s.Name == want {
				found = true
			}
		}
		if !found {
			t.Errorf("Lookup(%q) = %v, want a star named %q", q, names, want)
		}
	}
	if got := c.Lookup("no such star 12345"); len(got) != 0 {
		t.Errorf("unknown name found %d stars", len(got))
	}
	for _, pair := range [][2]string{{"M 31", "m31"}, {"Messier 31", "M31"}, {"Cerro Pachón", "cerro pachon"}, {"wfc3_uvis", "WFC3/UVIS"}} {
		if NormalizeName(pair[0]) != NormalizeName(pair[1]) {
			t.Errorf("NormalizeName(%q)=%q != NormalizeName(%q)=%q", pair[0], NormalizeName(pair[0]), pair[1], NormalizeName(pair[1]))
		}
	}
}

// TestB1950Precessed checks a B1950 catalogue star (Casali 1992 FS 1,
// published 00 31 22.7 -12 24 29 B1950) against FK4->FK5 values computed
// with astropy 5.2.1 (FK4(equinox=B1950, obstime=B1950) -> FK5(J2000)),
// and the conversion itself at several positions including near the pole.
func TestB1950Precessed(t *testing.T) {
	c := mustStandards(t)
	var fs1 *Star
	for _, s := range c.Lookup("FS 1") {
		if s.Catalogue == "Casali_1992" {
			fs1 = &s
		}
	}
	if fs1 == nil {
		t.Fatal("Casali FS 1 not found")
	}
	if fs1.Equinox != B1950 {
		t.Fatalf("equinox %s", fs1.Equinox)
	}
	if d := Separation(fs1.RA, fs1.Dec, 8.47666262504645, -12.132440750897887) * 3600; d > 0.1 {
		t.Errorf("FS 1 J2000 is %.3f\" from astropy's value", d)
	}
	// Oke 1990 lists the same star (G158-100) at J2000 00:33:54.3 -12:07:57:
	// the two agree to a few arcseconds (proper motion, rounding).
	if d := Separation(fs1.RA, fs1.Dec, (0+33.0/60+54.3/3600)*15, -(12+7.0/60+57.0/3600)) * 3600; d > 10 {
		t.Errorf("FS 1 is %.1f\" from Oke's J2000 position of G158-100", d)
	}
	// The value the test computes with astro.
	r, d := astro.FK4ToFK5(astro.Deg(fs1.RAPublished), astro.Deg(fs1.DecPublished))
	if sep := Separation(fs1.RA, fs1.Dec, r.Deg(), d.Deg()) * 3600; sep > 0.1 {
		t.Errorf("FS 1 J2000 is %.3f\" from astro.FK4ToFK5", sep)
	}
	ref := [][4]float64{ // B1950 ra, dec -> J2000 ra, dec (astropy 5.2.1)
		{1.62375, 58.87416666666667, 2.280240490750014, 59.15233491421185},
		{51.519999999999996, 31.1925, 52.29370359733731, 31.364229839819604},
		{359.99583333333334, 89.0, 0.75992839891143, 89.2783069508744},
	}
	for _, r := range ref {
		ra, dec := toJ2000(B1950, r[0], r[1])
		if d := Separation(ra, dec, r[2], r[3]) * 3600; d > 0.1 {
			t.Errorf("B1950 (%v, %v): %.3f\" from astropy", r[0], r[1], d)
		}
	}
}

// bruteCone is the reference the indexed cone search must equal: a scan
// of every star, sorted by separation then catalogue order.
func bruteCone(c *StarCatalog, ra, dec, r float64, f Filter) []StarMatch {
	v := unitVector(ra, dec)
	var hits []hit
	for i := range c.stars {
		if sep := angle(v, c.vec[i]); sep <= r && f.match(&c.stars[i]) {
			hits = append(hits, hit{int32(i), sep})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmpFloat(a.sep, b.sep) })
	out := make([]StarMatch, len(hits))
	for k, h := range hits {
		out[k] = StarMatch{Star: c.stars[h.i], Separation: h.sep}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// bruteNearest keeps the n nearest of a full scan (ties in catalogue
// order).
func bruteNearest(c *StarCatalog, ra, dec float64, n int) []StarMatch {
	v := unitVector(ra, dec)
	var top []hit
	for i := range c.stars {
		h := hit{int32(i), angle(v, c.vec[i])}
		if len(top) == n && h.sep >= top[n-1].sep {
			continue
		}
		j := len(top)
		if j < n {
			top = append(top, h)
		} else {
			j = n - 1
		}
		for ; j > 0 && h.sep < top[j-1].sep; j-- {
			top[j] = top[j-1]
		}
		top[j] = h
	}
	out := make([]StarMatch, len(top))
	for k, h := range top {
		out[k] = StarMatch{Star: c.stars[h.i], Separation: h.sep}
	}
	return out
}

func sameMatches(a, b []StarMatch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Catalogue != b[i].Catalogue || a[i].Separation != b[i].Separation {
			return false
		}
	}
	return true
}

func TestConeEqualsBruteForce(t *testing.T) {
	c := mustStandards(t)
	rng := rand.New(rand.NewPCG(1, 2))
	type q struct{ ra, dec, r float64 }
	var qs []q
	for i := 0; i < 60; i++ {
		// uniform on the sphere
		qs = append(qs, q{rng.Float64() * 360, math.Asin(2*rng.Float64()-1) / deg, rng.Float64() * 5})
	}
	for i := 0; i < 15; i++ { // near RA 0/360 and the poles
		qs = append(qs,
			q{359.9 + rng.Float64()*0.2, (rng.Float64() - 0.5) * 160, rng.Float64() * 3},
			q{rng.Float64() * 360, 89 + rng.Float64(), rng.Float64() * 4},
			q{rng.Float64() * 360, -89 - rng.Float64(), rng.Float64() * 4})
	}
	qs = append(qs, q{0, 90, 2}, q{0, -90, 2}, q{0, 0, 0}, q{123, 45, 180}, q{-10, 5, 3}, q{370, 5, 3},
		q{200, 30, 89.9}, q{200, -30, 90}, q{10, 60, 120}, q{350, -60, 179})
	// Cones centred exactly on catalogue stars, with zero and tiny radii.
	for i := 0; i < 20; i++ {
		s := c.stars[rng.IntN(len(c.stars))]
		qs = append(qs, q{s.RA, s.Dec, 0}, q{s.RA, s.Dec, 1e-9}, q{s.RA, s.Dec, 0.01})
	}
	filters := []Filter{{}, {Band: "V", MinMag: 6, MaxMag: 9}, {Catalogues: []string{"Landolt_1992", "Hunt_etal_1998"}}}
	for i, x := range qs {
		for _, f := range filters {
			got, err := c.Cone(x.ra, x.dec, x.r, f)
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteCone(c, x.ra, x.dec, x.r, f); !sameMatches(got, want) {
				t.Fatalf("query %d %+v filter %+v: cone gives %d stars, brute force %d", i, x, f, len(got), len(want))
			}
		}
		n := 1 + i%12
		got, err := c.Nearest(x.ra, x.dec, n, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteNearest(c, x.ra, x.dec, n); !sameMatches(got, want) {
			t.Fatalf("query %d: nearest %d differs from brute force", i, n)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	c := mustStandards(t)
	if _, err := c.Cone(math.NaN(), 0, 1, Filter{}); err == nil {
		t.Error("NaN ra accepted")
	}
	if _, err := c.Cone(0, 91, 1, Filter{}); err == nil {
		t.Error("dec 91 accepted")
	}
	if _, err := c.Cone(0, 0, -1, Filter{}); err == nil {
		t.Error("negative radius accepted")
	}
	if _, err := c.Nearest(0, 0, -1, Filter{}); err == nil {
		t.Error("negative count accepted")
	}
	if _, err := c.Nearest(0, 0, 1, Filter{MinMag: 5, MaxMag: 1}); err == nil {
		t.Error("inverted magnitude range accepted")
	}
	if got, err := c.Nearest(0, 0, 3, Filter{Band: "no-such-band"}); err != nil || len(got) != 0 {
		t.Errorf("unknown band: %v %v", got, err)
	}
}

func BenchmarkLookup(b *testing.B) {
	c := mustStandards(b)
	b.ReportAllocs()
	for b.Loop() {
		if len(c.Lookup("T Phe A")) == 0 {
			b.Fatal("not found")
		}
	}
}

func BenchmarkNearest10(b *testing.B) {
	c := mustStandards(b)
	rng := rand.New(rand.NewPCG(3, 4))
	b.ReportAllocs()
	for b.Loop() {
		ra, dec := rng.Float64()*360, math.Asin(2*rng.Float64()-1)/deg
		if _, err := c.Nearest(ra, dec, 10, Filter{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNearest10BruteForce is the peer of BenchmarkNearest10: a scan
// of every star.
func BenchmarkNearest10BruteForce(b *testing.B) {
	c := mustStandards(b)
	rng := rand.New(rand.NewPCG(3, 4))
	for b.Loop() {
		ra, dec := rng.Float64()*360, math.Asin(2*rng.Float64()-1)/deg
		_ = bruteNearest(c, ra, dec, 10)
	}
}

func BenchmarkCone1deg(b *testing.B) {
	c := mustStandards(b)
	rng := rand.New(rand.NewPCG(5, 6))
	for b.Loop() {
		ra, dec := rng.Float64()*360, math.Asin(2*rng.Float64()-1)/deg
		if _, err := c.Cone(ra, dec, 1, Filter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadStandards(b *testing.B) {
	for b.Loop() {
		zr, err := openGzip("data/standards.tsv.gz", standardsGz)
		if err != nil {
			b.Fatal(err)
		}
		stars, err := ReadStarsTSV(zr)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := NewStarCatalog(stars); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStarsCrossCheckReport keeps the generated list of same-name stars
// that two catalogues place more than 60" apart in check (see
// data/stars_crosscheck.md): a change in parsing or precession that moves
// stars shows up here.
func TestStarsCrossCheckReport(t *testing.T) {
	b, err := os.ReadFile("data/stars_crosscheck.md")
	if err != nil {
		t.Fatal(err)
	}
	const want = "577 cross-catalogue pairs share a name; 10 differ by more than 60\"."
	if !strings.Contains(string(b), want) {
		t.Errorf("report changed; want %q (review data/stars_crosscheck.md and update the test)", want)
	}
}

// BenchmarkLoadStandardsJSONPeer decodes the same stars from JSON (the
// format first used for the embedded data), for comparison with
// BenchmarkLoadStandards (gzip + TSV).
func BenchmarkLoadStandardsJSONPeer(b *testing.B) {
	var buf strings.Builder
	if err := WriteStarsJSON(&buf, mustStandards(b).All()); err != nil {
		b.Fatal(err)
	}
	js := buf.String()
	b.ResetTimer()
	for b.Loop() {
		stars, err := ReadStarsJSON(strings.NewReader(js))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := NewStarCatalog(stars); err != nil {
			b.Fatal(err)
		}
	}
}
