//go:build erfa

package erfacheck

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

const (
	das2r = math.Pi / (180 * 3600)
	mas   = das2r / 1000
	dj00  = 2451545.0
)

// worst tracks the largest error of one comparison.
type worst struct {
	name      string
	max, tol  float64
	unit      string
	at        string
	n, failed int
}

func (w *worst) add(err float64, at string) {
	w.n++
	if math.IsNaN(err) {
		err = math.Inf(1)
	}
	if err > w.max {
		w.max, w.at = err, at
	}
	if err > w.tol {
		w.failed++
	}
}

func (w *worst) report(t *testing.T) {
	t.Helper()
	t.Logf("%-28s worst %.3g %s over %d inputs (tolerance %.3g)%s", w.name, w.max, w.unit, w.n, w.tol, w.at)
	if w.failed > 0 {
		t.Errorf("%s: %d of %d inputs beyond %.3g %s (worst %.3g at %s)", w.name, w.failed, w.n, w.tol, w.unit, w.max, w.at)
	}
}

func angErr(a, b float64) float64 { return math.Abs(math.Remainder(a-b, 2*math.Pi)) }

func sep(a1, d1, a2, d2 float64) float64 { return Seps(a1, d1, a2, d2) }

func fmtJD(a, b float64) string { return " (jd " + ftoa(a+b) + ")" }

func ftoa(x float64) string {
	return string(append([]byte(nil), []byte(formatFloat(x))...))
}

func formatFloat(x float64) string { return strconvFormat(x) }

func TestNutationPrecessionEarthRotation(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	wdp := &worst{name: "Δψ vs nut06a", tol: 0.05, unit: "mas"}
	wde := &worst{name: "Δε vs nut06a", tol: 0.05, unit: "mas"}
	wbp := &worst{name: "Δψ 2000B vs nut00b (+06 adj)", tol: 0.05, unit: "mas"}
	wnpb := &worst{name: "NPB vs pnm06a", tol: 0.05, unit: "mas"}
	wc2i := &worst{name: "C2I vs c2i06a", tol: 0.05, unit: "mas"}
	wob := &worst{name: "εA vs obl06", tol: 0.001, unit: "mas"}
	wgm := &worst{name: "GMST vs gmst06", tol: 0.01, unit: "mas"}
	wga := &worst{name: "GAST vs gst06a", tol: 0.05, unit: "mas"}
	wer := &worst{name: "ERA vs era00", tol: 0.001, unit: "mas"}
	for i := 0; i < 3000; i++ {
		d2 := (rng.Float64()*2 - 1) * 73000 // 1800-2200
		tt := astro.MustTime(astro.TT, dj00, d2)
		at := fmtJD(dj00, d2)
		dp, de := astro.Nutation(tt)
		edp, ede := Nut06a(dj00, d2)
		wdp.add(math.Abs(float64(dp)-edp)/mas, at)
		wde.add(math.Abs(float64(de)-ede)/mas, at)
		bp, _ := astro.Nutation2000B(tt)
		ebp, _ := Nut00b(dj00, d2)
		tc := d2 / 36525
		ebp *= 1 + 0.4697e-6 - 2.7774e-6*tc
		wbp.add(math.Abs(float64(bp)-ebp)/mas, at)
		pn := astro.NewPrecessionNutation(tt)
		r := Pnm06a(dj00, d2)
		c := C2i06a(dj00, d2)
		var e1, e2 float64
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				e1 = math.Max(e1, math.Abs(pn.NPB[a][b]-r[a][b]))
				e2 = math.Max(e2, math.Abs(pn.C2I[a][b]-c[a][b]))
			}
		}
		wnpb.add(e1/mas, at)
		wc2i.add(e2/mas, at)
		wob.add(math.Abs(float64(astro.MeanObliquity(tt))-Obl06(dj00, d2))/mas, at)
		// Earth rotation: a UT1 instant with DUT1 random; TT from the astro conversion.
		u := astro.MustTime(astro.UT1, dj00, d2*0.25+rng.Float64())
		u1, u2 := u.JD()
		t1, t2 := u.TT().JD()
		wgm.add(angErr(float64(astro.GMST(u)), Gmst06(u1, u2, t1, t2))/mas, at)
		wga.add(angErr(float64(astro.GAST(u)), Gst06a(u1, u2, t1, t2))/mas, at)
		wer.add(angErr(float64(astro.ERA(u)), Era00(u1, u2))/mas, at)
	}
	for _, w := range []*worst{wdp, wde, wbp, wnpb, wc2i, wob, wgm, wga, wer} {
		w.report(t)
	}
}

