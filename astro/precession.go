package astro

import "math"

// obl06 returns the IAU 2006 mean obliquity of the ecliptic (rad) at t
// Julian centuries TT since J2000.
func obl06(t float64) float64 {
	return (84381.406 + (-46.836769+(-0.0001831+(0.00200340+(-0.000000576+(-0.0000000434)*t)*t)*t)*t)*t) * das2r
}

// pfw06 returns the IAU 2006 Fukushima-Williams bias-precession angles
// (rad): γ̄, φ̄, ψ̄ and the mean obliquity εA (Hilton et al. 2006).
func pfw06(t float64) (gamb, phib, psib, epsa float64) {
	gamb = (-0.052928 + (10.556378+(0.4932044+(-0.00031238+(-0.000002788+(0.0000000260)*t)*t)*t)*t)*t) * das2r
	phib = (84381.412819 + (-46.811016+(0.0511268+(0.00053289+(-0.000000440+(-0.0000000176)*t)*t)*t)*t)*t) * das2r
	psib = (-0.041775 + (5038.481484+(1.5584175+(-0.00018522+(-0.000026452+(-0.0000000148)*t)*t)*t)*t)*t) * das2r
	epsa = obl06(t)
	return
}

// fw2m builds the rotation matrix from Fukushima-Williams angles.
func fw2m(gamb, phib, psi, eps float64) Matrix {
	r := identity()
	r = rotZ(gamb, r)
	r = rotX(phib, r)
	r = rotZ(-psi, r)
	r = rotX(-eps, r)
	return r
}

// MeanObliquity returns the IAU 2006 mean obliquity of the ecliptic at t
// (evaluated in TT). Example: 23°26′21.406″ at J2000.
func MeanObliquity(t Time) Angle { return Angle(obl06(t.TT().centuries())) }

// TrueObliquity returns the mean obliquity plus the IAU 2000A_R06 nutation
// in obliquity.
func TrueObliquity(t Time) Angle {
	_, de := Nutation(t)
	return MeanObliquity(t) + de
}

// BiasPrecessionMatrix returns the IAU 2006 frame bias and precession
// matrix at t (TT): it rotates a GCRS (≈ICRS) vector into the mean equator
// and equinox of date.
func BiasPrecessionMatrix(t Time) Matrix {
	g, p, s, e := pfw06(t.TT().centuries())
	return fw2m(g, p, s, e)
}

// PrecessionNutation holds the precession-nutation quantities of one
// instant (IAU 2006/2000A_R06), computed once and reused for many
// directions: see NewPrecessionNutation.
type PrecessionNutation struct {
	T    float64 // Julian centuries TT since J2000
	DPsi Angle   // nutation in longitude
	DEps Angle   // nutation in obliquity
	EpsA Angle   // IAU 2006 mean obliquity
	BP   Matrix  // GCRS → mean equator and equinox of date (bias-precession)
	NPB  Matrix  // GCRS → true equator and equinox of date (equinox based)
	X, Y float64 // CIP coordinates in the GCRS (rad)
	S    Angle   // CIO locator s
	C2I  Matrix  // GCRS → CIRS (CIO based)
	EO   Angle   // equation of the origins (ERA − GAST)
	EqEq Angle   // equation of the equinoxes (GAST − GMST)
}

// NewPrecessionNutation computes the precession-nutation matrices of the
// instant t (evaluated in TT), along both the equinox-based and the
// CIO-based paths. It agrees with ERFA pnm06a / c2i06a to better than 0.01 mas.
func NewPrecessionNutation(t Time) *PrecessionNutation {
	tc := t.TT().centuries()
	fa := fundamentalArgs(tc)
	var pw argPowers
	pw.fill(&fa)
	dpsi, deps := pw.nutation(tc)
	return newPN(tc, dpsi, deps, &pw)
}

