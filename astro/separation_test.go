package astro

import (
	"math"
	"testing"
)

// Known values in degrees (formerly activities.Separation's table), and
// the vector form agreeing with Separation.
func TestSeparationKnownValues(t *testing.T) {
	for _, c := range []struct{ ra1, d1, ra2, d2, want, tol float64 }{
		{0, 0, 90, 0, 90, 1e-12},
		{359.9, 0, 0.1, 0, 0.2, 1e-9},
		{10, 89.9, 190, 89.9, 0.2, 1e-9},
		{0, 0, 180, 0, 180, 1e-12},
		{0, 0, 0, 1.0 / 3600 / 1000, 1.0 / 3600 / 1000, 1e-15},
		{10, -30, 190, 30, 180, 1e-12},
	} {
		got := Separation(Deg(c.ra1), Deg(c.d1), Deg(c.ra2), Deg(c.d2)).Deg()
		if math.Abs(got-c.want) > c.tol {
			t.Errorf("Separation(%v,%v,%v,%v) = %.15g°, want %v", c.ra1, c.d1, c.ra2, c.d2, got, c.want)
		}
		v := DirectionToVec(Deg(c.ra1), Deg(c.d1)).Angle(DirectionToVec(Deg(c.ra2), Deg(c.d2))).Deg()
		if v != got {
			t.Errorf("Vec3.Angle %.17g, Separation %.17g", v, got)
		}
	}
}
