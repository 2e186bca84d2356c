package astro

import (
	"fmt"
	"math"
	"testing"
)

// Meeus example 41.a: Venus on 1992 December 20, 0h TD: Δ = 0.910947 au,
// r = 0.724604 au, phase angle 72.96°, k = 0.647, magnitude −4.2 (41.b).
// Example 45.a: Saturn's rings on 1992 December 16, 0h TD: B = 16.442°.
func TestMeeus41And45(t *testing.T) {
	v, err := Planet(Venus, MustTime(TT, 2448976.5, 0))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v.EarthDistance-0.910947) > 2e-5 || math.Abs(v.SunDistance-0.724604) > 2e-5 {
		t.Errorf("Venus Δ %.6f r %.6f", v.EarthDistance, v.SunDistance)
	}
	if math.Abs(v.Illumination.Fraction-0.647) > 0.001 || math.Abs(v.Magnitude+4.2) > 0.05 {
		t.Errorf("Venus k %.4f m %.2f", v.Illumination.Fraction, v.Magnitude)
	}
	s, err := Planet(Saturn, MustTime(TT, 2448972.5, 0))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.RingTilt.Deg()-16.442) > 0.01 {
		t.Errorf("Saturn B %.3f°", s.RingTilt.Deg())
	}
	if _, err := Planet(Moon, MustTime(TT, 2448972.5, 0)); err == nil {
		t.Error("Planet(Moon): no error")
	}
	for b := Mercury; b <= Neptune; b++ {
		p, err := Planet(b, MustTime(TT, 2460000.5, 0))
		if err != nil || math.IsNaN(p.Magnitude) || p.Magnitude < -5 || p.Magnitude > 8.5 {
			t.Errorf("%v: %+v %v", b, p, err)
		}
	}
}

func ExamplePlanet() {
	t, _ := NewUTC(2025, 1, 10, 0, 0, 0)
	for _, b := range []Body{Venus, Jupiter, Saturn} {
		p, _ := Planet(b, t)
		fmt.Printf("%-7v mag %5.1f  elongation %5.1f°  %3.0f%% lit\n", b, p.Magnitude, p.Illumination.Elongation.Deg(), 100*p.Illumination.Fraction)
	}
	// Output:
	// Venus   mag  -4.4  elongation  47.2°   51% lit
	// Jupiter mag  -2.7  elongation 142.4°  100% lit
	// Saturn  mag   1.1  elongation  55.3°  100% lit
}
