// Command gen converts the published IERS, IERS/USNO and VSOP87 tables in
// ../shared/reference/data into the compact Go tables of package astro
// (astro/tables_gen.go). It records each input's sha256 in the output, so
// anyone can regenerate the file and compare.
//
// Usage (from the repository root):
//
//	go run ./astro/internal/gen -data ../shared/reference/data -out astro/tables_gen.go
//
// Inputs (see MANIFEST.tsv in the data folder for the repositories and commits):
//
//	iers2010/tab5.3a.txt  IAU 2000A_R06 nutation in longitude (IERS TN36 Table 5.3a)
//	iers2010/tab5.3b.txt  IAU 2000A_R06 nutation in obliquity (IERS TN36 Table 5.3b)
//	iers2010/tab5.2d.txt  s + XY/2 series (IERS TN36 Table 5.2d)
//	iers2010/tab5.2e.txt  complementary terms of the equation of the equinoxes (Table 5.2e)
//	eop/Leap_Second.dat   IERS Bulletin C leap seconds
//	eop/tai-utc.dat       USNO TAI-UTC with the 1961-1971 rate terms
//	iers2003/tab5.3a-first-table.txt  MHB2000 luni-solar nutation (first 77 rows: IAU 2000B)
//	deltat/Table-S15.2020.txt  ΔT spline −720..2019 (Morrison et al. 2021)
//	vsop87/VSOP87B.{ear,mer,ven,mar,jup,sat,ura,nep}  VSOP87B (Bretagnon & Francou 1988), truncated
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var dataDir = flag.String("data", "../shared/reference/data", "folder of the published tables")
var outFile = flag.String("out", "astro/tables_gen.go", "output Go file")

type fileSum struct{ name, sum string }

var sums []fileSum

func read(name string) []byte {
	b, err := os.ReadFile(filepath.Join(*dataDir, name))
	if err != nil {
		log.Fatal(err)
	}
	sums = append(sums, fileSum{name, fmt.Sprintf("%x", sha256.Sum256(b))})
	return b
}

// seriesRow is one row of an IERS table: two amplitudes, 14 multipliers.
type seriesRow struct {
	j    int
	a, b float64
	m    [14]int
}

var jRe = regexp.MustCompile(`^\s*j\s*=\s*(\d)`)