func TestTimeCalendar(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	wtai := &worst{name: "UTC→TAI vs utctai", tol: 1, unit: "µs"}
	wcal := &worst{name: "CalendarToJD vs cal2jd", tol: 0, unit: "day"}
	for i := 0; i < 5000; i++ {
		mjd := 37300 + rng.Float64()*(62000-37300) // 1961-2028
		u, _ := astro.FromMJD(astro.UTC, mjd)
		a1, a2 := u.TAI().JD()
		e1, e2, st := Utctai(2400000.5, mjd)
		if st < 0 {
			t.Fatalf("utctai status %d", st)
		}
		wtai.add(math.Abs((a1-e1)+(a2-e2))*86400e6, fmtJD(2400000.5, mjd))
		y := rng.Intn(8000) - 4000
		m := rng.Intn(12) + 1
		d := rng.Intn(astro.DaysInMonth(y, m, astro.Gregorian)) + 1
		jd, err := astro.CalendarToJD(y, m, float64(d), astro.Gregorian)
		c1, c2, st := Cal2jd(y, m, d)
		if err != nil || st != 0 {
			continue
		}
		wcal.add(math.Abs(jd-(c1+c2)), "")
	}
	wtai.report(t)
	wcal.report(t)
}

func TestPlacesAndFrames(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	wapp := &worst{name: "Apparent vs atci13−EO", tol: 0.1, unit: "mas"}
	wcirs := &worst{name: "ApparentCIRS vs atci13", tol: 0.1, unit: "mas"}
	waz := &worst{name: "Az·cos(alt) vs atco13", tol: 0.1, unit: "mas"}
	walt := &worst{name: "Alt (refracted) vs atco13", tol: 0.1, unit: "mas"}
	walt0 := &worst{name: "Alt (no refraction) vs atco13", tol: 0.1, unit: "mas"}
	wfk := &worst{name: "FK4ToFK5Star vs fk425", tol: 0.01, unit: "mas"}
	wfkz := &worst{name: "FK4ToFK5AtEpoch vs fk45z", tol: 0.01, unit: "mas"}
	wref := &worst{name: "RefractionConstants vs refco", tol: 1e-6, unit: "mas"}
	wecl := &worst{name: "ICRSToEcliptic vs eqec06", tol: 0.01, unit: "mas"}
	wgal := &worst{name: "ICRSToGalactic vs icrs2g", tol: 0.001, unit: "mas"}
	wsep := &worst{name: "Separation vs seps", tol: 1e-6, unit: "mas"}
	wpa := &worst{name: "PositionAngle vs pas (sep>1″)", tol: 1e-3, unit: "mas"}
	wpar := &worst{name: "ParallacticAngle vs hd2pa", tol: 1e-6, unit: "mas"}
	whd := &worst{name: "EquatorialToHorizontal vs hd2ae", tol: 1e-6, unit: "mas"}
	for i := 0; i < 2000; i++ {
		ra := rng.Float64() * 2 * math.Pi
		dec := math.Asin(rng.Float64()*2 - 1)
		pmra := (rng.Float64()*2 - 1) * 500 // mas/yr (× cos δ)
		pmdec := (rng.Float64()*2 - 1) * 500
		px := rng.Float64() * 200 // mas
		rv := (rng.Float64()*2 - 1) * 100
		star := astro.Star{RA: astro.Rad(ra), Dec: astro.Rad(dec), PMRA: pmra, PMDec: pmdec, Parallax: px, RV: rv}
		pr := pmra * mas / math.Cos(dec)
		pd := pmdec * mas
		// Apparent, geocentric, 1900-2100 (TDB ≈ TT).
		d2 := (rng.Float64()*2 - 1) * 36525
		tt := astro.MustTime(astro.TT, dj00, d2)
		at := fmtJD(dj00, d2)
		g, _ := astro.NewGeocentric(tt)
		ri, di, eo := Atci13(ra, dec, pr, pd, px/1000, rv, dj00, d2)
		a1, b1 := g.Apparent(star)
		wapp.add(sep(float64(a1), float64(b1), ri-eo, di)/mas, at)
		a2, b2 := g.ApparentCIRS(star)
		wcirs.add(sep(float64(a2), float64(b2), ri, di)/mas, at)

		// Observed, 1975-2030, random site, EOP and weather.
		mjd := 42413 + rng.Float64()*(62502-42413)
		dut1 := math.Round((rng.Float64()*2-1)*0.8e9) / 1e9 // a whole number of ns, as a Duration holds
		xp := (rng.Float64()*2 - 1) * 0.5 * das2r
		yp := (rng.Float64()*2 - 1) * 0.5 * das2r
		lon := (rng.Float64()*2 - 1) * math.Pi
		lat := math.Asin(rng.Float64()*2 - 1)
		h := rng.Float64() * 5000
		w := astro.Weather{PressureHPa: 500 + rng.Float64()*550, TemperatureC: rng.Float64()*50 - 20, RelativeHumidity: rng.Float64(), WavelengthMicron: 0.4 + rng.Float64()}
		u, _ := astro.FromMJD(astro.UTC, mjd)
		u = u.WithEOP(astro.EOP{DUT1: time.Duration(math.Round(dut1 * 1e9)), XP: astro.Rad(xp), YP: astro.Rad(yp)})
		site := astro.Site{Lon: astro.Rad(lon), Lat: astro.Rad(lat), Height: h}
		ctx, err := astro.NewTopocentric(u, site, &w)
		if err != nil {
			t.Fatal(err)
		}
		o := ctx.Observed(star)
		aob, zob, _, _, _, st := Atco13(ra, dec, pr, pd, px/1000, rv, 2400000.5, mjd, dut1, lon, lat, h, xp, yp, w.PressureHPa, w.TemperatureC, w.RelativeHumidity, w.WavelengthMicron)
		at2 := fmtJD(2400000.5, mjd)
		if st >= 0 && math.Pi/2-zob > 10*math.Pi/180 {
			walt.add(math.Abs(float64(o.AltRefracted)-(math.Pi/2-zob))/mas, at2)
		}
		aob0, zob0, _, _, _, _ := Atco13(ra, dec, pr, pd, px/1000, rv, 2400000.5, mjd, dut1, lon, lat, h, xp, yp, 0, w.TemperatureC, w.RelativeHumidity, w.WavelengthMicron)
		walt0.add(math.Abs(float64(o.Alt)-(math.Pi/2-zob0))/mas, at2)
		waz.add(angErr(float64(o.Az), aob0)*math.Cos(float64(o.Alt))/mas, at2)
		_ = aob

		// FK4 → FK5.
		fr, fd, fdr, fdd, fp, fv := Fk425(ra, dec, pr/100, pd/100, px/1000/10, rv)
		r2as := 180 * 3600 / math.Pi
		s5 := astro.FK4ToFK5Star(astro.FK4Star{RA: astro.Rad(ra), Dec: astro.Rad(dec), PMRA: pr / 100 * r2as, PMDec: pd / 100 * r2as, Parallax: px / 1000 / 10, RV: rv})
		wfk.add(sep(float64(s5.RA), float64(s5.Dec), fr, fd)/mas, "")
		_, _, _, _ = fdr, fdd, fp, fv
		ep := 1900 + rng.Float64()*100
		zr, zd := Fk45z(ra, dec, ep)
		gr, gd := astro.FK4ToFK5AtEpoch(astro.Rad(ra), astro.Rad(dec), ep)
		wfkz.add(sep(float64(gr), float64(gd), zr, zd)/mas, "")

		// Refraction constants.
		ea, eb := Refco(w.PressureHPa, w.TemperatureC, w.RelativeHumidity, w.WavelengthMicron)
		ga, gb := astro.RefractionConstants(w)
		wref.add(math.Max(math.Abs(ga-ea), math.Abs(gb-eb))/mas, "")

		// Frames.
		el, eb2 := Eqec06(dj00, d2, ra, dec)
		l, b := astro.ICRSToEcliptic(tt, astro.Rad(ra), astro.Rad(dec))
		wecl.add(sep(float64(l), float64(b), el, eb2)/mas, at)
		gl, gb2 := Icrs2g(ra, dec)
		l, b = astro.ICRSToGalactic(astro.Rad(ra), astro.Rad(dec))
		wgal.add(sep(float64(l), float64(b), gl, gb2)/mas, "")

		// Separation and position angle: random, tiny and near-antipodal pairs.
		var ra2, dec2 float64
		switch i % 3 {
		case 0:
			ra2, dec2 = rng.Float64()*2*math.Pi, math.Asin(rng.Float64()*2-1)
		case 1:
			ra2, dec2 = ra+(rng.Float64()-0.5)*1e-6, dec+(rng.Float64()-0.5)*1e-6
		case 2:
			ra2, dec2 = ra+math.Pi+(rng.Float64()-0.5)*1e-6, -dec+(rng.Float64()-0.5)*1e-6
		}
		if math.Abs(dec2) < math.Pi/2 {
			s := astro.Separation(astro.Rad(ra), astro.Rad(dec), astro.Rad(ra2), astro.Rad(dec2))
			es := Seps(ra, dec, ra2, dec2)
			wsep.add(math.Abs(float64(s)-es)/mas, "")
			if es > das2r && es < math.Pi-das2r {
				pa := astro.PositionAngle(astro.Rad(ra), astro.Rad(dec), astro.Rad(ra2), astro.Rad(dec2))
				wpa.add(angErr(float64(pa), Pas(ra, dec, ra2, dec2))/mas, "")
			}
		}
		ha := (rng.Float64()*2 - 1) * math.Pi
		wpar.add(angErr(float64(astro.ParallacticAngle(astro.Rad(ha), astro.Rad(dec), astro.Rad(lat))), Hd2pa(ha, dec, lat))/mas, "")
		za, ze := astro.EquatorialToHorizontal(astro.Rad(ha), astro.Rad(dec), astro.Rad(lat))
		ea2, ee2 := Hd2ae(ha, dec, lat)
		whd.add(math.Max(angErr(float64(za), ea2)*math.Cos(ee2), math.Abs(float64(ze)-ee2))/mas, "")
	}
	for _, w := range []*worst{wapp, wcirs, waz, walt, walt0, wfk, wfkz, wref, wecl, wgal, wsep, wpa, wpar, whd} {
		w.report(t)
	}
}

