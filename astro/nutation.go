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
	a[0] = fmod(485868.249036+t*(1717915923.2178+t*(31.8792+t*(0.051635+t*(-0.00024470)))), turnas) * das2r
	a[1] = fmod(1287104.793048+t*(129596581.0481+t*(-0.5532+t*(0.000136+t*(-0.00001149)))), turnas) * das2r
	a[2] = fmod(335779.526232+t*(1739527262.8478+t*(-12.7512+t*(-0.001037+t*(0.00000417)))), turnas) * das2r
	a[3] = fmod(1072260.703692+t*(1602961601.2090+t*(-6.3706+t*(0.006593+t*(-0.00003169)))), turnas) * das2r
	a[4] = fmod(450160.398036+t*(-6962890.5431+t*(7.4722+t*(0.007702+t*(-0.00005939)))), turnas) * das2r
	a[5] = fmod(4.402608842+2608.7903141574*t, twoPi)
	a[6] = fmod(3.176146697+1021.3285546211*t, twoPi)
	a[7] = fmod(1.753470314+628.3075849991*t, twoPi)
	a[8] = fmod(6.203480913+334.0612426700*t, twoPi)
	a[9] = fmod(0.599546497+52.9690962641*t, twoPi)
	a[10] = fmod(0.874016757+21.3299104960*t, twoPi)
	a[11] = fmod(5.481293872+7.4781598567*t, twoPi)
	a[12] = fmod(5.311886287+3.8133035638*t, twoPi)
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
// multiplication, re-seeded every 8 steps), which replaces one sine/cosine
// pair per term by about two complex products per term. The power table is
// shared by the nutation, s + XY/2 and equation-of-the-equinoxes series.

// maxMultiplier bounds the power tables (the largest multiplier in the IERS
// tables is below 64; init checks).
const (
	maxMultiplier = 64
	powStride     = 2*maxMultiplier + 1
)

// argPowers holds cos and sin of j·F_k for k < 14 and |j| <= maxMultiplier,
// at index k*powStride + maxMultiplier + j.
type argPowers struct {
	c, s [14 * powStride]float64
}

var argMaxMult [14]int

// compiledSeries is a Poisson series compiled for the power table.
type compiledSeries struct {
	idx   []uint16 // power-table indices of the factors, term after term
	nfac  []uint8  // number of factors of each term
	coefs []float64
	ncoef int
}

func compile(ms [][14]int8, coefs [][]float64) compiledSeries {
	var cs compiledSeries
	for i, m := range ms {
		c := 0
		for k, v := range m {
			if v != 0 {
				if int(v) > maxMultiplier || -int(v) > maxMultiplier {
					panic("astro: nutation multiplier beyond the power table")
				}
				cs.idx = append(cs.idx, uint16(k*powStride+maxMultiplier+int(v)))
				c++
				a := int(v)
				if a < 0 {
					a = -a
				}
				if a > argMaxMult[k] {
					argMaxMult[k] = a
				}
			}
		}
		if c == 0 { // constant term: cos 0 = 1, sin 0 = 0
			cs.idx = append(cs.idx, uint16(maxMultiplier))
			c = 1
		}
		cs.nfac = append(cs.nfac, uint8(c))
		cs.coefs = append(cs.coefs, coefs[i]...)
		cs.ncoef = len(coefs[i])
	}
	return cs
}

var nutCompiled, sxyCompiled, eectCompiled compiledSeries

func init() {
	var ms [][14]int8
	var cf [][]float64
	for _, n := range nutSeries {
		ms = append(ms, n.m)
		cf = append(cf, []float64{n.ps, n.pc, n.ps1, n.pc1, n.ec, n.es, n.ec1, n.es1})
	}
	nutCompiled = compile(ms, cf)
	compilePow := func(terms []powTerm) compiledSeries {
		var ms [][14]int8
		var cf [][]float64
		for _, t := range terms {
			ms = append(ms, t.m)
			// coefficients of (s, c) for t^0..t^4
			var c [10]float64
			c[2*t.j], c[2*t.j+1] = t.s, t.c
			cf = append(cf, c[:])
		}
		return compile(ms, cf)
	}
	sxyCompiled = compilePow(sxy2Series[:])
	eectCompiled = compilePow(eectSeries[:])
}

func (p *argPowers) fill(fa *[14]float64) {
	for k := 0; k < 14; k++ {
		base := k*powStride + maxMultiplier
		s, c := math.Sincos(fa[k])
		p.c[base], p.s[base] = 1, 0
		cr, sr := 1.0, 0.0
		for j := 1; j <= argMaxMult[k]; j++ {
			if j%8 == 0 {
				sr, cr = math.Sincos(float64(j) * fa[k])
			} else {
				cr, sr = cr*c-sr*s, sr*c+cr*s
			}
			p.c[base+j], p.s[base+j] = cr, sr
			p.c[base-j], p.s[base-j] = cr, -sr
		}
	}
}

