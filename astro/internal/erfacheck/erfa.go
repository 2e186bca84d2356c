//go:build erfa

package erfacheck

/*
#cgo LDFLAGS: -lerfa -lm
#include <erfa.h>

static void nut06a(double a, double b, double *dp, double *de) { eraNut06a(a, b, dp, de); }
static void nut00b(double a, double b, double *dp, double *de) { eraNut00b(a, b, dp, de); }
static void pnm06a(double a, double b, double *r) { eraPnm06a(a, b, (double (*)[3])r); }
static void c2i06a(double a, double b, double *r) { eraC2i06a(a, b, (double (*)[3])r); }
static int atco13(double rc, double dc, double pr, double pd, double px, double rv,
                  double utc1, double utc2, double dut1, double elong, double phi, double hm,
                  double xp, double yp, double phpa, double tc, double rh, double wl,
                  double *aob, double *zob, double *hob, double *dob, double *rob, double *eo) {
	return eraAtco13(rc, dc, pr, pd, px, rv, utc1, utc2, dut1, elong, phi, hm, xp, yp, phpa, tc, rh, wl,
		aob, zob, hob, dob, rob, eo);
}
static void atci13(double rc, double dc, double pr, double pd, double px, double rv, double d1, double d2,
                   double *ri, double *di, double *eo) { eraAtci13(rc, dc, pr, pd, px, rv, d1, d2, ri, di, eo); }
static void fk425(double r, double d, double dr, double dd, double p, double v,
                  double *r2, double *d2, double *dr2, double *dd2, double *p2, double *v2) {
	eraFk425(r, d, dr, dd, p, v, r2, d2, dr2, dd2, p2, v2);
}
static void refco(double p, double t, double rh, double wl, double *a, double *b) { eraRefco(p, t, rh, wl, a, b); }
static int utctai(double u1, double u2, double *a1, double *a2) { return eraUtctai(u1, u2, a1, a2); }
static void eqec06(double d1, double d2, double r, double d, double *l, double *b) { eraEqec06(d1, d2, r, d, l, b); }
static void icrs2g(double r, double d, double *l, double *b) { eraIcrs2g(r, d, l, b); }
static void fk45z(double r, double d, double e, double *r2, double *d2) { eraFk45z(r, d, e, r2, d2); }
static int cal2jd(int y, int m, int d, double *a, double *b) { return eraCal2jd(y, m, d, a, b); }
static int epv00(double d1, double d2, double *ph, double *pb) {
	return eraEpv00(d1, d2, (double (*)[3])ph, (double (*)[3])pb);
}
static void hd2ae(double h, double d, double p, double *a, double *e) { eraHd2ae(h, d, p, a, e); }
*/
import "C"

// Thin Go wrappers over ERFA (radians, two-part Julian dates).

func Nut06a(d1, d2 float64) (dpsi, deps float64) {
	var a, b C.double
	C.nut06a(C.double(d1), C.double(d2), &a, &b)
	return float64(a), float64(b)
}

func Nut00b(d1, d2 float64) (dpsi, deps float64) {
	var a, b C.double
	C.nut00b(C.double(d1), C.double(d2), &a, &b)
	return float64(a), float64(b)
}

func Pnm06a(d1, d2 float64) (r [3][3]float64) {
	var m [9]C.double
	C.pnm06a(C.double(d1), C.double(d2), &m[0])
	for i := 0; i < 9; i++ {
		r[i/3][i%3] = float64(m[i])
	}
	return
}

func C2i06a(d1, d2 float64) (r [3][3]float64) {
	var m [9]C.double
	C.c2i06a(C.double(d1), C.double(d2), &m[0])
	for i := 0; i < 9; i++ {
		r[i/3][i%3] = float64(m[i])
	}
	return
}

func Gmst06(u1, u2, t1, t2 float64) float64 {
	return float64(C.eraGmst06(C.double(u1), C.double(u2), C.double(t1), C.double(t2)))
}

func Gst06a(u1, u2, t1, t2 float64) float64 {
	return float64(C.eraGst06a(C.double(u1), C.double(u2), C.double(t1), C.double(t2)))
}

func Era00(u1, u2 float64) float64 { return float64(C.eraEra00(C.double(u1), C.double(u2))) }

