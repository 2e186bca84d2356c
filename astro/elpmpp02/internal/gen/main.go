// Command gen converts the published ELP/MPP02 lunar series (Chapront &
// Francou 2003) into the compact binary table elpmpp02.bin that package
// elpmpp02 embeds.
//
// Usage, from the repository root:
//
//	go run ./astro/elpmpp02/internal/gen -data ../shared/reference/data/elpmpp02 -out astro/elpmpp02
//
// Every input is checked against the SHA-256 listed below (MANIFEST.tsv of the
// shared reference data: the IMCCE/SYRTE distribution files, unmodified, as
// redistributed by THRASTRO/ephem.js at commit
// 2f679a1f698b4f20f9579d94da24af51559458ed, path src/elpmpp02/data/<name>).
//
// The table keeps the raw published coefficients, so that the package can
// apply either set of fitted corrections (LLR or DE405) at run time.
// Output format (little-endian):
//
//	"ELPMPP02" 0x01
//	main problem, for variable in longitude, latitude, distance:
//	  uint32 n, then n × { int8 D, F, l, l' ; float64 A, B1, B2, B3, B4, B5 }
//	perturbations, for variable in longitude, latitude, distance, for power 0..3:
//	  uint32 n, then n × { int8 ×13 (D F l l' Me V T Ma J S U N ζ) ; float64 S, C }
//
// The main-problem records read the published "4i3,2x,f13.5,5f12.2" fields
// (B6 is not used by the theory and is dropped); perturbation records read
// "i5,2d20.13,16i3" (the last three multipliers are zero in every record,
// which the generator verifies).
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

var sums = map[string]string{
	"ELP_MAIN.S1": "3602147c43b77f86394c9034ea0e66807c6a674eeac87ada2a23aecd328706f1",
	"ELP_MAIN.S2": "c06fca782f973a5365a4a19dd8b8a2a5ce711063e007ad929be6206686e459b8",
	"ELP_MAIN.S3": "22f2cebde62d7451bc984ea67716b32091848c6f33ce746a9d1ba5de76074a56",
	"ELP_PERT.S1": "222b2895f476370e93b05c50bc207d5f637ca3cd7002f848054ff44b9f1742ba",
	"ELP_PERT.S2": "0fd9af9d5e79fb9315c2ea295c8abe8f1ca385401fa93c8a032d64eb45c7d209",
	"ELP_PERT.S3": "15123e2eb0683ebffacc2b67339693532060a4db1f9c26eba502e0dad941d216",
}

func main() {
	data := flag.String("data", "../shared/reference/data/elpmpp02", "directory holding the ELP/MPP02 files")
	out := flag.String("out", "astro/elpmpp02", "output directory")
	flag.Parse()
	b, err := build(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	name := filepath.Join(*out, "elpmpp02.bin")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	s := sha256.Sum256(b)
	fmt.Printf("%s: %d bytes, sha256 %s\n", name, len(b), hex.EncodeToString(s[:]))
}

func read(dir, name string) ([]string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != sums[name] {
		return nil, fmt.Errorf("%s: sha256 %s, want %s", name, got, sums[name])
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	return lines, sc.Err()
}

func field(name string, line int, s string, from, to int, fortranD bool) (float64, error) {
	if len(s) < to {
		return 0, fmt.Errorf("%s:%d: line too short", name, line)
	}
	f := strings.TrimSpace(s[from:to])
	if fortranD {
		f = strings.Replace(f, "D", "E", 1)
	}
	x, err := strconv.ParseFloat(f, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s:%d: bad number %q", name, line, f)
	}
	return x, nil
}

func multiplier(name string, line int, s string, from int) (int8, error) {
	x, err := field(name, line, s, from, from+3, false)
	if err != nil {
		return 0, err
	}
	if x != math.Trunc(x) || x < -127 || x > 127 {
		return 0, fmt.Errorf("%s:%d: multiplier %v out of range", name, line, x)
	}
	return int8(x), nil
}

// header parses "MAIN PROBLEM. LONGITUDE.       1023" or
// "PERTURBATIONS. LONGITUDE.     11314         0" (format 25x,2i10).
func header(name string, line int, s string, wantPower int) (int, error) {
	n, err := field(name, line, s, 25, 35, false)
	if err != nil {
		return 0, fmt.Errorf("%s:%d: bad header %q", name, line, s)
	}
	if wantPower >= 0 {
		p, err := field(name, line, s, 35, 45, false)
		if err != nil || int(p) != wantPower {
			return 0, fmt.Errorf("%s:%d: header %q: want power %d", name, line, s, wantPower)
		}
	}
	return int(n), nil
}

func build(dir string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("ELPMPP02")
	buf.WriteByte(1)
	le := binary.LittleEndian
	for iv := 1; iv <= 3; iv++ {
		name := fmt.Sprintf("ELP_MAIN.S%d", iv)
		lines, err := read(dir, name)
		if err != nil {
			return nil, err
		}
		n, err := header(name, 1, lines[0], -1)
		if err != nil {
			return nil, err
		}
		if len(lines) < n+1 {
			return nil, fmt.Errorf("%s: %d terms announced, %d lines", name, n, len(lines)-1)
		}
		binary.Write(&buf, le, uint32(n))
		for i := 1; i <= n; i++ {
			s := lines[i]
			for k := 0; k < 4; k++ {
				m, err := multiplier(name, i+1, s, 3*k)
				if err != nil {
					return nil, err
				}
				buf.WriteByte(byte(m))
			}
			a, err := field(name, i+1, s, 14, 27, false)
			if err != nil {
				return nil, err
			}
			binary.Write(&buf, le, a)
			for k := 0; k < 5; k++ {
				b, err := field(name, i+1, s, 27+12*k, 39+12*k, false)
				if err != nil {
					return nil, err
				}
				binary.Write(&buf, le, b)
			}
		}
		for _, s := range lines[n+1:] {
			if strings.TrimSpace(s) != "" {
				return nil, fmt.Errorf("%s: trailing data after %d terms", name, n)
			}
		}
	}
	for iv := 1; iv <= 3; iv++ {
		name := fmt.Sprintf("ELP_PERT.S%d", iv)
		lines, err := read(dir, name)
		if err != nil {
			return nil, err
		}
		p := 0
		for it := 0; it <= 3; it++ {
			if p >= len(lines) {
				return nil, fmt.Errorf("%s: missing block for power %d", name, it)
			}
			n, err := header(name, p+1, lines[p], it)
			if err != nil {
				return nil, err
			}
			p++
			binary.Write(&buf, le, uint32(n))
			for i := 0; i < n; i++ {
				if p >= len(lines) {
					return nil, fmt.Errorf("%s: block %d short", name, it)
				}
				s := lines[p]
				p++
				sn, err := field(name, p, s, 5, 25, true)
				if err != nil {
					return nil, err
				}
				cs, err := field(name, p, s, 25, 45, true)
				if err != nil {
					return nil, err
				}
				for k := 0; k < 16; k++ {
					m, err := multiplier(name, p, s, 45+3*k)
					if err != nil {
						return nil, err
					}
					if k >= 13 {
						if m != 0 {
							return nil, fmt.Errorf("%s:%d: unexpected multiplier in column %d", name, p, k+1)
						}
						continue
					}
					buf.WriteByte(byte(m))
				}
				binary.Write(&buf, le, [2]float64{sn, cs})
			}
		}
		for _, s := range lines[p:] {
			if strings.TrimSpace(s) != "" {
				return nil, fmt.Errorf("%s: trailing data", name)
			}
		}
	}
	return buf.Bytes(), nil
}
