// Command gen converts the published VSOP87B and VSOP87D series (Bretagnon &
// Francou 1988, CDS catalogue VI/81) into the compact binary tables that
// package vsop87 embeds (vsop87b.bin, vsop87d.bin).
//
// Usage, from the repository root:
//
//	go run ./astro/vsop87/internal/gen -data ../shared/reference/data/vsop87 -out astro/vsop87
//
// Every input file is checked against the SHA-256 listed below (the values of
// /work/shared/reference/data/MANIFEST.tsv; the files are byte-identical to the
// CDS distribution, as redistributed by gmiller123456/vsop87-multilang at commit
// a02c198d99abd3f1d6366edba81916c76df9e34b, path data/<name>). A mismatch aborts.
//
// Output format (little-endian), one file per version:
//
//	"VSOP87" version-letter 0x02
//	for body in Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, Neptune:
//	  for variable in L, B, R:
//	    for power α in 0..5:
//	      uint32 n, then n × { int8 a[12]; float64 S, K, A, B, C }
//
// A term is τ^α·A·cos(B + C·τ) = τ^α·(S·sin φ + K·cos φ) with φ = Σ a_i·λ_i(τ)
// and λ_i the mean longitudes of vsop87.txt. The generator verifies, for every
// term, that C = |Σ a_i·n_i| (to 1e-6 rad/millennium) and that S, K agree with
// A, B, C at τ = 0 and 0.1 (to 1e-9 of A), so both forms of the series are the same data.
//
// Terms keep the order of the source file (decreasing amplitude within a block).
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

var bodies = []string{"mer", "ven", "ear", "mar", "jup", "sat", "ura", "nep"}

// sums are the SHA-256 of the inputs (MANIFEST.tsv of the shared reference data).
var sums = map[string]string{
	"VSOP87B.mer": "cc3c03bb5ca5257983e5f311c22b5cea43da504a27f0bb8a09281c6da0f7c10f",
	"VSOP87B.ven": "fcff361adbdb3a9947c7e0cbe45e9ac45585987983fc891c92462e15a532e8e4",
	"VSOP87B.ear": "30a05a74b8bf65aeffffea7d329934b648dfbe186a06f6cce12b0d9403f896bb",
	"VSOP87B.mar": "1e39273409b7fac1262d2e4682856b5c8f18ea745540c77c90b0a16dba8d14cf",
	"VSOP87B.jup": "408b5938ab39e661940b4253579f4a7a65f206926d98bec20e46aebb06cdd159",
	"VSOP87B.sat": "c790102e7d698c4a2de125e3eb8e87b19c7d6ee1cc2082440ef9689633da5d6a",
	"VSOP87B.ura": "a71943b2a514c03ab6e6e4071a6cccc13fd42c9879910f71630df04b8fbe1066",
	"VSOP87B.nep": "9eedbfb9d0972e9593909b2990a241bb7c684fced7ce6e4659f990528443c892",
	"VSOP87D.mer": "f468481b5a05080a943ad4746ff7ea7e0ff6652b71a46d83c9c636cb69485e34",
	"VSOP87D.ven": "cb2f3a738289ed45f69fec1845e480baf4b32d481eccc21b8629a2d0d10e8261",
	"VSOP87D.ear": "8b160c859136d467f2be7fc29efa8a9652e95516dfbde00e4c739d7ddc90ca91",
	"VSOP87D.mar": "b1184df9553d85ffcf904c16bd437ab668804fa98859f27fe2e7bf6cfa6bc07e",
	"VSOP87D.jup": "3f3dfbc7d117ecad2b2dadf2fc626b260a3cd5efa98e7d4c6b26cd682fc48090",
	"VSOP87D.sat": "2e49e19396f24c17298f0b667e7763ee5c28b60d549c89d72a17dfd5f8d46b05",
	"VSOP87D.ura": "80eb3a778d53f450066d9b13f17e15b979e253437d22f33ec5a4604cdb2872a7",
	"VSOP87D.nep": "3ff65a5cabc04c411f975888f77268b89e336ece0b75d198a3935090fdde3ae6",
}

func main() {
	data := flag.String("data", "../shared/reference/data/vsop87", "directory holding the VSOP87B/D files")
	out := flag.String("out", "astro/vsop87", "output directory")
	flag.Parse()
	for _, v := range []string{"B", "D"} {
		b, n, err := build(*data, v)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		name := filepath.Join(*out, "vsop87"+strings.ToLower(v)+".bin")
		if err := os.WriteFile(name, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		s := sha256.Sum256(b)
		fmt.Printf("%s: %d terms, %d bytes, sha256 %s\n", name, n, len(b), hex.EncodeToString(s[:]))
	}
}

type term struct {
	k              [12]int8
	s, kc, a, b, c float64
}

// Mean longitudes λ_i = λ0_i + n_i·τ (radians, τ in Julian millennia) of
// Mercury..Neptune and the Moon's D, F, l, Lm (vsop87.txt).
var lambda0 = [12]float64{4.40260884240, 3.17614669689, 1.75347045953, 6.20347611291, 0.59954649739,
	0.87401675650, 5.48129387159, 5.31188628676, 5.19846674103, 1.62790523337, 2.35555589827, 3.81034454697}
var freq = [12]float64{26087.9031415742, 10213.2855462110, 6283.0758499914, 3340.6124266998, 529.6909650946,
	213.2990954380, 74.7815985673, 38.1330356378, 77713.7714681205, 84334.6615813083, 83286.9142695536,
	83997.0911355954}

func build(dir, version string) ([]byte, int, error) {
	var buf bytes.Buffer
	buf.WriteString("VSOP87" + version)
	buf.WriteByte(2)
	total := 0
	for _, body := range bodies {
		name := "VSOP87" + version + "." + body
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, 0, err
		}
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); got != sums[name] {
			return nil, 0, fmt.Errorf("%s: sha256 %s, want %s", name, got, sums[name])
		}
		blocks, err := parse(name, raw, version)
		if err != nil {
			return nil, 0, err
		}
		for v := 0; v < 3; v++ {
			for alpha := 0; alpha < 6; alpha++ {
				ts := blocks[[2]int{v, alpha}]
				binary.Write(&buf, binary.LittleEndian, uint32(len(ts)))
				for _, t := range ts {
					binary.Write(&buf, binary.LittleEndian, t.k)
					binary.Write(&buf, binary.LittleEndian, [5]float64{t.s, t.kc, t.a, t.b, t.c})
				}
				total += len(ts)
			}
		}
	}
	return buf.Bytes(), total, nil
}