func parseIERS(name string) []seriesRow {
	var rows []seriesRow
	j := -1
	sc := bufio.NewScanner(bytes.NewReader(read(name)))
	for sc.Scan() {
		line := sc.Text()
		if m := jRe.FindStringSubmatch(line); m != nil {
			j, _ = strconv.Atoi(m[1])
			continue
		}
		if j < 0 {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 17 {
			continue
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			continue
		}
		var r seriesRow
		r.j = j
		var err error
		if r.a, err = strconv.ParseFloat(f[1], 64); err != nil {
			log.Fatalf("%s: %q: %v", name, line, err)
		}
		if r.b, err = strconv.ParseFloat(f[2], 64); err != nil {
			log.Fatalf("%s: %q: %v", name, line, err)
		}
		for k := 0; k < 14; k++ {
			v, err := strconv.Atoi(f[3+k])
			if err != nil {
				log.Fatalf("%s: %q: %v", name, line, err)
			}
			r.m[k] = v
		}
		rows = append(rows, r)
	}
	return rows
}

func mstr(m [14]int) string {
	var s []string
	for _, v := range m {
		s = append(s, strconv.Itoa(v))
	}
	return "{" + strings.Join(s, ",") + "}"
}

func main() {
	flag.Parse()
	var out bytes.Buffer
	w := func(format string, a ...any) { fmt.Fprintf(&out, format, a...) }

	// Nutation: merge longitude and obliquity rows by argument.
	type nut struct {
		m                                  [14]int
		ps, pc, ps1, pc1, ec, es, ec1, es1 float64
		order                              int
	}
	idx := map[[14]int]*nut{}
	var list []*nut
	get := func(m [14]int) *nut {
		if n, ok := idx[m]; ok {
			return n
		}
		n := &nut{m: m, order: len(list)}
		idx[m] = n
		list = append(list, n)
		return n
	}
	for _, r := range parseIERS("iers2010/tab5.3a.txt") {
		n := get(r.m)
		if r.j == 0 {
			n.ps, n.pc = r.a, r.b
		} else {
			n.ps1, n.pc1 = r.a, r.b
		}
	}
	for _, r := range parseIERS("iers2010/tab5.3b.txt") {
		n := get(r.m)
		// Table 5.3b lists B" (sin) first, then B (cos).
		if r.j == 0 {
			n.es, n.ec = r.a, r.b
		} else {
			n.es1, n.ec1 = r.a, r.b
		}
	}
	// Largest amplitude first (keeps the summation well conditioned).
	amp := func(n *nut) float64 {
		s := 0.0
		for _, v := range []float64{n.ps, n.pc, n.ec, n.es} {
			if v < 0 {
				v = -v
			}
			s += v
		}
		return s
	}
	sort.SliceStable(list, func(i, j int) bool { return amp(list[i]) > amp(list[j]) })
	w("// nutSeries is the IAU 2000A_R06 nutation series (IERS Conventions 2010,\n")
	w("// Tables 5.3a and 5.3b) merged by argument: %d distinct arguments.\n", len(list))
	w("// Amplitudes in microarcseconds; ps/pc: Δψ sin/cos, ec/es: Δε cos/sin; *1: per Julian century TT.\n")
	w("var nutSeries = [...]nutTerm{\n")
	for _, n := range list {
		w("{m: [14]int8%s, ps: %v, pc: %v, ps1: %v, pc1: %v, ec: %v, es: %v, ec1: %v, es1: %v},\n",
			mstr(n.m), n.ps, n.pc, n.ps1, n.pc1, n.ec, n.es, n.ec1, n.es1)
	}
	w("}\n\n")

	// Series with powers of t: s+XY/2 and the equation of the equinoxes.
	emit := func(doc, name string, rows []seriesRow) {
		w("// %s\nvar %s = [...]powTerm{\n", doc, name)
		for _, r := range rows {
			w("{j: %d, m: [14]int8%s, s: %v, c: %v},\n", r.j, mstr(r.m), r.a, r.b)
		}
		w("}\n\n")
	}
	emit("sxy2Series is the non-polynomial part of s+XY/2 (IERS Conventions 2010 Table 5.2d), microarcseconds.", "sxy2Series", parseIERS("iers2010/tab5.2d.txt"))
	emit("eectSeries is the non-polynomial part of GST−ERA (IERS Conventions 2010 Table 5.2e), microarcseconds.", "eectSeries", parseIERS("iers2010/tab5.2e.txt"))

	// Leap seconds.
	w("// builtinDrift are the 1961-1971 TAI-UTC rate terms (USNO tai-utc.dat):\n")
	w("// TAI-UTC = offset + (MJD - mjdRef) * rate, valid from MJD mjd.\n")
	w("var builtinDrift = []leapEntry{\n")
	reDrift := regexp.MustCompile(`=JD\s+(\d+\.5)\s+TAI-UTC=\s*([\d.]+)\s*S\s*\+\s*\(MJD\s*-\s*([\d.]+)\s*\)\s*X\s*([\d.]+)\s*S`)
	for _, line := range strings.Split(string(read("eop/tai-utc.dat")), "\n") {
		m := reDrift.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		jd, _ := strconv.ParseFloat(m[1], 64)
		off, _ := strconv.ParseFloat(m[2], 64)
		ref, _ := strconv.ParseFloat(m[3], 64)
		rate, _ := strconv.ParseFloat(m[4], 64)
		if jd-2400000.5 >= 41317 {
			break
		}
		w("{mjd: %v, offset: %v, mjdRef: %v, rate: %v},\n", jd-2400000.5, off, ref, rate)
	}
	w("}\n\n")
	w("// builtinLeapSecondFile is IERS Leap_Second.dat (Bulletin C), parsed at init.\nconst builtinLeapSecondFile = %q\n\n", string(read("eop/Leap_Second.dat")))

	// IAU 2000B: the first 77 luni-solar terms of MHB2000 (IERS 2003 Table 5.3a).
	w("// nut2000BSeries holds the 77 luni-solar terms of IAU 2000B (McCarthy & Luzum 2003), the\n")
	w("// first 77 rows of IERS Conventions 2003 Table 5.3a: multipliers of l l' F D Ω, then in\n")
	w("// milliarcseconds Δψ sin, Δψ sin rate (/century), Δε cos, Δε cos rate, Δψ cos, Δε sin.\n")
	w("var nut2000BSeries = [77]nutBTerm{\n")
	nb := 0
	for _, line := range strings.Split(string(read("iers2003/tab5.3a-first-table.txt")), "\n") {
		f := strings.Fields(line)
		if nb == 77 || len(f) != 14 || strings.HasPrefix(line, "*") {
			continue
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			continue
		}
		w("{m: [5]int8{%s, %s, %s, %s, %s}, ps: %s, pst: %s, ec: %s, ect: %s, pc: %s, es: %s},\n",
			f[0], f[1], f[2], f[3], f[4], f[6], f[7], f[8], f[9], f[10], f[12])
		nb++
	}
	w("}\n\n")

	// ΔT spline (Morrison, Stephenson, Hohenkerk & Zawilski 2021, Table S15).
	w("// deltaTSpline is Table S15 of Morrison, Stephenson, Hohenkerk & Zawilski (2021):\n")
	w("// ΔT = a0 + a1 u + a2 u² + a3 u³ seconds, u = (year − k0)/(k1 − k0), for k0 <= year < k1.\n")
	w("var deltaTSpline = [...][6]float64{\n")
	for _, line := range strings.Split(string(read("deltat/Table-S15.2020.txt")), "\n") {
		f := strings.Fields(line)
		if len(f) != 7 {
			continue
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			continue
		}
		w("{%s, %s, %s, %s, %s, %s},\n", f[1], f[2], f[3], f[4], f[5], f[6])
	}
	w("}\n\n")

	// VSOP87B, truncated.
	bodies := []struct {
		file, name string
		thresh     float64
	}{
		{"VSOP87B.ear", "vsopEarth", 1e-8},
		{"VSOP87B.mer", "vsopMercury", 1e-4},
		{"VSOP87B.ven", "vsopVenus", 1e-4},
		{"VSOP87B.mar", "vsopMars", 1e-4},
		{"VSOP87B.jup", "vsopJupiter", 1e-5},
		{"VSOP87B.sat", "vsopSaturn", 1e-5},
		{"VSOP87B.ura", "vsopUranus", 1e-4},
		{"VSOP87B.nep", "vsopNeptune", 1e-4},
	}
	reHead := regexp.MustCompile(`VARIABLE (\d).*\*T\*\*(\d)`)
	for _, b := range bodies {
		var series [3][6][][3]float64
		v, p := -1, -1
		kept, total := 0, 0
		for _, line := range strings.Split(string(read("vsop87/"+b.file)), "\n") {
			if m := reHead.FindStringSubmatch(line); m != nil {
				v, _ = strconv.Atoi(m[1])
				p, _ = strconv.Atoi(m[2])
				v--
				continue
			}
			f := strings.Fields(line)
			if len(f) < 5 || v < 0 {
				continue
			}
			var abc [3]float64
			for k := 0; k < 3; k++ {
				x, err := strconv.ParseFloat(f[len(f)-3+k], 64)
				if err != nil {
					log.Fatalf("%s: %q: %v", b.file, line, err)
				}
				abc[k] = x
			}
			total++
			if abc[0] < b.thresh {
				continue
			}
			kept++
			series[v][p] = append(series[v][p], abc)
		}
		w("// %s is VSOP87B %s (heliocentric L, B, R; ecliptic and equinox J2000; rad and au;\n", b.name, b.file)
		w("// T in Julian millennia TDB from J2000), truncated to amplitudes >= %g: %d of %d terms.\n", b.thresh, kept, total)
		w("var %s = vsopBody{\n", b.name)
		for vi := 0; vi < 3; vi++ {
			w("{\n")
			for pi := 0; pi < 6; pi++ {
				w("{")
				for _, t := range series[vi][pi] {
					w("{%v, %v, %v},", t[0], t[1], t[2])
				}
				w("},\n")
			}
			w("},\n")
		}
		w("}\n\n")
	}

	var head bytes.Buffer
	fmt.Fprintf(&head, "// Code generated by astro/internal/gen; DO NOT EDIT.\n//\n// Inputs (sha256):\n")
	for _, s := range sums {
		fmt.Fprintf(&head, "//\t%s %s\n", s.sum, s.name)
	}
	fmt.Fprintf(&head, "\npackage astro\n\n")
	head.Write(out.Bytes())
	src, err := format.Source(head.Bytes())
	if err != nil {
		os.WriteFile(*outFile+".broken", head.Bytes(), 0o644)
		log.Fatal(err)
	}
	if err := os.WriteFile(*outFile, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
