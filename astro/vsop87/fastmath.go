package vsop87

import "math"

// Cody-Waite split of π/2 (each part has enough trailing zero bits that
// k·part is exact for |k| < 2^29), and the minimax polynomial coefficients
// of the fdlibm kernels __kernel_sin and __kernel_cos on [-π/4, π/4].
const (
	pio2a = 1.57079625129699707031e+00
	pio2b = 7.54978941586159635335e-08
	pio2c = 5.39030285815811905290e-15

	s1 = -1.66666666666666324348e-01
	s2 = 8.33333333332248946124e-03
	s3 = -1.98412698298579493134e-04
	s4 = 2.75573137070700676789e-06
	s5 = -2.50507602534068634195e-08
	s6 = 1.58969099521155010221e-10

	c1 = 4.16666666666666019037e-02
	c2 = -1.38888888888741095749e-03
	c3 = 2.48015872894767294178e-05
	c4 = -2.75573143513906633035e-07
	c5 = 2.08757232129817482790e-09
	c6 = -1.13596475577881948265e-11

	roundMagic = 1.5 * (1 << 52)

	// reduceLimit bounds |x| for the Cody-Waite reduction to stay exact.
	reduceLimit = 1 << 28
)

// quadrant[q] gives cos(x) = a·cos(r) + b·sin(r) for x = r + q·π/2.
var quadrant = [4][2]float64{{1, 0}, {0, -1}, {-1, 0}, {0, 1}}

// fastCos returns cos(x) to within a few ulp for |x| < 2^28 without branches
// on the quadrant; larger arguments fall back to math.Cos.
func fastCos(x float64) float64 {
	if !(x > -reduceLimit && x < reduceLimit) {
		return math.Cos(x)
	}
	// Adding and subtracting 1.5·2^52 rounds to the nearest integer
	// without a branch or a call.
	k := (x*(2/math.Pi) + roundMagic) - roundMagic
	r := ((x - k*pio2a) - k*pio2b) - k*pio2c
	z := r * r
	sr := r + r*z*(s1+z*(s2+z*(s3+z*(s4+z*(s5+z*s6)))))
	cr := 1 - 0.5*z + z*z*(c1+z*(c2+z*(c3+z*(c4+z*(c5+z*c6)))))
	q := &quadrant[int64(k)&3]
	return q[0]*cr + q[1]*sr
}
