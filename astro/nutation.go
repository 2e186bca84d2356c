package astro

import "math"

// nutTerm is one argument of the IAU 2000A_R06 nutation series.
type nutTerm struct {
	m                                  [14]int8
	ps, pc, ps1, pc1, ec, es, ec1, es1 float64
}

// powTerm is a term of a Poisson series: (s sin ARG + c cos ARG)·t^j.
type powTerm struct {
	j    int
	m    [14]int8
	s, c float64
}

// nutBTerm is a luni-solar term of IAU 2000B.
type nutBTerm struct {
	m                        [5]int8
	ps, pst, ec, ect, pc, es float64
}

// fundamentalArgs returns the 14 fundamental arguments of the IERS
// Conventions 2003/2010 (eqs 5.43, 5.44) at t Julian centuries TDB (≈TT)
// since J2000, in radians: l, l', F, D, Ω, then the mean longitudes of
// Mercury … Neptune and the general precession in longitude pA.
func fundamentalArgs(t float64) [14]float64 {
	var a [14]float64
	a[0] = math.Mod(485868.249036+t*(1717915923.2178+t*(31.8792+t*(0.051635+t*(-0.00024470)))), turnas) * das2r
	a[1] = math.Mod(1287104.793048+t*(129596581.0481+t*(-0.5532+t*(0.000136+t*(-0.00001149)))), turnas) * das2r
	a[2] = math.Mod(335779.526232+t*(1739527262.8478+t*(-12.7512+t*(-0.001037+t*(0.00000417)))), turnas) * das2r
	a[3] = math.Mod(1072260.703692+t*(1602961601.2090+t*(-6.3706+t*(0.006593+t*(-0.00003169)))), turnas) * das2r
	a[4] = math.Mod(450160.398036+t*(-6962890.5431+t*(7.4722+t*(0.007702+t*(-0.00005939)))), turnas) * das2r
	a[5] = math.Mod(4.402608842+2608.7903141574*t, twoPi)
	a[6] = math.Mod(3.176146697+1021.3285546211*t, twoPi)
	a[7] = math.Mod(1.753470314+628.3075849991*t, twoPi)
	a[8] = math.Mod(6.203480913+334.0612426700*t, twoPi)
	a[9] = math.Mod(0.599546497+52.9690962641*t, twoPi)
	a[10] = math.Mod(0.874016757+21.3299104960*t, twoPi)
	a[11] = math.Mod(5.481293872+7.4781598567*t, twoPi)
	a[12] = math.Mod(5.311886287+3.8133035638*t, twoPi)
	a[13] = (0.02438175 + 0.00000538691*t) * t
	return a
}

// nutationDirect evaluates the IAU 2000A_R06 series term by term with
// math.Sincos (the reference implementation; see nutationFast). Result in
// radians.
func nutationDirect(t float64) (dpsi, deps float64) {
	fa := fundamentalArgs(t)
	var sp, se float64
	for i := len(nutSeries) - 1; i >= 0; i-- {
		n := &nutSeries[i]
		arg := 0.0
		for k, m := range n.m {
			if m != 0 {
				arg += float64(m) * fa[k]
			}
		}
		s, c := math.Sincos(arg)
		sp += (n.ps+n.ps1*t)*s + (n.pc+n.pc1*t)*c
		se += (n.ec+n.ec1*t)*c + (n.es+n.es1*t)*s
	}
	return sp * 1e-6 * das2r, se * 1e-6 * das2r
}

// Fast evaluation: every argument is an integer combination of the 14
// fundamental arguments, so exp(i·ARG) is a product of integer powers of
// exp(i·F_k). The powers come from a recurrence (repeated complex
// multiplication), which replaces 1320 sine/cosine calls by ~3 complex
// products per term.
type nutFactor struct {
	arg  uint8 // fundamental argument index
	mult int8  // multiplier
}

var (
	nutFactors  []nutFactor // all factors, term after term
	nutNFactors []uint8     // number of factors of each term
	nutMaxMult  [14]int
	nutCoefs    []float64 // 8 coefficients per term
)

func init() {
	for _, n := range nutSeries {
		c := 0
		for k, m := range n.m {
			if m != 0 {
				nutFactors = append(nutFactors, nutFactor{uint8(k), m})
				c++
				if a := int(m); a > nutMaxMult[k] {
					nutMaxMult[k] = a
				} else if -a > nutMaxMult[k] {
					nutMaxMult[k] = -a
				}
			}
		}
		nutNFactors = append(nutNFactors, uint8(c))
		nutCoefs = append(nutCoefs, n.ps, n.pc, n.ps1, n.pc1, n.ec, n.es, n.ec1, n.es1)
	}
}

