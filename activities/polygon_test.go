package activities

import (
	"strings"
	"testing"
)

func TestActivityContains(t *testing.T) {
	pos := func(ra, dec, fov float64, fps ...[][2]float64) *Activity {
		a := &Activity{}
		a.Target.SetPosition(ra, dec)
		a.Target.FOVRadius = fov
		for _, p := range fps {
			a.Footprints = append(a.Footprints, Footprint{Polygon: p})
		}
		return a
	}
	pole := [][2]float64{{0, 89}, {90, 89}, {180, 89}, {270, 89}}
	wrap := [][2]float64{{359.5, -1}, {0.5, -1}, {0.5, 1}, {359.5, 1}}
	wrapCW := [][2]float64{{359.5, 1}, {0.5, 1}, {0.5, -1}, {359.5, -1}} // the other order: the same (smaller) area
	selfCrossing := [][2]float64{{10, 10}, {11, 11}, {11, 10}, {10, 11}}
	for _, c := range []struct {
		name string
		a    *Activity
		p    SkyPoint
		want bool
	}{
		{"around the pole", pos(0, 90, 0, pole), SkyPoint{123, 89.9}, true},
		{"the pole itself", pos(0, 90, 0, pole), SkyPoint{0, 90}, true},
		{"below the pole cap", pos(0, 90, 0, pole), SkyPoint{123, 88.5}, false},
		{"across RA 0, east", pos(0, 0, 0, wrap), SkyPoint{0.4, 0.5}, true},
		{"across RA 0, west", pos(0, 0, 0, wrap), SkyPoint{359.6, -0.5}, true},
		{"across RA 0, clockwise", pos(0, 0, 0, wrapCW), SkyPoint{359.6, -0.5}, true},
		{"across RA 0, outside", pos(0, 0, 0, wrap), SkyPoint{180, 0}, false},
		{"footprints replace the circle", pos(0, 0, 5, wrap), SkyPoint{2, 0}, false},
		{"circle without footprints", pos(0, 0, 5), SkyPoint{357, 0}, true},
		{"outside the circle", pos(0, 0, 5), SkyPoint{6, 0}, false},
		{"second footprint", pos(0, 0, 0, [][2]float64{{50, 0}, {51, 0}, {51, 1}}, wrap), SkyPoint{0, 0}, true},
		{"a self-crossing footprint is skipped", pos(10.5, 10.5, 1, selfCrossing), SkyPoint{10.5, 10.5}, false},
		{"no position, no footprint", &Activity{}, SkyPoint{0, 0}, false},
	} {
		if got := c.a.Contains(c.p); got != c.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestPolygonLoopErrors(t *testing.T) {
	for _, c := range []struct {
		poly [][2]float64
		want string
	}{
		{[][2]float64{{0, 0}, {1, 0}}, "at least 3 distinct vertices"},
		{[][2]float64{{0, 0}, {1, 0}, {1, 0}, {1, 1}}, "vertex 2 repeats vertex 1"},
		{[][2]float64{{10, 10}, {11, 11}, {11, 10}, {10, 11}}, "not a simple polygon"},
		{[][2]float64{{0, 0}, {1, 95}, {1, 1}}, "vertex 1: point: dec 95"},
	} {
		if _, err := PolygonLoop(c.poly); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.poly, err, c.want)
		}
	}
	big := make([][2]float64, MaxPolygonVertices+1)
	if _, err := PolygonLoop(big); err == nil || !strings.Contains(err.Error(), "more than 1000") {
		t.Errorf("%d vertices: error %v", len(big), err)
	}
	if _, err := PolygonLoop([][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 0}}); err != nil {
		t.Errorf("closed ring refused: %v", err)
	}
}
