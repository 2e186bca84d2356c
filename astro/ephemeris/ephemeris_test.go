package ephemeris

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/astro/elpmpp02"
	"github.com/arcsecond-go/arcsecond/astro/internal/theory"
	"github.com/arcsecond-go/arcsecond/astro/vsop87"
)

// TestSeam checks that the constants astro uses without importing the
// theories agree with the theories.
func TestSeam(t *testing.T) {
	for name, max := range map[string]int{"vsop87": vsop87.MaxYears, "elpmpp02": elpmpp02.MaxYears} {
		if max != theory.MaxYears {
			t.Errorf("theory.MaxYears is %d, %s.MaxYears %d", theory.MaxYears, name, max)
		}
	}
	for p, b := range map[theory.Planet]vsop87.Body{
		theory.Mercury: vsop87.Mercury, theory.Venus: vsop87.Venus, theory.Earth: vsop87.Earth,
		theory.Mars: vsop87.Mars, theory.Jupiter: vsop87.Jupiter, theory.Saturn: vsop87.Saturn,
		theory.Uranus: vsop87.Uranus, theory.Neptune: vsop87.Neptune,
	} {
		if vsop87.Body(p) != b {
			t.Errorf("theory.Planet %d is vsop87 %v", p, vsop87.Body(p))
		}
	}
	prov, err := theory.Get()
	if err != nil {
		t.Fatal(err)
	}
	set, err := prov.Default()
	if err != nil {
		t.Fatal(err)
	}
	th, err := vsop87.Default()
	if err != nil {
		t.Fatal(err)
	}
	l1, b1, r1 := set.Planets.Eval(theory.Mars, 0.0123)
	l2, b2, r2 := th.Eval(vsop87.Mars, 0.0123)
	if l1 != l2 || b1 != b2 || r1 != r2 {
		t.Errorf("Mars through the seam (%v %v %v), direct (%v %v %v)", l1, b1, r1, l2, b2, r2)
	}
}