// parse reads one VSOP87 file: header lines
//
//	VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0    623 TERMS ...
//
// followed by that many term lines holding A, B, C in fixed columns.
func parse(name string, raw []byte, version string) (map[[2]int][]term, error) {
	blocks := map[[2]int][]term{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	line := 0
	var key [2]int
	want := -1
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r ")
		f := strings.Fields(s)
		if len(f) == 0 {
			continue
		}
		if f[0] == "VSOP87" {
			if want > 0 {
				return nil, fmt.Errorf("%s:%d: block ended %d terms early", name, line, want)
			}
			if len(f) < 10 || f[1] != "VERSION" || !strings.HasPrefix(f[2], version) || f[4] != "VARIABLE" {
				return nil, fmt.Errorf("%s:%d: bad header %q", name, line, s)
			}
			v, err1 := strconv.Atoi(f[5])
			alpha, err2 := strconv.Atoi(strings.TrimPrefix(f[7], "*T**"))
			n, err3 := strconv.Atoi(f[8])
			if err1 != nil || err2 != nil || err3 != nil || v < 1 || v > 3 || alpha < 0 || alpha > 5 || (f[9] != "TERMS" && f[9] != "TERM") {
				return nil, fmt.Errorf("%s:%d: bad header %q", name, line, s)
			}
			key = [2]int{v - 1, alpha}
			if _, dup := blocks[key]; dup {
				return nil, fmt.Errorf("%s:%d: duplicate block", name, line)
			}
			if n < 1 {
				return nil, fmt.Errorf("%s:%d: block of %d terms", name, line, n)
			}
			// The count is the file's word: reserve no more than the
			// largest real block needs, so a corrupt count cannot
			// allocate gigabytes before the short block is noticed.
			blocks[key] = make([]term, 0, min(n, 4096))
			want = n
			continue
		}
		if want <= 0 {
			return nil, fmt.Errorf("%s:%d: term outside a block", name, line)
		}
		if len(s) < 131 {
			return nil, fmt.Errorf("%s:%d: short line", name, line)
		}
		// Fixed columns (vsop87.txt: 1x,4i1,i5,12i3,f15.11,2f18.11,f14.11,f20.11).
		var tm term
		for i := 0; i < 12; i++ {
			field := strings.TrimSpace(s[10+3*i : 13+3*i])
			m, err := strconv.Atoi(field)
			if err != nil || m < -127 || m > 127 {
				return nil, fmt.Errorf("%s:%d: bad multiplier %q", name, line, field)
			}
			tm.k[i] = int8(m)
		}
		var t [5]float64
		for i, col := range [5][2]int{{46, 61}, {61, 79}, {79, 97}, {97, 111}, {111, 131}} {
			field := strings.TrimSpace(s[col[0]:col[1]])
			x, err := strconv.ParseFloat(field, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s:%d: bad number %q", name, line, field)
			}
			t[i] = x
		}
		tm.s, tm.kc, tm.a, tm.b, tm.c = t[0], t[1], t[2], t[3], t[4]
		c, phase := 0.0, 0.0
		for i, m := range tm.k {
			c += float64(m) * freq[i]
			phase += float64(m) * lambda0[i]
		}
		if math.Abs(math.Abs(c)-tm.c) > 1e-6 {
			return nil, fmt.Errorf("%s:%d: frequency %v differs from |Σ a·n| = %v", name, line, tm.c, math.Abs(c))
		}
		// A·cos(B + Cτ) must equal S·sin φ + K·cos φ (checked at two dates).
		for _, tau := range []float64{0, 0.1} {
			phi := phase + c*tau
			d := tm.a*math.Cos(tm.b+tm.c*tau) - (tm.s*math.Sin(phi) + tm.kc*math.Cos(phi))
			if math.Abs(d) > 1e-9*math.Abs(tm.a)+2e-11 {
				return nil, fmt.Errorf("%s:%d: S, K inconsistent with A, B, C (%g)", name, line, d)
			}
		}
		blocks[key] = append(blocks[key], tm)
		want--
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if want > 0 {
		return nil, fmt.Errorf("%s: last block short by %d terms", name, want)
	}
	return blocks, nil
}
