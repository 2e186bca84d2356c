package astro

import (
	"fmt"
	"math"
)

// NutationInterpolator evaluates IAU 2000A_R06 nutation over a time span
// from a Chebyshev fit of the full series, for programs that need nutation
// at many instants (tracking, ephemeris tables): a Clenshaw sum of two
// degree-12 Chebyshev series per call (~0.1-0.2 µs with the Time conversion)
// instead of ~8 µs. The fit is made on four-day spans; its error against the
// full series is below 0.01 µas (TestNutationInterpolator).
type NutationInterpolator struct {
	start, span float64 // TT Julian centuries of the first span, span length (centuries)
	n           int
	coefPsi     [][nutChebDeg + 1]float64
	coefEps     [][nutChebDeg + 1]float64
}

const (
	nutChebDeg     = 12
	nutChebSpanDay = 4.0
	maxInterpDays  = 3660
)

// NewNutationInterpolator fits nutation between the instants from and to
// (at most ten years apart; evaluated in TT).
func NewNutationInterpolator(from, to Time) (*NutationInterpolator, error) {
	a, b := from.TT(), to.TT()
	days := ((b.jd1 - a.jd1) + (b.jd2 - a.jd2))
	if !(days > 0) || days > maxInterpDays {
		return nil, fmt.Errorf("astro: nutation interpolation span of %v days must be within (0, %d]", days, maxInterpDays)
	}
	ni := &NutationInterpolator{start: a.centuries(), span: nutChebSpanDay / djc}
	ni.n = int(math.Ceil(days / nutChebSpanDay))
	ni.coefPsi = make([][nutChebDeg + 1]float64, ni.n)
	ni.coefEps = make([][nutChebDeg + 1]float64, ni.n)
	const m = nutChebDeg + 1
	var fp, fe [m]float64
	for k := 0; k < ni.n; k++ {
		t0 := ni.start + float64(k)*ni.span
		for j := 0; j < m; j++ {
			x := math.Cos(math.Pi * (float64(j) + 0.5) / m)
			fp[j], fe[j] = nutationFast(t0 + (x+1)/2*ni.span)
		}
		for i := 0; i < m; i++ {
			var sp, se float64
			for j := 0; j < m; j++ {
				c := math.Cos(math.Pi * float64(i) * (float64(j) + 0.5) / m)
				sp += fp[j] * c
				se += fe[j] * c
			}
			ni.coefPsi[k][i] = 2 * sp / m
			ni.coefEps[k][i] = 2 * se / m
		}
	}
	return ni, nil
}

// At returns Δψ, Δε at t (evaluated in TT). Outside the fitted span it
// falls back to the full series.
func (ni *NutationInterpolator) At(t Time) (dpsi, deps Angle) {
	tc := t.TT().centuries()
	u := (tc - ni.start) / ni.span
	k := int(math.Floor(u))
	if k < 0 || k >= ni.n || !finite(u) {
		a, b := nutationFast(tc)
		return Angle(a), Angle(b)
	}
	x := 2*(u-float64(k)) - 1
	return Angle(clenshaw(&ni.coefPsi[k], x)), Angle(clenshaw(&ni.coefEps[k], x))
}

func clenshaw(c *[nutChebDeg + 1]float64, x float64) float64 {
	var b1, b2 float64
	for i := nutChebDeg; i >= 1; i-- {
		b1, b2 = 2*x*b1-b2+c[i], b1
	}
	return x*b1 - b2 + c[0]/2
}
