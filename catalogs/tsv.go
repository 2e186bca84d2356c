package catalogs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The compact star format, one star per line, ten tab-separated fields:
//
//	name, aliases ('|'-separated), catalogue, equinox ("J2000" or
//	"B1950"), ra, dec (degrees, in that equinox as published), spectral
//	type, magnitudes ("band,value,error,system" joined by ';'), colours
//	("bands,value,error" joined by ';'), extra ("key=value" joined by ';')
//
// Empty fields are empty strings; an error of 0 means none. It is the
// embedded format (several times faster to load than JSON) and is written
// by WriteStarsTSV.
const tsvFields = 10

// WriteStarsTSV writes stars in the compact format, with their published
// positions. It refuses values holding the format's separators.
func WriteStarsTSV(w io.Writer, stars []Star) error {
	bw := bufio.NewWriter(w)
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for i := range stars {
		s := &stars[i]
		check := func(what, v, seps string) error {
			if strings.ContainsAny(v, "\t\n\r"+seps) {
				return fmt.Errorf("star %d (%q): %s %q holds a separator (%q)", i, s.Name, what, v, "\\t\\n"+seps)
			}
			return nil
		}
		f := make([]string, tsvFields)
		f[0], f[2], f[3], f[6] = s.Name, s.Catalogue, string(s.Equinox), s.SpectralType
		if f[3] == "" {
			f[3] = string(J2000)
		}
		for _, x := range [][2]string{{"name", s.Name}, {"catalogue", s.Catalogue}, {"spectral type", s.SpectralType}} {
			if err := check(x[0], x[1], ""); err != nil {
				return err
			}
		}
		for _, a := range s.Aliases {
			if err := check("alias", a, "|"); err != nil {
				return err
			}
		}
		f[1] = strings.Join(s.Aliases, "|")
		f[4], f[5] = num(s.RAPublished), num(s.DecPublished)
		var parts []string
		for _, m := range s.Magnitudes {
			if err := check("magnitude band/system", m.Band+m.System, ",;"); err != nil {
				return err
			}
			parts = append(parts, m.Band+","+num(m.Value)+","+num(m.Error)+","+m.System)
		}
		f[7] = strings.Join(parts, ";")
		parts = parts[:0]
		for _, c := range s.Colors {
			if err := check("colour bands", c.Bands, ",;"); err != nil {
				return err
			}
			parts = append(parts, c.Bands+","+num(c.Value)+","+num(c.Error))
		}
		f[8] = strings.Join(parts, ";")
		parts = parts[:0]
		for _, k := range sortedKeys(s.Extra) {
			if err := check("extra key", k, ";="); err != nil {
				return err
			}
			if err := check("extra value", s.Extra[k], ";"); err != nil {
				return err
			}
			parts = append(parts, k+"="+s.Extra[k])
		}
		f[9] = strings.Join(parts, ";")
		if _, err := bw.WriteString(strings.Join(f, "\t") + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// ReadStarsTSV reads stars in the compact format WriteStarsTSV writes,
// converting B1950 positions to J2000. A malformed line is an error naming
// the line and field.
func ReadStarsTSV(r io.Reader) ([]Star, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxUserFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading stars TSV: %w", err)
	}
	if len(b) > maxUserFile {
		return nil, fmt.Errorf("reading stars TSV: more than %d bytes", maxUserFile)
	}
	text := string(b)
	stars := make([]Star, 0, strings.Count(text, "\n")+1)
	line := 0
	for len(text) > 0 {
		line++
		var l string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			l, text = text, ""
		}
		if l == "" {
			continue
		}
		if len(l) > maxLineLength {
			return nil, fmt.Errorf("stars TSV line %d: longer than %d bytes", line, maxLineLength)
		}
		s, err := parseTSVStar(l)
		if err != nil {
			return nil, fmt.Errorf("stars TSV line %d: %w", line, err)
		}
		stars = append(stars, s)
	}
	return stars, nil
}

func tsvFloat(v, what string) (float64, error) {
	if v == "" {
		return 0, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s %q is not a finite number", what, v)
	}
	return x, nil
}

func parseTSVStar(text string) (Star, error) {
	f := strings.Split(text, "\t")
	if len(f) != tsvFields {
		return Star{}, fmt.Errorf("%d fields, want %d", len(f), tsvFields)
	}
	s := Star{Name: f[0], Catalogue: f[2], SpectralType: f[6]}
	if f[1] != "" {
		s.Aliases = strings.Split(f[1], "|")
	}
	eq, err := parseEquinox(f[3])
	if err != nil {
		return s, err
	}
	s.Equinox = eq
	if f[4] == "" || f[5] == "" {
		return s, errors.New("no position")
	}
	if s.RAPublished, err = tsvFloat(f[4], "ra"); err != nil {
		return s, err
	}
	if s.DecPublished, err = tsvFloat(f[5], "dec"); err != nil {
		return s, err
	}
	if err := checkPosition(s.RAPublished, s.DecPublished); err != nil {
		return s, err
	}
	s.RAPublished = normRA(s.RAPublished)
	s.RA, s.Dec = toJ2000(eq, s.RAPublished, s.DecPublished)
	if f[7] != "" {
		for _, p := range strings.Split(f[7], ";") {
			q := strings.Split(p, ",")
			if len(q) != 4 {
				return s, fmt.Errorf("magnitude %q: want band,value,error,system", p)
			}
			m := Magnitude{Band: q[0], System: q[3]}
			if m.Value, err = tsvFloat(q[1], "magnitude"); err != nil {
				return s, err
			}
			if m.Error, err = tsvFloat(q[2], "magnitude error"); err != nil {
				return s, err
			}
			s.Magnitudes = append(s.Magnitudes, m)
		}
	}
	if f[8] != "" {
		for _, p := range strings.Split(f[8], ";") {
			q := strings.Split(p, ",")
			if len(q) != 3 {
				return s, fmt.Errorf("colour %q: want bands,value,error", p)
			}
			c := Color{Bands: q[0]}
			if c.Value, err = tsvFloat(q[1], "colour"); err != nil {
				return s, err
			}
			if c.Error, err = tsvFloat(q[2], "colour error"); err != nil {
				return s, err
			}
			s.Colors = append(s.Colors, c)
		}
	}
	if f[9] != "" {
		s.Extra = map[string]string{}
		for _, p := range strings.Split(f[9], ";") {
			k, v, ok := strings.Cut(p, "=")
			if !ok || k == "" {
				return s, fmt.Errorf("extra %q: want key=value", p)
			}
			s.Extra[k] = v
		}
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, nil
}
