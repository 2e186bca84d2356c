package astro

import (
	"math"
	"sort"

	"github.com/arcsecond-go/arcsecond/internal/lazy"
)

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
// tables is 21; compile panics at init if a table ever exceeds the bound).
const (
	maxMultiplier = 24
	powStride     = 2*maxMultiplier + 1
)

// argPowers holds cos and sin of j·F_k for k < 14 and |j| <= maxMultiplier,
// at index k*powStride + maxMultiplier + j.
type argPowers struct {
	z [14 * powStride]complex128
}

// compiledSeries is a Poisson series compiled for the power table.
type compiledSeries struct {
	idx   []uint16 // power-table indices of the factors, term after term
	nfac  []uint8  // number of factors of each term
	coefs []float64
	ncoef int
}

// compile compiles a series, raising maxMult to the multipliers it uses.
func compile(ms [][14]int8, coefs [][]float64, maxMult *[14]int) compiledSeries {
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
				if a > maxMult[k] {
					maxMult[k] = a
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

// nutTables are the compiled series of nutation, the CIO locator and the
// equation of the equinoxes, built on first use: importing astro costs no
// work at init.
type nutTables struct {
	// maxMult is the largest multiplier of each argument in the series,
	// which bounds the power table (argPowers.fill).
	maxMult [14]int
	// sxy and eect are the s+XY/2 and equation-of-the-equinoxes series,
	// n2000B the IAU 2000B nutation; plan is the IAU 2000A nutation.
	sxy, eect, n2000B compiledSeries
	plan              nutPlan
}

var nutDataValue lazy.Value[*nutTables]

func nutData() *nutTables { return nutDataValue.MustGet(loadNutData) }

func loadNutData() *nutTables {
	d := new(nutTables)
	// The IAU 2000A multipliers: the plan evaluates that series from the
	// power table too.
	var ms [][14]int8
	for _, n := range nutSeries {
		ms = append(ms, n.m)
	}
	compile(ms, make([][]float64, len(ms)), &d.maxMult)
	buildNutPlan(&d.plan)
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
		return compile(ms, cf, &d.maxMult)
	}
	d.sxy = compilePow(sxy2Series[:])
	d.eect = compilePow(eectSeries[:])
	ms = ms[:0]
	var cf [][]float64
	for _, n := range nut2000BSeries {
		var m [14]int8
		copy(m[:5], n.m[:])
		ms = append(ms, m)
		cf = append(cf, []float64{n.ps, n.pst, n.pc, n.ec, n.ect, n.es})
	}
	d.n2000B = compile(ms, cf, &d.maxMult)
	return d
}

func (p *argPowers) fill(fa *[14]float64) {
	maxMult := &nutData().maxMult
	for k := 0; k < 14; k++ {
		base := k*powStride + maxMultiplier
		s, c := math.Sincos(fa[k])
		e := complex(c, s)
		p.z[base] = 1
		z := complex(1, 0)
		for j := 1; j <= maxMult[k]; j++ {
			z *= e // at most 21 steps: rounding growth ~1e-14, far below 1 µas
			p.z[base+j] = z
			p.z[base-j] = complex(real(z), -imag(z))
		}
	}
}

// nutation evaluates the IAU 2000A_R06 series from the power table (rad).
func (p *argPowers) nutation(t float64) (dpsi, deps float64) {
	return nutData().plan.eval(&p.z, t)
}

// nutPlan is the nutation series reordered for speed: the few terms with
// secular (t) coefficients first, then the rest; within each group the
// terms are sorted by their factor lists so that consecutive terms share
// partial products (a walk over the prefix trie of the arguments), which
// cuts the complex products from 3,200 to about 2,000; terms are also split
// by coefficient shape (with rates / with out-of-phase parts / in phase only).
type nutPlan struct {
	nRate  int       // terms [0, nRate) carry 8 coefficients
	nFull  int       // terms [nRate, nRate+nFull) carry 4, the rest 2 (in phase only)
	lcp    []uint8   // common prefix length with the previous term
	nfac   []uint8   // factors per term
	idx    []uint16  // factor power-table indices, term after term
	coef8  []float64 // ps, pc, ec, es, ps1, pc1, ec1, es1 for rate terms
	coef4  []float64 // ps, pc, ec, es for the next group
	coef2  []float64 // ps, ec for the in-phase-only terms
	nmults int
}

func buildNutPlan(pl *nutPlan) {
	type term struct {
		f []uint16
		k [8]float64
	}
	var rate, plain, inphase []term
	// Factors most used across the series go first in each term, which
	// lengthens the shared prefixes (1,990 products instead of 2,104).
	freq := map[uint16]int{}
	for _, n := range nutSeries {
		for k, v := range n.m {
			if v != 0 {
				freq[uint16(k*powStride+maxMultiplier+int(v))]++
			}
		}
	}
	for _, n := range nutSeries {
		var tm term
		for k, v := range n.m {
			if v != 0 {
				tm.f = append(tm.f, uint16(k*powStride+maxMultiplier+int(v)))
			}
		}
		sort.Slice(tm.f, func(i, j int) bool {
			a, b := tm.f[i], tm.f[j]
			if freq[a] != freq[b] {
				return freq[a] > freq[b]
			}
			return a < b
		})
		if len(tm.f) == 0 {
			tm.f = []uint16{maxMultiplier}
		}
		tm.k = [8]float64{n.ps, n.pc, n.ec, n.es, n.ps1, n.pc1, n.ec1, n.es1}
		switch {
		case n.ps1 != 0 || n.pc1 != 0 || n.ec1 != 0 || n.es1 != 0:
			rate = append(rate, tm)
		case n.pc != 0 || n.es != 0:
			plain = append(plain, tm)
		default:
			inphase = append(inphase, tm)
		}
	}
	less := func(a, b []uint16) bool {
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i] != b[i] {
				return a[i] < b[i]
			}
		}
		return len(a) < len(b)
	}
	sortTerms := func(ts []term) {
		sort.SliceStable(ts, func(i, j int) bool { return less(ts[i].f, ts[j].f) })
	}
	sortTerms(rate)
	sortTerms(plain)
	sortTerms(inphase)
	pl.nRate = len(rate)
	pl.nFull = len(plain)
	var prev []uint16
	for gi, group := range [][]term{rate, plain, inphase} {
		prev = nil
		for _, tm := range group {
			l := 0
			for l < len(prev) && l < len(tm.f) && prev[l] == tm.f[l] {
				l++
			}
			if l == len(tm.f) { // identical argument list cannot happen, but keep one product
				l--
			}
			pl.lcp = append(pl.lcp, uint8(l))
			pl.nfac = append(pl.nfac, uint8(len(tm.f)))
			pl.idx = append(pl.idx, tm.f...)
			pl.nmults += len(tm.f) - l
			switch gi {
			case 0:
				pl.coef8 = append(pl.coef8, tm.k[:]...)
			case 1:
				pl.coef4 = append(pl.coef4, tm.k[:4]...)
			default:
				pl.coef2 = append(pl.coef2, tm.k[0], tm.k[2])
			}
			prev = tm.f
		}
	}
}