// nutation evaluates the IAU 2000A_R06 series from the power table (rad).
func (p *argPowers) nutation(t float64) (dpsi, deps float64) {
	var sp0, sp1, se0, se1 float64
	cs := &nutCompiled
	idx := cs.idx
	coefs := cs.coefs
	pc, ps := &p.c, &p.s
	fi := 0
	for i, nf := range cs.nfac {
		j := idx[fi]
		c, s := pc[j], ps[j]
		for _, j := range idx[fi+1 : fi+int(nf)] {
			c2, s2 := pc[j], ps[j]
			c, s = c*c2-s*s2, s*c2+c*s2
		}
		fi += int(nf)
		k := coefs[8*i : 8*i+8 : 8*i+8]
		sp0 += k[0]*s + k[1]*c
		sp1 += k[2]*s + k[3]*c
		se0 += k[4]*c + k[5]*s
		se1 += k[6]*c + k[7]*s
	}
	return (sp0 + sp1*t) * 1e-6 * das2r, (se0 + se1*t) * 1e-6 * das2r
}

// poisson evaluates a compiled series with powers t^0..t^4 (10 coefficients
// per term), returning the sum in the table's unit.
func (p *argPowers) poisson(cs *compiledSeries, t float64) float64 {
	var w [5]float64
	fi := 0
	for i, nf := range cs.nfac {
		j := cs.idx[fi]
		c, s := p.c[j], p.s[j]
		for _, j := range cs.idx[fi+1 : fi+int(nf)] {
			c2, s2 := p.c[j], p.s[j]
			c, s = c*c2-s*s2, s*c2+c*s2
		}
		fi += int(nf)
		k := cs.coefs[10*i : 10*i+10 : 10*i+10]
		for q := 0; q < 5; q++ {
			w[q] += k[2*q]*s + k[2*q+1]*c
		}
	}
	return w[0] + (w[1]+(w[2]+(w[3]+w[4]*t)*t)*t)*t
}

// nutationFast evaluates the same series as nutationDirect with the
// recurrence; it agrees with it to a few nanoarcseconds.
func nutationFast(t float64) (dpsi, deps float64) {
	fa := fundamentalArgs(t)
	var p argPowers
	p.fill(&fa)
	return p.nutation(t)
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
// keeps the pole within 1 mas of IAU 2000A between 1995 and 2050 (Δψ
// within 2.4 mas, Δε within 0.9 mas, as ERFA nut00b) and a few
// mas over 1900-2100. The IAU 2006 adjustments are applied, as in
// Nutation. t is evaluated in TT.
func Nutation2000B(t Time) (dpsi, deps Angle) {
	tc := t.TT().centuries()
	a, b := nut2000B(tc)
	fj2 := -2.7774e-6 * tc
	return Angle(a * (1 + 0.4697e-6 + fj2)), Angle(b * (1 + fj2))
}

func nut2000B(t float64) (dpsi, deps float64) {
	el := fmod(485868.249036+1717915923.2178*t, turnas) * das2r
	elp := fmod(1287104.79305+129596581.0481*t, turnas) * das2r
	f := fmod(335779.526232+1739527262.8478*t, turnas) * das2r
	d := fmod(1072260.70369+1602961601.2090*t, turnas) * das2r
	om := fmod(450160.398036-6962890.5431*t, turnas) * das2r
	var sp, se float64
	for i := len(nut2000BSeries) - 1; i >= 0; i-- {
		n := &nut2000BSeries[i]
		arg := fmod(float64(n.m[0])*el+float64(n.m[1])*elp+float64(n.m[2])*f+float64(n.m[3])*d+float64(n.m[4])*om, twoPi)
		s, c := math.Sincos(arg)
		sp += (n.ps+n.pst*t)*s + n.pc*c
		se += (n.ec+n.ect*t)*c + n.es*s
	}
	// Fixed offsets standing for the planetary terms (mas).
	sp += -0.135
	se += 0.388
	return sp * 1e-3 * das2r, se * 1e-3 * das2r
}

// fmod is math.Mod for the finite, moderate arguments of the series
// (|x/y| < 2^52): x − y·trunc(x/y). Go's math.Mod is exact but slow.
func fmod(x, y float64) float64 {
	return x - y*math.Trunc(x/y)
}
