package vsop87

import (
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/arcsecond-go/arcsecond/astro/internal/astrotest"
)

// referenceDir locates ../shared/reference/astro beside the repository
// clone (Swiss Ephemeris reference vectors, kept in the shared folder): the
// test skips when it is absent and fails under CI=true.
func referenceDir(t *testing.T) string {
	t.Helper()
	return filepath.Dir(astrotest.SharedPath(t, "reference", "astro", "bodies.csv"))
}

// TestDistanceVsSwissEphemeris checks geocentric distances of the Sun and
// the planets against bodies.csv (1900–2100, 250 rows each). The reference
// distance is |P(t − τ) − E(t)| (barycentric positions, τ the light time),
// computed here from heliocentric VSOP87B positions (the Sun's barycentric
// motion during τ, < 1e-7 relative, is neglected; TDB is taken as TT). The
// project's gates are 1e-6 relative for the Sun and 1e-5 for the planets.
func TestDistanceVsSwissEphemeris(t *testing.T) {
	dir := referenceDir(t)
	recs := astrotest.ReadCSV(t, filepath.Join(dir, "bodies.csv"))
	bodies := map[string]Body{"sun": Earth, "mercury": Mercury, "venus": Venus, "mars": Mars,
		"jupiter": Jupiter, "saturn": Saturn, "uranus": Uranus, "neptune": Neptune}
	th, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	const au = 149597870.7
	const cAUDay = 299792.458 * 86400 / au
	errs := map[string][]float64{}
	for _, r := range recs[1:] {
		body, ok := bodies[r[0]]
		if !ok {
			continue
		}
		tt, err1 := strconv.ParseFloat(r[1], 64)
		ref, err2 := strconv.ParseFloat(r[6], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad row %v", r)
		}
		l, b, rr, err := th.Position(Earth, tt, 0)
		if err != nil {
			t.Fatal(err)
		}
		ex, ey, ez := Rectangular(l, b, rr)
		d := rr
		if body != Earth {
			for i := 0; i < 4; i++ {
				l, b, rr, err := th.Position(body, tt, -d/cAUDay)
				if err != nil {
					t.Fatal(err)
				}
				x, y, z := Rectangular(l, b, rr)
				d = math.Sqrt((x-ex)*(x-ex) + (y-ey)*(y-ey) + (z-ez)*(z-ez))
			}
		}
		errs[r[0]] = append(errs[r[0]], math.Abs(d*au-ref)/ref)
	}
	for name, e := range errs {
		sort.Float64s(e)
		limit := 1e-5
		if name == "sun" {
			limit = 1e-6
		}
		t.Logf("%-8s %d rows: relative distance error median %.2g, max %.2g", name, len(e), e[len(e)/2], e[len(e)-1])
		if e[len(e)-1] > limit {
			t.Errorf("%s: relative distance error %.2g > %.0g", name, e[len(e)-1], limit)
		}
	}
	if len(errs) != 8 {
		t.Errorf("found %d bodies in bodies.csv, want 8", len(errs))
	}
}

type vec = astrotest.Vec

// TestElongationVsSwissEphemeris checks the angle between the Sun and each
// planet seen from the Earth against bodies.csv. That angle does not depend
// on the reference frame, so the test needs no precession or nutation: it
// only applies light time and first-order annual aberration (velocity from
// VSOP87B by central difference) and the Sun's light deflection for a
// distant source.
func TestElongationVsSwissEphemeris(t *testing.T) {
	dir := referenceDir(t)
	recs := astrotest.ReadCSV(t, filepath.Join(dir, "bodies.csv"))
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	full, err := New(J2000, 0)
	if err != nil {
		t.Fatal(err)
	}
	elongationErrors(t, def, recs, 1)
	// The full series is evaluated term by term (slow under -race): every
	// fifth date.
	elongationErrors(t, full, recs, 5)
}

// limits are the tolerances of the elongation test: VSOP87 itself (fitted
// to DE200) departs from DE431 by up to 0.4" for Jupiter and Saturn, 1.5"
// for Uranus and 2.1" for Neptune over 1900–2100, full series or default.
var elongationLimits = map[string]float64{"mercury": 0.2, "venus": 0.2, "mars": 0.3,
	"jupiter": 0.6, "saturn": 0.6, "uranus": 1.8, "neptune": 2.5}

func elongationErrors(t *testing.T, th *Theory, recs [][]string, every int) {
	bodies := map[string]Body{"mercury": Mercury, "venus": Venus, "mars": Mars,
		"jupiter": Jupiter, "saturn": Saturn, "uranus": Uranus, "neptune": Neptune}
	const cAUDay = 299792.458 * 86400 / 149597870.7
	pos := func(b Body, jd, dt float64) vec {
		l, bb, r, err := th.Position(b, jd, dt)
		if err != nil {
			t.Fatal(err)
		}
		x, y, z := Rectangular(l, bb, r)
		return vec{x, y, z}
	}
	sun := map[string]vec{}
	for _, r := range recs[1:] {
		if r[0] == "sun" {
			lon, _ := strconv.ParseFloat(r[2], 64)
			lat, _ := strconv.ParseFloat(r[3], 64)
			sun[r[1]] = astrotest.Sphere(lon, lat)
		}
	}
	errs := map[string][]float64{}
	for i, r := range recs[1:] {
		body, ok := bodies[r[0]]
		if !ok || i%every != 0 {
			continue
		}
		tt, _ := strconv.ParseFloat(r[1], 64)
		lon, _ := strconv.ParseFloat(r[2], 64)
		lat, _ := strconv.ParseFloat(r[3], 64)
		refSun, ok := sun[r[1]]
		if !ok {
			t.Fatalf("no Sun row at %s", r[1])
		}
		ref := math.Acos(math.Max(-1, math.Min(1, astrotest.Sphere(lon, lat).Dot(refSun))))
		e := pos(Earth, tt, 0)
		v := pos(Earth, tt, 0.01).Sub(pos(Earth, tt, -0.01)).Scale(1 / 0.02 / cAUDay)
		p := pos(body, tt, 0).Sub(e)
		for i := 0; i < 3; i++ {
			tau := math.Sqrt(p.Dot(p)) / cAUDay
			p = pos(body, tt, -tau).Sub(e)
		}
		// Light deflection by the Sun (the usual first-order formula, as in
		// SOFA/ERFA ld: p' = p + w·p×(e×q), w = (2GM/c²)/(|E|·(1 + q·e))).
		q := p.Add(e).Unit() // Sun → planet (heliocentric, at t − τ)
		eu := e.Unit()
		pu := p.Unit()
		w := 1.97412574336e-8 / math.Sqrt(e.Dot(e)) / math.Max(1+q.Dot(eu), 1e-6)
		pu = pu.Add(pu.Cross(eu.Cross(q)).Scale(w)).Unit()
		us := astrotest.Aberrate(e.Scale(-1).Unit(), v)
		up := astrotest.Aberrate(pu, v)
		got := math.Acos(math.Max(-1, math.Min(1, us.Dot(up))))
		errs[r[0]] = append(errs[r[0]], math.Abs(got-ref)*180*3600/math.Pi)
	}
	for name, e := range errs {
		sort.Float64s(e)
		t.Logf("eps %g %-8s %d rows: Sun–planet angle error median %.3f\", max %.3f\"", th.Threshold(), name, len(e), e[len(e)/2], e[len(e)-1])
		if e[len(e)-1] > elongationLimits[name] {
			t.Errorf("eps %g %s: Sun–planet angle error %.3f\" > %.1f\"", th.Threshold(), name, e[len(e)-1], elongationLimits[name])
		}
	}
}