func (pl *nutPlan) eval(tab *[14 * powStride]complex128, t float64) (dpsi, deps float64) {
	var stack [8]complex128
	stack[0] = 1
	var sp0, sp1, se0, se1 float64
	fi := 0
	idx := pl.idx
	nfac := pl.nfac
	lcp := pl.lcp
	// Each group restarts its prefix walk (l = 0 on its first term).
	a, b := 0, pl.nRate
	for i := a; i < b; i++ {
		n, l := int(nfac[i]), int(lcp[i])
		if i == a {
			l = 0
		}
		z := stack[l]
		f := idx[fi : fi+n : fi+n]
		for j := l; j < n; j++ {
			z *= tab[f[j]]
			stack[j+1] = z
		}
		fi += n
		c, s := real(z), imag(z)
		k := pl.coef8[8*(i-a) : 8*(i-a)+8 : 8*(i-a)+8]
		sp0 += k[0]*s + k[1]*c
		se0 += k[2]*c + k[3]*s
		sp1 += k[4]*s + k[5]*c
		se1 += k[6]*c + k[7]*s
	}
	a, b = b, b+pl.nFull
	for i := a; i < b; i++ {
		n, l := int(nfac[i]), int(lcp[i])
		if i == a {
			l = 0
		}
		z := stack[l]
		f := idx[fi : fi+n : fi+n]
		for j := l; j < n; j++ {
			z *= tab[f[j]]
			stack[j+1] = z
		}
		fi += n
		c, s := real(z), imag(z)
		k := pl.coef4[4*(i-a) : 4*(i-a)+4 : 4*(i-a)+4]
		sp0 += k[0]*s + k[1]*c
		se0 += k[2]*c + k[3]*s
	}
	a, b = b, len(nfac)
	c2 := pl.coef2
	for i := a; i < b; i++ {
		n, l := int(nfac[i]), int(lcp[i])
		if i == a {
			l = 0
		}
		z := stack[l]
		f := idx[fi : fi+n : fi+n]
		for j := l; j < n; j++ {
			z *= tab[f[j]]
			stack[j+1] = z
		}
		fi += n
		k := c2[2*(i-a) : 2*(i-a)+2 : 2*(i-a)+2]
		sp0 += k[0] * imag(z)
		se0 += k[1] * real(z)
	}
	return (sp0 + sp1*t) * 1e-6 * das2r, (se0 + se1*t) * 1e-6 * das2r
}

