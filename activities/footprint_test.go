package activities_test

import (
	"math"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
)

func sepDeg(ra1, dec1, ra2, dec2 float64) float64 {
	const d = math.Pi / 180
	s := math.Sin((dec2-dec1)*d/2)*math.Sin((dec2-dec1)*d/2) +
		math.Cos(dec1*d)*math.Cos(dec2*d)*math.Sin((ra2-ra1)*d/2)*math.Sin((ra2-ra1)*d/2)
	return 2 * math.Asin(math.Sqrt(s)) / d
}

// paDeg is the position angle of (ra2, dec2) seen from (ra1, dec1), east
// of north, in [0, 360).
func paDeg(ra1, dec1, ra2, dec2 float64) float64 {
	const d = math.Pi / 180
	y := math.Sin((ra2 - ra1) * d)
	x := math.Cos(dec1*d)*math.Tan(dec2*d) - math.Sin(dec1*d)*math.Cos((ra2-ra1)*d)
	pa := math.Atan2(y, x) / d
	if pa < 0 {
		pa += 360
	}
	return pa
}

func TestTemplatePlaceRotatesByRoll(t *testing.T) {
	// One vertex 1° along +y, one 1° along +x.
	tpl := activities.Template{Name: "probe", Parts: []activities.TemplatePart{{Vertices: [][2]float64{{0, 1}, {1, 0}, {0, 0.5}}}}}
	for _, c := range []struct {
		ra, dec, roll float64
	}{{10, 20, 0}, {10, 20, 90}, {359.9, -30, 45}, {0.1, 89.5, 200}, {180, -89.9, 330}} {
		p, err := activities.NewPointing(c.ra, c.dec, activities.Float(c.roll))
		if err != nil {
			t.Fatal(err)
		}
		fps, err := tpl.Place(p)
		if err != nil {
			t.Fatal(err)
		}
		v := fps[0].Polygon
		// A tangent-plane offset of 1° is arctan(1°) on the sky.
		want := math.Atan(math.Pi/180) * 180 / math.Pi
		if s := sepDeg(c.ra, c.dec, v[0][0], v[0][1]); math.Abs(s-want) > 1e-9 {
			t.Errorf("%+v: +y vertex %v is %v° away, want %v", c, v[0], s, want)
		}
		if pa := paDeg(c.ra, c.dec, v[0][0], v[0][1]); math.Abs(math.Remainder(pa-c.roll, 360)) > 1e-6 {
			t.Errorf("%+v: +y vertex at position angle %v, want the roll", c, pa)
		}
		if pa := paDeg(c.ra, c.dec, v[1][0], v[1][1]); math.Abs(math.Remainder(pa-c.roll-90, 360)) > 1e-6 {
			t.Errorf("%+v: +x vertex at position angle %v, want roll+90", c, pa)
		}
		for _, vv := range v {
			if vv[0] < 0 || vv[0] >= 360 || vv[1] < -90 || vv[1] > 90 {
				t.Errorf("%+v: vertex %v off the sky", c, vv)
			}
		}
	}
}

func TestRectangleWithoutRoll(t *testing.T) {
	p, _ := activities.NewPointing(-10, 0, nil)
	if p.RA != 350 {
		t.Fatalf("ra not normalized: %v", p.RA)
	}
	fps, err := activities.Rectangle("ACIS-I", 0.2, 0.2).Place(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(fps) != 1 || len(fps[0].Polygon) != 4 || fps[0].Name != "ACIS-I" {
		t.Fatalf("got %+v", fps)
	}
	// At the equator with roll 0 the first corner is south-west.
	c := fps[0].Polygon[0]
	if !(c[0] < 350 && c[1] < 0) {
		t.Fatalf("first corner %v is not south-west of (350, 0)", c)
	}
}

func TestTemplatePlaceRefuses(t *testing.T) {
	p, _ := activities.NewPointing(0, 0, nil)
	if _, err := (activities.Template{Name: "x", Parts: []activities.TemplatePart{{Vertices: [][2]float64{{0, 0}, {1, 1}}}}}).Place(p); err == nil {
		t.Error("a two-vertex part was placed")
	}
	if _, err := (activities.Template{Name: "x", Parts: []activities.TemplatePart{{Vertices: [][2]float64{{0, 0}, {1, 1}, {0, 95}}}}}).Place(p); err == nil {
		t.Error("an offset of 95° was projected")
	}
	if _, err := activities.NewPointing(0, 91, nil); err == nil {
		t.Error("dec 91 accepted")
	}
	if _, err := activities.NewPointing(0, 0, activities.Float(math.Inf(1))); err == nil {
		t.Error("infinite roll accepted")
	}
	r, _ := activities.NewPointing(0, 0, activities.Float(-90))
	if *r.Roll != 270 || r.String() != "(0.00000, +0.00000) roll 270.00" {
		t.Errorf("roll -90 gave %v", r)
	}
}
