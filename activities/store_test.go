package activities_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/storetest"
)

// act is storetest.Act.
func act(i int, rev int64) activities.Activity { return storetest.Act(i, rev) }

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) activities.Store { return activities.NewMemoryStore() })
}

func TestSeparationKnownValues(t *testing.T) {
	for _, c := range []struct{ ra1, d1, ra2, d2, want, tol float64 }{
		{0, 0, 90, 0, 90, 1e-12},
		{359.9, 0, 0.1, 0, 0.2, 1e-9},
		{10, 89.9, 190, 89.9, 0.2, 1e-9},
		{0, 0, 180, 0, 180, 1e-12},
		{0, 0, 0, 1.0 / 3600 / 1000, 1.0 / 3600 / 1000, 1e-15},
	} {
		if got := activities.Separation(c.ra1, c.d1, c.ra2, c.d2); got-c.want > c.tol || c.want-got > c.tol {
			t.Errorf("Separation(%v,%v,%v,%v) = %.15g, want %v", c.ra1, c.d1, c.ra2, c.d2, got, c.want)
		}
	}
}

// TestSeparationRandom compares Separation on random pairs of positions
// with the angle between their unit vectors (from the cross and dot
// products, an independent formula), and checks its symmetry.
func TestSeparationRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	vec := func(ra, dec float64) [3]float64 {
		r, d := ra*math.Pi/180, dec*math.Pi/180
		return [3]float64{math.Cos(d) * math.Cos(r), math.Cos(d) * math.Sin(r), math.Sin(d)}
	}
	for i := range 2000 {
		ra1, ra2 := rng.Float64()*360, rng.Float64()*360
		dec1 := math.Asin(2*rng.Float64()-1) * 180 / math.Pi // uniform on the sphere
		dec2 := math.Asin(2*rng.Float64()-1) * 180 / math.Pi
		if i%4 == 0 { // close pairs, where a careless formula loses precision
			ra2, dec2 = ra1+rng.NormFloat64()*1e-3, math.Max(-90, math.Min(90, dec1+rng.NormFloat64()*1e-3))
		}
		a, b := vec(ra1, dec1), vec(ra2, dec2)
		cx := a[1]*b[2] - a[2]*b[1]
		cy := a[2]*b[0] - a[0]*b[2]
		cz := a[0]*b[1] - a[1]*b[0]
		dot := a[0]*b[0] + a[1]*b[1] + a[2]*b[2]
		want := math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), dot) * 180 / math.Pi
		got := activities.Separation(ra1, dec1, ra2, dec2)
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("Separation(%v, %v, %v, %v) = %.12g, want %.12g", ra1, dec1, ra2, dec2, got, want)
		}
		if back := activities.Separation(ra2, dec2, ra1, dec1); math.Abs(back-got) > 1e-12 {
			t.Fatalf("Separation is not symmetric: %.15g and %.15g", got, back)
		}
	}
}