func Obl06(d1, d2 float64) float64 { return float64(C.eraObl06(C.double(d1), C.double(d2))) }

// Atco13 returns azimuth, zenith distance (observed), and status.
func Atco13(rc, dc, pr, pd, px, rv, utc1, utc2, dut1, elong, phi, hm, xp, yp, phpa, tc, rh, wl float64) (aob, zob, hob, dob, rob float64, status int) {
	var a, z, h, d, r, eo C.double
	s := C.atco13(C.double(rc), C.double(dc), C.double(pr), C.double(pd), C.double(px), C.double(rv),
		C.double(utc1), C.double(utc2), C.double(dut1), C.double(elong), C.double(phi), C.double(hm),
		C.double(xp), C.double(yp), C.double(phpa), C.double(tc), C.double(rh), C.double(wl),
		&a, &z, &h, &d, &r, &eo)
	return float64(a), float64(z), float64(h), float64(d), float64(r), int(s)
}

func Atci13(rc, dc, pr, pd, px, rv, d1, d2 float64) (ri, di, eo float64) {
	var a, b, c C.double
	C.atci13(C.double(rc), C.double(dc), C.double(pr), C.double(pd), C.double(px), C.double(rv), C.double(d1), C.double(d2), &a, &b, &c)
	return float64(a), float64(b), float64(c)
}

func Fk425(r, d, dr, dd, p, v float64) (r2, d2, dr2, dd2, p2, v2 float64) {
	var a, b, c, e, f, g C.double
	C.fk425(C.double(r), C.double(d), C.double(dr), C.double(dd), C.double(p), C.double(v), &a, &b, &c, &e, &f, &g)
	return float64(a), float64(b), float64(c), float64(e), float64(f), float64(g)
}

func Fk45z(r, d, e float64) (float64, float64) {
	var a, b C.double
	C.fk45z(C.double(r), C.double(d), C.double(e), &a, &b)
	return float64(a), float64(b)
}

func Refco(p, t, rh, wl float64) (float64, float64) {
	var a, b C.double
	C.refco(C.double(p), C.double(t), C.double(rh), C.double(wl), &a, &b)
	return float64(a), float64(b)
}

func Utctai(u1, u2 float64) (float64, float64, int) {
	var a, b C.double
	s := C.utctai(C.double(u1), C.double(u2), &a, &b)
	return float64(a), float64(b), int(s)
}

func Eqec06(d1, d2, r, d float64) (float64, float64) {
	var a, b C.double
	C.eqec06(C.double(d1), C.double(d2), C.double(r), C.double(d), &a, &b)
	return float64(a), float64(b)
}

func Icrs2g(r, d float64) (float64, float64) {
	var a, b C.double
	C.icrs2g(C.double(r), C.double(d), &a, &b)
	return float64(a), float64(b)
}

func Cal2jd(y, m, d int) (float64, float64, int) {
	var a, b C.double
	s := C.cal2jd(C.int(y), C.int(m), C.int(d), &a, &b)
	return float64(a), float64(b), int(s)
}

func Seps(al, ap, bl, bp float64) float64 {
	return float64(C.eraSeps(C.double(al), C.double(ap), C.double(bl), C.double(bp)))
}

func Pas(al, ap, bl, bp float64) float64 {
	return float64(C.eraPas(C.double(al), C.double(ap), C.double(bl), C.double(bp)))
}

func Hd2pa(h, d, p float64) float64 {
	return float64(C.eraHd2pa(C.double(h), C.double(d), C.double(p)))
}

func Hd2ae(h, d, p float64) (float64, float64) {
	var a, e C.double
	C.hd2ae(C.double(h), C.double(d), C.double(p), &a, &e)
	return float64(a), float64(e)
}

// Epv00 returns the Earth's heliocentric and barycentric position (au) and
// velocity (au/day), BCRS, at TDB date d1+d2.
func Epv00(d1, d2 float64) (ph, vh, pb, vb [3]float64) {
	var h, b [6]C.double
	C.epv00(C.double(d1), C.double(d2), &h[0], &b[0])
	for i := 0; i < 3; i++ {
		ph[i], vh[i] = float64(h[i]), float64(h[3+i])
		pb[i], vb[i] = float64(b[i]), float64(b[3+i])
	}
	return
}
