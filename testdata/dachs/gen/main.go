// Command gen writes obs.csv, the small ObsCore table that the test DaCHS
// server publishes (testdata/dachs/q.rd). It is deterministic: the same
// seed always gives the same bytes, so the committed obs.csv can be checked
// with
//
//	go run ./testdata/dachs/gen -o /tmp/obs.csv && cmp /tmp/obs.csv testdata/dachs/obs.csv
//
// The observations are invented, but shaped like real archive holdings:
// real facilities and instruments with their typical fields of view,
// wavelength ranges and exposure times, real targets at their catalogued
// J2000 positions (rounded; from SIMBAD), proposal identifiers in each
// observatory's own style, and times between 2018 and 2024.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

type instrument struct {
	facility, name, collection string
	product                    string  // dataproduct_type
	fovDeg                     float64 // s_fov
	resArcsec                  float64 // s_resolution
	pixArcsec                  float64 // s_pixel_scale
	xel                        int64   // s_xel1 = s_xel2
	emMin, emMax               float64 // metres
	oUCD                       string
	expMin, expMax             float64 // seconds
	proposal                   func(r *rand.Rand, year, month int) string
	obsID                      func(r *rand.Rand, mjd float64, n int) string
	format                     string
}

// esoProp writes an ESO programme id; periods are half-years, P100 being
// October 2017 to March 2018.
func esoProp(r *rand.Rand, year, month int) string {
	period := 100 + 2*(year-2018)
	if month >= 4 {
		period++
	}
	if month >= 10 {
		period++
	}
	return fmt.Sprintf("%d.%c-%04d(%c)", period, "ABCDEFGHLM"[r.IntN(10)], r.IntN(2000), 'A'+rune(r.IntN(3)))
}

func esoID(instr string) func(r *rand.Rand, mjd float64, n int) string {
	return func(r *rand.Rand, mjd float64, n int) string {
		y, mo, d, h, mi, s := civil(mjd)
		return fmt.Sprintf("%s.%04d-%02d-%02dT%02d:%02d:%06.3f", instr, y, mo, d, h, mi, s)
	}
}

func hstProp(r *rand.Rand, year, month int) string {
	return strconv.Itoa(14000 + (year-2017)*700 + r.IntN(700))
}

func hstID(prefix string) func(r *rand.Rand, mjd float64, n int) string {
	const alnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	return func(r *rand.Rand, mjd float64, n int) string {
		b := []byte(prefix)
		for i := 0; i < 8-len(prefix); i++ {
			b = append(b, alnum[r.IntN(len(alnum))])
		}
		return string(b) + "q"
	}
}

// geminiProp writes a Gemini programme id; semester A is February to July,
// B August to January.
func geminiProp(site string) func(r *rand.Rand, year, month int) string {
	return func(r *rand.Rand, year, month int) string {
		sem := byte('A')
		switch {
		case month == 1:
			year, sem = year-1, 'B'
		case month >= 8:
			sem = 'B'
		}
		return fmt.Sprintf("%s-%d%c-%s-%d", site, year, sem, []string{"Q", "FT", "DD", "LP"}[r.IntN(4)], 1+r.IntN(400))
	}
}

func geminiID(site string) func(r *rand.Rand, mjd float64, n int) string {
	return func(r *rand.Rand, mjd float64, n int) string {
		y, mo, d, _, _, _ := civil(mjd)
		return fmt.Sprintf("%s%04d%02d%02dS%04d", site, y, mo, d, 1+n%900)
	}
}

func swiftProp(r *rand.Rand, year, month int) string {
	return fmt.Sprintf("%d", 1500000+(year-2017)*100000+r.IntN(90000))
}

func swiftID(r *rand.Rand, mjd float64, n int) string {
	return fmt.Sprintf("%08d%03d", 30000000+r.IntN(9000000), 1+r.IntN(30))
}

