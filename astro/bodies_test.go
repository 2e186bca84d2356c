package astro

import (
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/arcsecond-go/arcsecond/astro/internal/astrotest"
)

// bodyRow is a row of bodies.csv (Swiss Ephemeris, JPL DE431).
type bodyRow struct {
	body                      Body
	jd                        float64
	lon, lat, ra, dec, distKm float64
}

func readBodyRows(t testing.TB, dir string) []bodyRow {
	recs := astrotest.ReadCSV(t, filepath.Join(dir, "bodies.csv"))
	var rows []bodyRow
	for i, r := range recs[1:] {
		b, err := ParseBody(r[0])
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		var v [6]float64
		for j := range v {
			v[j], err = strconv.ParseFloat(r[j+1], 64)
			if err != nil {
				t.Fatalf("row %d: %v", i+2, err)
			}
		}
		rows = append(rows, bodyRow{b, v[0], v[1], v[2], v[3], v[4], v[5]})
	}
	return rows
}

// bodyErrors holds, per body, the great-circle errors (arcsec) in RA/Dec and
// ecliptic lon/lat and the distance errors (km).
type bodyErrors struct {
	eq, ecl, dist map[Body][]float64
}

func checkBodies(t testing.TB, dir string) bodyErrors {
	return checkBodiesWith(t, dir, ApparentPosition)
}

func checkBodiesWith(t testing.TB, dir string, pos func(Body, Time) (BodyPosition, error)) bodyErrors {
	rows := readBodyRows(t, dir)
	e := bodyErrors{map[Body][]float64{}, map[Body][]float64{}, map[Body][]float64{}}
	for _, r := range rows {
		tt, err := FromJD(TT, r.jd)
		if err != nil {
			t.Fatal(err)
		}
		p, err := pos(r.body, tt)
		if err != nil {
			t.Fatal(err)
		}
		e.eq[r.body] = append(e.eq[r.body], Separation(p.RA, p.Dec, Deg(r.ra), Deg(r.dec)).Arcsec())
		e.ecl[r.body] = append(e.ecl[r.body], Separation(p.Lon, p.Lat, Deg(r.lon), Deg(r.lat)).Arcsec())
		e.dist[r.body] = append(e.dist[r.body], p.Distance-r.distKm)
	}
	return e
}

func medMax(xs []float64) (med, max float64) {
	a := make([]float64, len(xs))
	for i, x := range xs {
		a[i] = math.Abs(x)
	}
	sort.Float64s(a)
	return a[len(a)/2], a[len(a)-1]
}

// bodyTolerance returns the conformance gates of bodies.csv: angle (arcsec)
// and distance (km, or relative when rel).
func bodyTolerance(b Body) (arcsec, dist float64, rel bool) {
	switch b {
	case Sun:
		return 1, 1e-6, true
	case Moon:
		return 2, 5, false
	}
	return 2, 1e-5, true
}

// checkBodiesGate fails t for any row outside the bodies.csv tolerances.
func checkBodiesGate(t testing.TB, dir string) {
	rows := readBodyRows(t, dir)
	e := checkBodies(t, dir)
	_ = rows
	for b := Sun; b <= Neptune; b++ {
		if len(e.eq[b]) == 0 {
			continue
		}
		tolA, tolD, rel := bodyTolerance(b)
		m1, x1 := medMax(e.eq[b])
		m2, x2 := medMax(e.ecl[b])
		md, xd := medMax(e.dist[b])
		t.Logf("%-8v radec %.3f\"/%.3f\"  ecl %.3f\"/%.3f\"  dist %.4f/%.4f km", b, m1, x1, m2, x2, md, xd)
		if x1 > tolA || x2 > tolA {
			t.Errorf("%v: worst angle error %.3f\"/%.3f\" > %g\"", b, x1, x2, tolA)
		}
		if !rel && xd > tolD {
			t.Errorf("%v: worst distance error %.3f km > %g km", b, xd, tolD)
		}
	}
	for _, r := range rows {
		tolA, tolD, rel := bodyTolerance(r.body)
		_ = tolA
		if rel {
			tt, _ := FromJD(TT, r.jd)
			p, _ := ApparentPosition(r.body, tt)
			if d := math.Abs(p.Distance/r.distKm - 1); d > tolD {
				t.Errorf("%v at JD %.5f: distance relative error %.2e > %g", r.body, r.jd, d, tolD)
			}
		}
	}
}

func TestBodiesVsSwissEphemeris(t *testing.T) {
	checkBodiesGate(t, filepath.Join("testdata", "vectors"))
}

func TestBodiesFastVsSwissEphemeris(t *testing.T) {
	e := checkBodiesWith(t, filepath.Join("testdata", "vectors"), ApparentPositionFast)
	for b := Sun; b <= Neptune; b++ {
		tolA, tolD, rel := bodyTolerance(b)
		m1, x1 := medMax(e.eq[b])
		_, xd := medMax(e.dist[b])
		t.Logf("%-8v radec %.3f\"/%.3f\" dist worst %.3f km", b, m1, x1, xd)
		if x1 > tolA || (!rel && xd > tolD) {
			t.Errorf("%v: %.3f\" %.3f km", b, x1, xd)
		}
	}
}

// The light body context (IAU 2000B, Keplerian Earth velocity) against the
// full one (NewGeocentric: IAU 2000A, barycentric Earth from astro's own
// VSOP87 series).
func TestLightContextVsFull(t *testing.T) {
	worst := 0.0
	for i := 0; i < 200; i++ {
		tt := MustTime(TT, 2415020.5+float64(i)*365.25*200/200+0.37*float64(i), 0)
		full, err := NewGeocentric(tt)
		if err != nil {
			t.Fatal(err)
		}
		for b := Sun; b <= Neptune; b++ {
			p1, err1 := ApparentPosition(b, tt)
			p2, err2 := full.Body(b)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			worst = math.Max(worst, Separation(p1.RA, p1.Dec, p2.RA, p2.Dec).Arcsec())
		}
	}
	t.Logf("worst %.4f\"", worst)
	if worst > 0.03 {
		t.Errorf("light context off the full one by %.4f\"", worst)
	}
}
