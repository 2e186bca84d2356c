package series

import (
	"math"
	"testing"
)

func TestSincos(t *testing.T) {
	worst := 0.0
	for i := 0; i < 400000; i++ {
		x := (float64(i) - 200000) * 0.0137 * float64(1+i%97)
		s, c := Sincos(x)
		ws, wc := math.Sincos(x)
		worst = math.Max(worst, math.Max(math.Abs(s-ws), math.Abs(c-wc)))
	}
	if worst > 1e-15 {
		t.Fatalf("Sincos worst error %g", worst)
	}
	negZero := math.Copysign(0, -1) // the literal -0.0 is +0 in Go
	for _, x := range []float64{0, negZero, 1e-300, -1e-300, math.Pi / 4, 1 << 28, -(1 << 30), math.Inf(1), math.NaN()} {
		s, c := Sincos(x)
		ws, wc := math.Sincos(x)
		if !(s == ws || math.Abs(s-ws) < 1e-15 || math.IsNaN(s) && math.IsNaN(ws)) || !(c == wc || math.Abs(c-wc) < 1e-15 || math.IsNaN(c) && math.IsNaN(wc)) {
			t.Errorf("Sincos(%v) = %v, %v; want %v, %v", x, s, c, ws, wc)
		}
		// == does not tell the zeros apart: sin keeps the sign of a zero.
		if ws == 0 && math.Signbit(s) != math.Signbit(ws) {
			t.Errorf("Sincos(%v): sin = %v, want %v (signed zero)", x, s, ws)
		}
	}
	for _, x := range []float64{-1e-17, 0, 1, 2 * math.Pi, -2 * math.Pi, 1e5, -1e5} {
		m := Mod2Pi(x)
		if m < 0 || m >= 2*math.Pi || math.Abs(math.Remainder(m-x, 2*math.Pi)) > 1e-9 {
			t.Errorf("Mod2Pi(%v) = %v", x, m)
		}
	}
}