func newPN(tc, dpsi, deps float64, pw *argPowers) *PrecessionNutation {
	g, p, s, e := pfw06(tc)
	pn := &PrecessionNutation{T: tc, DPsi: Angle(dpsi), DEps: Angle(deps), EpsA: Angle(e)}
	pn.BP = fw2m(g, p, s, e)
	pn.NPB = fw2m(g, p, s+dpsi, e+deps)
	pn.X, pn.Y = pn.NPB[2][0], pn.NPB[2][1]
	pn.S = Angle(sxy2FromPowers(pw, tc) - pn.X*pn.Y/2)
	pn.C2I = c2ixys(pn.X, pn.Y, float64(pn.S))
	pn.EO = Angle(eors(pn.NPB, float64(pn.S)))
	pn.EqEq = Angle(dpsi*math.Cos(e) + pw.poisson(&nutData().eect, tc)*1e-6*das2r)
	return pn
}

// s06 returns the CIO locator s (rad), IAU 2006/2000A, from the series of
// IERS Conventions 2010 Table 5.2d.
func s06(t, x, y float64) float64 {
	fa := fundamentalArgs(t)
	var w [5]float64
	w[0] = 94.0
	w[1] = 3808.65
	w[2] = -122.68
	w[3] = -72574.11
	w[4] = 27.98
	w5 := 15.62
	for i := len(sxy2Series) - 1; i >= 0; i-- {
		st := &sxy2Series[i]
		arg := 0.0
		for k, m := range st.m {
			if m != 0 {
				arg += float64(m) * fa[k]
			}
		}
		sn, cs := math.Sincos(arg)
		w[st.j] += st.s*sn + st.c*cs
	}
	v := w[0] + (w[1]+(w[2]+(w[3]+(w[4]+w5*t)*t)*t)*t)*t
	return v*1e-6*das2r - x*y/2
}

// sxy2FromPowers returns s + XY/2 (rad) from the power table.
func sxy2FromPowers(pw *argPowers, t float64) float64 {
	poly := 94.0 + (3808.65+(-122.68+(-72574.11+(27.98+15.62*t)*t)*t)*t)*t
	return (poly + pw.poisson(&nutData().sxy, t)) * 1e-6 * das2r
}

// eect returns the complementary terms of the equation of the equinoxes
// (rad), IERS Conventions 2010 Table 5.2e.
func eect(t float64) float64 {
	fa := fundamentalArgs(t)
	var w [2]float64
	for i := len(eectSeries) - 1; i >= 0; i-- {
		st := &eectSeries[i]
		arg := 0.0
		for k, m := range st.m {
			if m != 0 {
				arg += float64(m) * fa[k]
			}
		}
		sn, cs := math.Sincos(arg)
		w[st.j] += st.s*sn + st.c*cs
	}
	return (w[0] + w[1]*t) * 1e-6 * das2r
}

// c2ixys forms the GCRS→CIRS matrix from X, Y and s.
func c2ixys(x, y, s float64) Matrix {
	r2 := x*x + y*y
	e := 0.0
	if r2 > 0 {
		e = math.Atan2(y, x)
	}
	d := math.Atan(math.Sqrt(r2 / (1 - r2)))
	r := identity()
	r = rotZ(e, r)
	r = rotY(d, r)
	r = rotZ(-(e + s), r)
	return r
}

// eors returns the equation of the origins from the NPB matrix and s.
func eors(rnpb Matrix, s float64) float64 {
	x := rnpb[2][0]
	ax := x / (1 + rnpb[2][2])
	xs := 1 - ax*x
	ys := -ax * rnpb[2][1]
	zs := -x
	p := rnpb[0][0]*xs + rnpb[0][1]*ys + rnpb[0][2]*zs
	q := rnpb[1][0]*xs + rnpb[1][1]*ys + rnpb[1][2]*zs
	if p != 0 || q != 0 {
		return s - math.Atan2(q, p)
	}
	return s
}