var instruments = []instrument{
	{"ESO-VLT-U1", "FORS2", "ESO/VLT", "image", 6.8 / 60, 0.8, 0.25, 2048, 3.3e-7, 1.1e-6, "phot.flux.density;em.opt", 10, 1800, esoProp, esoID("FORS2"), "image/fits"},
	{"ESO-VLT-U2", "UVES", "ESO/VLT", "spectrum", 10.0 / 3600, 0.7, 0.18, 4096, 3.0e-7, 1.1e-6, "phot.flux.density;em.wl", 300, 5400, esoProp, esoID("UVES"), "image/fits"},
	{"ESO-VLT-U3", "SPHERE", "ESO/VLT", "image", 11.0 / 3600, 0.04, 0.01225, 1024, 9.5e-7, 2.3e-6, "phot.flux.density;em.IR.NIR", 4, 64, esoProp, esoID("SPHERE"), "image/fits"},
	{"ESO-VLT-U4", "MUSE", "ESO/VLT", "cube", 1.0 / 60, 0.8, 0.2, 300, 4.65e-7, 9.3e-7, "phot.flux.density;em.opt", 300, 1800, esoProp, esoID("MUSE"), "image/fits"},
	{"ESO-VLT-U4", "HAWKI", "ESO/VLT", "image", 7.5 / 60, 0.6, 0.106, 4096, 9.7e-7, 2.5e-6, "phot.flux.density;em.IR.NIR", 10, 120, esoProp, esoID("HAWKI"), "image/fits"},
	{"HST", "ACS", "HST", "image", 202.0 / 3600, 0.1, 0.05, 4096, 2.0e-7, 1.1e-6, "phot.flux.density;em.opt", 100, 2400, hstProp, hstID("j"), "image/fits"},
	{"HST", "WFC3", "HST", "image", 162.0 / 3600, 0.08, 0.04, 4096, 2.0e-7, 1.7e-6, "phot.flux.density;em.opt", 100, 2700, hstProp, hstID("i"), "image/fits"},
	{"HST", "COS", "HST", "spectrum", 2.5 / 3600, 0.5, 0.1, 16384, 9.0e-8, 3.2e-7, "phot.flux.density;em.UV", 300, 5000, hstProp, hstID("l"), "image/fits"},
	{"HST", "STIS", "HST", "spectrum", 52.0 / 3600, 0.05, 0.05, 1024, 1.15e-7, 1.03e-6, "phot.flux.density;em.UV", 200, 3000, hstProp, hstID("o"), "image/fits"},
	{"Gemini-North", "GMOS-N", "Gemini", "image", 5.5 / 60, 0.6, 0.0807, 6144, 3.6e-7, 1.03e-6, "phot.flux.density;em.opt", 30, 1200, geminiProp("GN"), geminiID("N"), "image/fits"},
	{"Gemini-North", "NIRI", "Gemini", "image", 2.0 / 60, 0.5, 0.117, 1024, 1.0e-6, 5.0e-6, "phot.flux.density;em.IR.NIR", 5, 120, geminiProp("GN"), geminiID("N"), "image/fits"},
	{"Gemini-South", "GMOS-S", "Gemini", "spectrum", 5.5 / 60, 0.6, 0.08, 6144, 3.6e-7, 1.03e-6, "phot.flux.density;em.wl", 300, 2400, geminiProp("GS"), geminiID("S"), "image/fits"},
	{"Gemini-South", "F2", "Gemini", "image", 6.1 / 60, 0.5, 0.18, 2048, 9.0e-7, 2.4e-6, "phot.flux.density;em.IR.NIR", 10, 180, geminiProp("GS"), geminiID("S"), "image/fits"},
	{"Swift", "XRT", "Swift", "event", 23.6 / 60, 18, 2.36, 600, 2.1e-10, 4.1e-9, "phot.count;em.X-ray", 300, 3000, swiftProp, swiftID, "application/x-fits-bintable"},
	{"Swift", "UVOT", "Swift", "image", 17.0 / 60, 2.5, 0.502, 2048, 1.7e-7, 6.5e-7, "phot.flux.density;em.UV", 100, 2000, swiftProp, swiftID, "image/fits"},
}