// The Earth's barycentric state behind aberration and parallax, against ERFA
// epv00 (itself a fit to DE405 good to a few km and ~1 mm/s over 1900-2100).
func TestEarthState(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	wp := &worst{name: "Earth bary position vs epv00", tol: 2e-6, unit: "au"}
	wv := &worst{name: "Earth bary velocity vs epv00", tol: 0.1, unit: "m/s"}
	wh := &worst{name: "Earth helio position vs epv00", tol: 1e-6, unit: "au"}
	for i := 0; i < 1000; i++ {
		d2 := (rng.Float64()*2 - 1) * 36525
		g, _ := astro.NewGeocentric(astro.MustTime(astro.TDB, dj00, d2))
		pb, vb, ph := g.Observer()
		eph, _, epb, evb := Epv00(dj00, d2)
		var dp, dv, dh float64
		for k := 0; k < 3; k++ {
			dp = math.Max(dp, math.Abs(pb[k]-epb[k]))
			dv = math.Max(dv, math.Abs(vb[k]-evb[k]))
			dh = math.Max(dh, math.Abs(ph[k]-eph[k]))
		}
		wp.add(dp, fmtJD(dj00, d2))
		wv.add(dv*149597870700/86400, fmtJD(dj00, d2))
		wh.add(dh, fmtJD(dj00, d2))
	}
	wp.report(t)
	wv.report(t)
	wh.report(t)
}