// maxMultiplier bounds the power tables (the largest multiplier in the IAU
// 2000A tables is below 64).
const maxMultiplier = 64

// nutationFast evaluates the same series as nutationDirect with the
// recurrence; it agrees with it to a few nanoarcseconds.
func nutationFast(t float64) (dpsi, deps float64) {
	fa := fundamentalArgs(t)
	// powers[k][maxMultiplier+j] = exp(i j F_k)
	var pc, ps [14][2*maxMultiplier + 1]float64
	for k := 0; k < 14; k++ {
		s, c := math.Sincos(fa[k])
		pc[k][maxMultiplier], ps[k][maxMultiplier] = 1, 0
		cr, sr := 1.0, 0.0
		for j := 1; j <= nutMaxMult[k]; j++ {
			// Re-seed every 8 steps from sincos to bound rounding growth.
			if j%8 == 0 {
				sr, cr = math.Sincos(float64(j) * fa[k])
			} else {
				cr, sr = cr*c-sr*s, sr*c+cr*s
			}
			pc[k][maxMultiplier+j], ps[k][maxMultiplier+j] = cr, sr
			pc[k][maxMultiplier-j], ps[k][maxMultiplier-j] = cr, -sr
		}
	}
	var sp, se float64
	fi := 0
	coefs := nutCoefs
	for i, nf := range nutNFactors {
		f := nutFactors[fi]
		c := pc[f.arg][maxMultiplier+int(f.mult)]
		s := ps[f.arg][maxMultiplier+int(f.mult)]
		for _, f := range nutFactors[fi+1 : fi+int(nf)] {
			c2 := pc[f.arg][maxMultiplier+int(f.mult)]
			s2 := ps[f.arg][maxMultiplier+int(f.mult)]
			c, s = c*c2-s*s2, s*c2+c*s2
		}
		fi += int(nf)
		k := coefs[8*i : 8*i+8 : 8*i+8]
		sp += (k[0]+k[2]*t)*s + (k[1]+k[3]*t)*c
		se += (k[4]+k[6]*t)*c + (k[5]+k[7]*t)*s
	}
	return sp * 1e-6 * das2r, se * 1e-6 * das2r
}

// Nutation returns the nutation in longitude Δψ and in obliquity Δε of the
// IAU 2000A model with the IAU 2006 adjustments (IAU 2000A_R06, IERS
// Conventions 2010 Tables 5.3a/5.3b; the same model as ERFA nut06a), at the
// instant t (any scale; evaluated in TT, TDB ≈ TT). Accuracy: the model's,
// agreement with ERFA nut06a better than 0.01 mas. Cost: about a fifth of
// ERFA's (see BenchmarkNutation).
func Nutation(t Time) (dpsi, deps Angle) {
	a, b := nutationFast(t.TT().centuries())
	return Angle(a), Angle(b)
}

// Nutation2000B returns Δψ, Δε from IAU 2000B (McCarthy & Luzum 2003: 77
// luni-solar terms and a fixed planetary offset), the faster option: it
// differs from IAU 2000A by less than 1 mas between 1995 and 2050 and a few
// mas over 1900-2100. The IAU 2006 adjustments are applied, as in
// Nutation. t is evaluated in TT.
func Nutation2000B(t Time) (dpsi, deps Angle) {
	tc := t.TT().centuries()
	a, b := nut2000B(tc)
	fj2 := -2.7774e-6 * tc
	return Angle(a * (1 + 0.4697e-6 + fj2)), Angle(b * (1 + fj2))
}

func nut2000B(t float64) (dpsi, deps float64) {
	el := math.Mod(485868.249036+1717915923.2178*t, turnas) * das2r
	elp := math.Mod(1287104.79305+129596581.0481*t, turnas) * das2r
	f := math.Mod(335779.526232+1739527262.8478*t, turnas) * das2r
	d := math.Mod(1072260.70369+1602961601.2090*t, turnas) * das2r
	om := math.Mod(450160.398036-6962890.5431*t, turnas) * das2r
	var sp, se float64
	for i := len(nut2000BSeries) - 1; i >= 0; i-- {
		n := &nut2000BSeries[i]
		arg := math.Mod(float64(n.m[0])*el+float64(n.m[1])*elp+float64(n.m[2])*f+float64(n.m[3])*d+float64(n.m[4])*om, twoPi)
		s, c := math.Sincos(arg)
		sp += (n.ps+n.pst*t)*s + n.pc*c
		se += (n.ec+n.ect*t)*c + n.es*s
	}
	// Fixed offsets standing for the planetary terms (mas).
	sp += -0.135
	se += 0.388
	return sp * 1e-3 * das2r, se * 1e-3 * das2r
}