type target struct {
	name, class string
	ra, dec     float64
}

// Catalogued J2000 positions, rounded (SIMBAD).
var targets = []target{
	{"M31", "galaxy", 10.6847, 41.2690},
	{"M33", "galaxy", 23.4621, 30.6599},
	{"M42", "HII region", 83.8221, -5.3911},
	{"M51", "galaxy", 202.4696, 47.1952},
	{"M57", "planetary nebula", 283.3962, 33.0291},
	{"M87", "galaxy", 187.7059, 12.3911},
	{"M104", "galaxy", 189.9976, -11.6231},
	{"NGC 253", "galaxy", 11.8880, -25.2882},
	{"NGC 1068", "Seyfert 2 galaxy", 40.6696, -0.0133},
	{"NGC 4993", "galaxy", 197.4488, -23.3839},
	{"NGC 5128", "galaxy", 201.3651, -43.0191},
	{"NGC 6397", "globular cluster", 265.1754, -53.6744},
	{"47 Tuc", "globular cluster", 6.0224, -72.0815},
	{"Omega Cen", "globular cluster", 201.6970, -47.4795},
	{"Crab Nebula", "supernova remnant", 83.6331, 22.0145},
	{"Cas A", "supernova remnant", 350.8500, 58.8150},
	{"SN 1987A", "supernova", 83.8667, -69.2697},
	{"Eta Carinae", "star", 161.2648, -59.6845},
	{"Betelgeuse", "star", 88.7929, 7.4071},
	{"Proxima Centauri", "star", 217.4289, -62.6795},
	{"Barnard's Star", "star", 269.4521, 4.6934},
	{"TRAPPIST-1", "star", 346.6224, -5.0414},
	{"HD 209458", "star", 330.7950, 18.8843},
	{"Vega", "star", 279.2347, 38.7837},
	{"Sgr A*", "black hole", 266.4168, -29.0078},
	{"Cyg X-1", "X-ray binary", 299.5903, 35.2016},
	{"3C 273", "quasar", 187.2779, 2.0524},
	{"PKS 2155-304", "BL Lac", 329.7169, -30.2256},
	{"LMC", "galaxy", 80.8938, -69.7561},
	{"SMC", "galaxy", 13.1867, -72.8286},
	{"Abell 1689", "cluster of galaxies", 197.8729, -1.3411},
	{"Bullet Cluster", "cluster of galaxies", 104.6578, -55.9469},
	{"HUDF", "field", 53.1625, -27.7914},
	{"COSMOS", "field", 150.1192, 2.2058},
	{"rho Oph", "dark cloud", 246.7875, -24.5403},
	{"ρ Oph A", "dark cloud", 246.8250, -24.4000},
	{"Carina Nebula", "HII region", 161.2650, -59.8667},
	{"Pillars of Creation", "HII region", 274.7000, -13.8167},
	{"GW170817", "kilonova", 197.4504, -23.3815},
	{"AT 2018cow", "transient", 244.0003, 22.2681},
}

var pis = []string{
	"Rivera, A.", "Okafor, C.", "Lindqvist, M.", "Tanaka, H.", "Müller, J.", "Dubois, É.", "Kowalski, P.",
	"Nakamura, Y.", "García, L.", "O'Neill, S.", "Haddad, R.", "Chen, W.", "Petrov, I.", "Silva, F.",
	"Andersen, K.", "Mbeki, T.", "Rossi, G.", "Novak, E.", "Singh, P.", "Fischer, D.",
}

// civil converts an MJD to a UTC calendar date and time.
func civil(mjd float64) (y, mo, d, h, mi int, s float64) {
	days := math.Floor(mjd)
	frac := mjd - days
	// Fliegel & Van Flandern, from the Julian Day Number.
	l := int(days) + 2400001 + 68569
	n := 4 * l / 146097
	l -= (146097*n + 3) / 4
	i := 4000 * (l + 1) / 1461001
	l = l - 1461*i/4 + 31
	j := 80 * l / 2447
	d = l - 2447*j/80
	l = j / 11
	mo = j + 2 - 12*l
	y = 100*(n-49) + i + l
	secs := frac * 86400
	h = int(secs / 3600)
	mi = int(math.Mod(secs, 3600) / 60)
	s = math.Mod(secs, 60)
	return
}

