package astro

import (
	"fmt"
	"math"
	"testing"
)

func TestAngleUnitsAndString(t *testing.T) {
	const limb = 16 * Arcminute // derived values are constants
	for _, c := range []struct {
		a    Angle
		deg  float64
		text string
	}{
		{Degree, 1, "1.0000000°"},
		{Arcminute, 1.0 / 60, "0.0166667°"},
		{Arcsecond, 1.0 / 3600, "0.0002778°"},
		{Milliarcsecond, 1.0 / 3600e3, "0.0000003°"},
		{RAHour, 15, "15.0000000°"},
		{Radian, 180 / math.Pi, "57.2957795°"},
		{limb, 16.0 / 60, "0.2666667°"},
		{-12.5 * Degree, -12.5, "-12.5000000°"},
		{HorizonRefraction, 0.56, "0.5600000°"},
	} {
		if math.Abs(c.a.Deg()-c.deg) > 1e-15*math.Max(1, math.Abs(c.deg)) {
			t.Errorf("%s: %v°, want %v°", c.text, c.a.Deg(), c.deg)
		}
		if got := c.a.String(); got != c.text {
			t.Errorf("String() = %q, want %q", got, c.text)
		}
		if got := fmt.Sprint(c.a); got != c.text {
			t.Errorf("fmt.Sprint = %q, want %q", got, c.text)
		}
	}
	if Arcsec(1) != Arcsecond || Deg(1) != Degree || Mas(1) != Milliarcsecond || Hours(1) != RAHour {
		t.Error("the constructors and the constants disagree")
	}
}