// poisson evaluates a compiled series with powers t^0..t^4 (10 coefficients
// per term), returning the sum in the table's unit.
func (p *argPowers) poisson(cs *compiledSeries, t float64) float64 {
	var w [5]float64
	fi := 0
	for i, nf := range cs.nfac {
		z := p.z[cs.idx[fi]]
		for _, j := range cs.idx[fi+1 : fi+int(nf)] {
			z *= p.z[j]
		}
		c, s := real(z), imag(z)
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
// instant t (any scale; evaluated in TT, TDB ≈ TT). Accuracy: the model's;
// agreement with ERFA nut06a within 0.011 mas over 1800-2200 and 0.03 mas
// over 1600-2400 (the planetary terms use the IERS 2003 fundamental
// arguments where ERFA keeps MHB2000's simplified ones). Cost: 5.2 to 8.8
// times less CPU than ERFA nut06a on the project's test machine
// (astro/internal/erfacheck/README.md). To reuse the work of
// one instant, see NewPrecessionNutation and NewGeocentric/NewTopocentric;
// for many instants within a few days, NutationInterpolator.
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

// nut2000B evaluates IAU 2000B (rad) with the power-table recurrence over
// its five linear Delaunay arguments (Simon et al. 1994).
func nut2000B(t float64) (dpsi, deps float64) {
	var fa [5]float64
	fa[0] = fmod(485868.249036+1717915923.2178*t, turnas) * das2r
	fa[1] = fmod(1287104.79305+129596581.0481*t, turnas) * das2r
	fa[2] = fmod(335779.526232+1739527262.8478*t, turnas) * das2r
	fa[3] = fmod(1072260.70369+1602961601.2090*t, turnas) * das2r
	fa[4] = fmod(450160.398036-6962890.5431*t, turnas) * das2r
	var z [5 * powStride]complex128
	for k := 0; k < 5; k++ {
		base := k*powStride + maxMultiplier
		sn, cs := math.Sincos(fa[k])
		e := complex(cs, sn)
		w := complex(1, 0)
		z[base] = w
		for j := 1; j <= 8; j++ {
			w *= e
			z[base+j] = w
			z[base-j] = complex(real(w), -imag(w))
		}
	}
	cs := &nutData().n2000B
	var sp, se float64
	fi := 0
	for i, nf := range cs.nfac {
		w := z[cs.idx[fi]]
		for _, j := range cs.idx[fi+1 : fi+int(nf)] {
			w *= z[j]
		}
		fi += int(nf)
		c, s := real(w), imag(w)
		k := cs.coefs[6*i : 6*i+6 : 6*i+6]
		sp += (k[0]+k[1]*t)*s + k[2]*c
		se += (k[3]+k[4]*t)*c + k[5]*s
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