func main() {
	out := flag.String("o", "obs.csv", "output file")
	n := flag.Int("n", 3000, "number of observations")
	seed := flag.Uint64("seed", 20261127, "random seed")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := csv.NewWriter(f)
	header := []string{"obs_id", "obs_publisher_did", "obs_collection", "obs_title", "dataproduct_type", "calib_level",
		"facility_name", "instrument_name", "target_name", "target_class", "s_ra", "s_dec", "s_fov", "s_region",
		"s_resolution", "s_pixel_scale", "s_xel1", "s_xel2", "t_min", "t_max", "t_exptime", "em_min", "em_max",
		"o_ucd", "access_url", "access_format", "access_estsize", "proposal_id", "obs_creator_name", "obs_release_date"}
	must(w.Write(header))
	r := rand.New(rand.NewPCG(*seed, 0x6172637365636f6e))
	seen := map[string]bool{}
	const mjd2018, mjd2025 = 58119.0, 60676.0
	for k := 0; k < *n; k++ {
		in := instruments[r.IntN(len(instruments))]
		tg := targets[r.IntN(len(targets))]
		mjd := mjd2018 + math.Floor(r.Float64()*(mjd2025-mjd2018)) + r.Float64()
		mjd = math.Round(mjd*86400) / 86400
		year, month, _, _, _, _ := civil(mjd)
		exp := math.Round(in.expMin + r.Float64()*(in.expMax-in.expMin))
		// Pointing: within a quarter of the field around the target.
		dRA := (r.Float64() - 0.5) * in.fovDeg / 2 / math.Cos(tg.dec*math.Pi/180)
		dDec := (r.Float64() - 0.5) * in.fovDeg / 2
		ra := math.Mod(tg.ra+dRA+360, 360)
		dec := tg.dec + dDec
		id := in.obsID(r, mjd, k)
		for seen[id] {
			id += "x"
		}
		seen[id] = true
		half := in.fovDeg / 2
		cosd := math.Cos(dec * math.Pi / 180)
		var poly []string
		for _, c := range [][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
			poly = append(poly, ff(math.Mod(ra+c[0]*half/cosd+360, 360), 6), ff(dec+c[1]*half, 6))
		}
		calib := 1 + r.IntN(3)
		size := int64(in.xel*in.xel*4/1024) + int64(r.IntN(2000))
		release := mjd + 365
		rec := []string{
			id,
			"ivo://arcsecond.test/obs?" + id,
			in.collection,
			fmt.Sprintf("%s %s of %s", in.name, in.product, tg.name),
			in.product,
			strconv.Itoa(calib),
			in.facility,
			in.name,
			tg.name,
			tg.class,
			ff(ra, 6), ff(dec, 6), ff(in.fovDeg, 6),
			strings.Join(poly, " "),
			ff(in.resArcsec, 4), ff(in.pixArcsec, 5),
			strconv.FormatInt(in.xel, 10), strconv.FormatInt(in.xel, 10),
			ff(mjd, 6), ff(mjd+exp/86400, 6), ff(exp, 1),
			strconv.FormatFloat(in.emMin, 'g', 4, 64), strconv.FormatFloat(in.emMax, 'g', 4, 64),
			in.oUCD,
			"http://localhost:8080/getproduct/arcsecond/" + strings.NewReplacer(":", "_").Replace(id) + ".fits",
			in.format,
			strconv.FormatInt(size, 10),
			in.proposal(r, year, month),
			pis[r.IntN(len(pis))],
			ff(release, 6),
		}
		must(w.Write(rec))
	}
	w.Flush()
	must(w.Error())
	must(f.Close())
}

func ff(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
