package series

import "math"

// Cody-Waite split of π/2 (k·part is exact for |k| < 2^29) and the minimax
// coefficients of the fdlibm kernels __kernel_sin and __kernel_cos on
// [-π/4, π/4].
const (
	pio2a = 1.57079625129699707031e+00
	pio2b = 7.54978941586159635335e-08
	pio2c = 5.39030285815811905290e-15

	ks1 = -1.66666666666666324348e-01
	ks2 = 8.33333333332248946124e-03
	ks3 = -1.98412698298579493134e-04
	ks4 = 2.75573137070700676789e-06
	ks5 = -2.50507602534068634195e-08
	ks6 = 1.58969099521155010221e-10

	kc1 = 4.16666666666666019037e-02
	kc2 = -1.38888888888741095749e-03
	kc3 = 2.48015872894767294178e-05
	kc4 = -2.75573143513906633035e-07
	kc5 = 2.08757232129817482790e-09
	kc6 = -1.13596475577881948265e-11

	roundMagic  = 1.5 * (1 << 52) // x + m − m rounds x to an integer
	reduceLimit = 1 << 28
)

// quadrantSC[q] = {sin from (sr, cr), cos from (sr, cr)} for x = r + q·π/2.
var quadrantSC = [4][4]float64{
	{1, 0, 0, 1},   // sin r, cos r
	{0, 1, -1, 0},  // cos r, −sin r
	{-1, 0, 0, -1}, // −sin r, −cos r
	{0, -1, 1, 0},  // −cos r, sin r
}

// Sincos returns sin x and cos x to within a couple of ulp, without a branch
// on the quadrant; |x| ≥ 2^28 and non-finite x fall back to math.Sincos. As
// math.Sincos, it keeps the sign of a zero x in sin x.
func Sincos(x float64) (s, c float64) {
	if !(x > -reduceLimit && x < reduceLimit) {
		return math.Sincos(x)
	}
	if x == 0 {
		return x, 1 // sin ±0 = ±0, which the quadrant sum below turns into +0
	}
	k := (x*(2/math.Pi) + roundMagic) - roundMagic
	r := ((x - k*pio2a) - k*pio2b) - k*pio2c
	z := r * r
	sr := r + r*z*(ks1+z*(ks2+z*(ks3+z*(ks4+z*(ks5+z*ks6)))))
	cr := 1 - 0.5*z + z*z*(kc1+z*(kc2+z*(kc3+z*(kc4+z*(kc5+z*kc6)))))
	q := &quadrantSC[int64(k)&3]
	return q[0]*sr + q[1]*cr, q[2]*sr + q[3]*cr
}

// Mod2Pi reduces x to [0, 2π) (math.Mod is much slower).
func Mod2Pi(x float64) float64 {
	x -= 2 * math.Pi * math.Floor(x/(2*math.Pi))
	if x >= 2*math.Pi || x < 0 {
		return 0
	}
	return x
}
