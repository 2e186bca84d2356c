package catalogs

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/arcsecond-go/arcsecond/internal/lazy"
)

// CatalogueSpec describes one standard-star catalogue: where it comes from
// and how its fixed-width tables are laid out. It follows the metadata.json
// files of github.com/arcsecond-io/standard-stars-catalogues, with the
// project's corrections applied (see data/corrections.json).
type CatalogueSpec struct {
	Key           string      `json:"key"`
	Name          string      `json:"name"`
	SecondaryName string      `json:"secondary_name,omitempty"`
	Bibcode       string      `json:"bibcode,omitempty"`
	URL           string      `json:"url,omitempty"`
	Notes         string      `json:"notes,omitempty"`
	Equinox       string      `json:"equinox"` // "J2000" or "B1950"
	Tables        []TableSpec `json:"tables"`
}

// TableSpec is the column layout of one fixed-width table. Columns maps a
// column name to its [start, end) offsets counted in characters (runes,
// a tab being one character), not bytes.
//
// Column names: "name"; "other_name" (an alias); "ra_hour", "ra_min",
// "ra_sec"; "dec_deg" (carrying the sign), "dec_min", "dec_sec"; "mag_X"
// and "mag_X_err" (a magnitude in band X, Vega-based unless Systems says
// otherwise); "mab_X" (an AB magnitude); "color_X-Y" and "color_X-Y_err";
// "spectype". Any other column is kept as text in Star.Extra.
type TableSpec struct {
	Name    string            `json:"name,omitempty"`
	File    string            `json:"file"`
	Columns map[string][2]int `json:"columns,omitempty"`
	// Fields, used instead of Columns, names the whitespace-separated
	// fields of a row in order (for tables whose columns do not line up).
	Fields []string `json:"fields,omitempty"`
	// Pattern, optional, is a regular expression matched against each row
	// whose named groups give columns (overriding Columns), for tables whose
	// rows are not aligned (tabs, varying widths). A row that does not match
	// is an error.
	Pattern string `json:"pattern,omitempty"`
	// SkipLines is the number of leading lines (headers not marked with
	// '#') to skip.
	SkipLines int `json:"skip_lines,omitempty"`
	// Systems names the photometric system of a band ("Johnson-Cousins",
	// "MKO", "2MASS", "AB"), keyed by band.
	Systems map[string]string `json:"systems,omitempty"`
}

// Validate reports the first fault in the table layout.
func (t TableSpec) Validate() error {
	if len(t.Columns) == 0 && len(t.Fields) == 0 && t.Pattern == "" {
		return fmt.Errorf("table %q: no columns", t.File)
	}
	if len(t.Columns) > 0 && len(t.Fields) > 0 {
		return fmt.Errorf("table %q: both columns and fields given", t.File)
	}
	if t.SkipLines < 0 {
		return fmt.Errorf("table %q: negative skip_lines", t.File)
	}
	have := map[string]bool{}
	for k := range t.Columns {
		have[k] = true
	}
	for _, k := range t.Fields {
		if have[k] {
			return fmt.Errorf("table %q: field %q named twice", t.File, k)
		}
		have[k] = true
	}
	if t.Pattern != "" {
		re, err := regexp.Compile(t.Pattern)
		if err != nil {
			return fmt.Errorf("table %q: pattern: %w", t.File, err)
		}
		for _, g := range re.SubexpNames() {
			if g != "" {
				have[groupColumn(g)] = true
			}
		}
	}
	for _, need := range []string{"name", "ra_hour", "ra_min", "dec_deg", "dec_min"} {
		if !have[need] {
			return fmt.Errorf("table %q: missing column %q", t.File, need)
		}
	}
	for k, c := range t.Columns {
		if c[0] < 0 || c[1] <= c[0] || c[1] > 10000 {
			return fmt.Errorf("table %q: column %q has bad offsets [%d,%d)", t.File, k, c[0], c[1])
		}
	}
	return nil
}

// ParseError is returned for a row that cannot be read.
type ParseError struct {
	File   string
	Line   int
	Column string
	Err    error
}

func (e *ParseError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s:%d: column %s: %v", e.File, e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// maxLineLength bounds one table row, so that a corrupt file cannot make the
// parser hold an unbounded line.
const maxLineLength = 1 << 16

// ParseTable reads the rows of one fixed-width table laid out as t, in a
// catalogue described by cat. Blank lines and lines starting with '#' are
// skipped. Lines that are not valid UTF-8 are read as ISO-8859-1. Each star
// keeps its published coordinates (RAPublished, DecPublished, Equinox); RA
// and Dec are converted to ICRS/J2000 when the catalogue's equinox is
// B1950. A row that cannot be read is an error naming file, line and
// column.
func ParseTable(r io.Reader, cat CatalogueSpec, t TableSpec) ([]Star, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	eq, err := parseEquinox(cat.Equinox)
	if err != nil {
		return nil, fmt.Errorf("catalogue %q: %w", cat.Key, err)
	}
	cols := make([]string, 0, len(t.Columns)+len(t.Fields))
	for k := range t.Columns {
		cols = append(cols, k)
	}
	fieldIndex := map[string]int{}
	for i, k := range t.Fields {
		cols = append(cols, k)
		fieldIndex[k] = i
	}
	var re *regexp.Regexp
	if t.Pattern != "" {
		re = regexp.MustCompile(t.Pattern) // checked by Validate
		for _, g := range re.SubexpNames() {
			if _, ok := t.Columns[groupColumn(g)]; g != "" && !ok {
				cols = append(cols, groupColumn(g))
			}
		}
	}
	sort.Strings(cols)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineLength)
	var stars []Star
	line := 0
	for sc.Scan() {
		line++
		raw := sc.Text()
		if line <= t.SkipLines {
			continue
		}
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(strings.TrimLeft(raw, " "), "#") {
			continue
		}
		runes := toRunes(raw)
		var tokens []string
		if len(t.Fields) > 0 {
			tokens = strings.Fields(string(runes))
			if len(tokens) != len(t.Fields) {
				return nil, &ParseError{File: t.File, Line: line, Err: fmt.Errorf("%d fields, want %d", len(tokens), len(t.Fields))}
			}
		}
		var groups map[string]string
		if re != nil {
			m := re.FindStringSubmatch(string(runes))
			if m == nil {
				return nil, &ParseError{File: t.File, Line: line, Err: errors.New("row does not match the table's pattern")}
			}
			groups = map[string]string{}
			for i, g := range re.SubexpNames() {
				if g != "" {
					groups[groupColumn(g)] = strings.TrimSpace(m[i])
				}
			}
		}
		for c, o := range t.Columns {
			if _, ok := groups[c]; ok {
				continue
			}
			if err := checkCut(runes, o[0], o[1]); err != nil {
				return nil, &ParseError{File: t.File, Line: line, Column: c, Err: err}
			}
		}
		field := func(c string) string {
			if v, ok := groups[c]; ok {
				return v
			}
			if tokens != nil {
				if i, ok := fieldIndex[c]; ok {
					return tokens[i]
				}
				return ""
			}
			o, ok := t.Columns[c]
			if !ok {
				return ""
			}
			a, b := o[0], o[1]
			if a > len(runes) {
				return ""
			}
			if b > len(runes) {
				b = len(runes)
			}
			return strings.TrimSpace(string(runes[a:b]))
		}
		s, err := parseRow(field, cols, cat, t, eq)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.File, pe.Line = t.File, line
				return nil, pe
			}
			return nil, &ParseError{File: t.File, Line: line, Err: err}
		}
		stars = append(stars, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: reading line %d: %w", t.File, line+1, err)
	}
	return stars, nil
}

// groupColumn maps a regular-expression group name to a column name:
// group names cannot hold '-', so a colour is written color_B_V for
// color_B-V.
func groupColumn(g string) string {
	if rest, ok := strings.CutPrefix(g, "color_"); ok {
		if i := strings.IndexByte(rest, '_'); i > 0 {
			return "color_" + rest[:i] + "-" + rest[i+1:]
		}
	}
	return g
}

// isSeparator reports characters that may border a value in a table row.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', ':', '(', ')', '[', ']', '|', ',', ';':
		return true
	}
	return false
}

// checkCut reports a column whose offsets split a value: a non-separator
// character on both sides of either edge. This is how wrong column specs
// (a sign or a digit left outside) show up instead of giving silently
// wrong numbers.
func checkCut(runes []rune, a, b int) error {
	if a > 0 && a < len(runes) && !isSeparator(runes[a-1]) && !isSeparator(runes[a]) {
		return fmt.Errorf("offsets [%d,%d) cut a value: %q is left outside before %q", a, b, string(runes[a-1]), string(runes[a]))
	}
	if b < len(runes) && b > 0 && !isSeparator(runes[b-1]) && !isSeparator(runes[b]) {
		return fmt.Errorf("offsets [%d,%d) cut a value: %q is left outside after %q", a, b, string(runes[b]), string(runes[b-1]))
	}
	return nil
}

func toRunes(s string) []rune {
	if utf8.ValidString(s) {
		return []rune(s)
	}
	// ISO-8859-1: each byte is the code point of the same value.
	rs := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		rs[i] = rune(s[i])
	}
	return rs
}

// missing reports the spellings the catalogues use for "no value".
func missing(v string) bool {
	switch v {
	case "", "-", "--", "~", "N/A", "n/a", "...", "—":
		return true
	}
	return false
}

// parseNumber reads a number, allowing the "(0.005)" parentheses some
// catalogues put around errors and a leading '+'.
func parseNumber(v string) (float64, error) {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), "()"))
	v = strings.TrimPrefix(v, "+")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a finite number: %q", v)
	}
	return f, nil
}

func parseRow(field func(string) string, cols []string, cat CatalogueSpec, t TableSpec, eq Equinox) (Star, error) {
	s := Star{Catalogue: cat.Key, Equinox: eq}
	s.Name = strings.Join(strings.Fields(field("name")), " ")
	if s.Name == "" {
		return s, &ParseError{Column: "name", Err: errors.New("empty name")}
	}
	if o := strings.Join(strings.Fields(field("other_name")), " "); !missing(o) && o != s.Name {
		s.Aliases = append(s.Aliases, o)
	}
	ra, err := sexagesimal(field, "ra_hour", "ra_min", "ra_sec", 24)
	if err != nil {
		return s, err
	}
	dec, err := sexagesimal(field, "dec_deg", "dec_min", "dec_sec", 90)
	if err != nil {
		return s, err
	}
	s.RAPublished, s.DecPublished = ra*15, dec
	s.RA, s.Dec = toJ2000(eq, s.RAPublished, s.DecPublished)
	s.SpectralType = strings.Join(strings.Fields(field("spectype")), " ")
	if missing(s.SpectralType) {
		s.SpectralType = ""
	}
	for _, c := range cols {
		v := field(c)
		switch {
		case c == "name" || c == "other_name" || c == "spectype" ||
			strings.HasPrefix(c, "ra_") || strings.HasPrefix(c, "dec_"):
			continue
		case strings.HasSuffix(c, "_err"):
			continue // read with its value
		case strings.HasPrefix(c, "mag_") || strings.HasPrefix(c, "mab_"):
			if missing(v) {
				continue
			}
			val, err := parseNumber(v)
			if err != nil {
				return s, &ParseError{Column: c, Err: err}
			}
			band := bandName(c[4:])
			m := Magnitude{Band: band, Value: val, System: "Vega"}
			if strings.HasPrefix(c, "mab_") {
				m.System = "AB"
			}
			if sys, ok := t.Systems[band]; ok {
				m.System = sys
			}
			if e := field(c + "_err"); !missing(e) {
				if m.Error, err = parseNumber(e); err != nil {
					return s, &ParseError{Column: c + "_err", Err: err}
				}
			}
			s.Magnitudes = append(s.Magnitudes, m)
		case strings.HasPrefix(c, "color_"):
			if missing(v) {
				continue
			}
			val, err := parseNumber(v)
			if err != nil {
				return s, &ParseError{Column: c, Err: err}
			}
			col := Color{Bands: bandName(c[6:]), Value: val}
			if e := field(c + "_err"); !missing(e) {
				if col.Error, err = parseNumber(e); err != nil {
					return s, &ParseError{Column: c + "_err", Err: err}
				}
			}
			s.Colors = append(s.Colors, col)
		default:
			if missing(v) {
				continue
			}
			if s.Extra == nil {
				s.Extra = map[string]string{}
			}
			s.Extra[c] = v
		}
	}
	sort.SliceStable(s.Magnitudes, func(a, b int) bool { return bandLess(s.Magnitudes[a].Band, s.Magnitudes[b].Band) })
	sort.SliceStable(s.Colors, func(a, b int) bool { return bandLess(s.Colors[a].Bands, s.Colors[b].Bands) })
	return s, nil
}

// bandOrder ranks the bands by wavelength, so magnitudes list U B V R I
// ... K L M N Q whatever order the table's columns were read in.
var bandOrderValue lazy.Value[map[string]int]

func bandOrder() map[string]int { return bandOrderValue.MustGet(loadBandOrder) }

func loadBandOrder() map[string]int {
	return map[string]int{"U": 1, "B": 2, "g": 3, "V": 4, "r": 5, "R": 6, "i": 7, "I": 8, "z": 9, "Z": 10, "Y": 11, "J": 12,
		"H": 13, "K'": 14, "Ks": 15, "K": 16, "L": 17, "L'": 18, "M": 19, "N": 20, "Q": 21}
}

func bandLess(a, b string) bool {
	ka, kb := bandKey(a), bandKey(b)
	if ka != kb {
		return ka < kb
	}
	return a < b
}

// bandKey ranks a band, or a colour by its first band.
func bandKey(s string) int {
	if i := strings.IndexByte(s, '-'); i > 0 {
		s = s[:i]
	}
	if r, ok := bandOrder()[s]; ok {
		return r
	}
	return 100
}

// bandName turns a column suffix into a band name: "Lprime" is L'.
func bandName(s string) string {
	return strings.ReplaceAll(s, "prime", "'")
}

// sexagesimal combines the hours or degrees, minutes and (optional)
// seconds that a catalogue table gives in separate columns. The sign is
// taken from the first field, so "-00 30 00" is negative. It is not a
// second sexagesimal string parser (that is astro.ParseHours and
// astro.ParseDegrees, used for user data): each number comes from its own
// column, an error names that column, and a seconds value of 60 (a
// catalogue's rounding of 59.96) is accepted as the next minute.
func sexagesimal(field func(string) string, cu, cm, cs string, maxUnit float64) (float64, error) {
	u, m, sec := field(cu), field(cm), field(cs)
	neg := false
	if r, size := utf8.DecodeRuneInString(u); r == '-' || r == '+' || r == '−' {
		neg = r != '+'
		u = u[size:]
	}
	// Colon-separated tables leave the separator inside a column.
	u, m, sec = strings.Trim(u, ": "), strings.Trim(m, ": "), strings.Trim(sec, ": ")
	if strings.ContainsAny(u, "+-−") {
		return 0, &ParseError{Column: cu, Err: fmt.Errorf("misplaced sign in %q", field(cu))}
	}
	uv, err := parseNumber(u)
	if err != nil {
		return 0, &ParseError{Column: cu, Err: err}
	}
	mv, err := parseNumber(m)
	if err != nil {
		return 0, &ParseError{Column: cm, Err: err}
	}
	var sv float64
	if sec != "" {
		if sv, err = parseNumber(sec); err != nil {
			return 0, &ParseError{Column: cs, Err: err}
		}
	}
	switch {
	case uv < 0 || uv > maxUnit || (uv == maxUnit && (mv > 0 || sv > 0)):
		return 0, &ParseError{Column: cu, Err: fmt.Errorf("%v out of range [0,%v]", uv, maxUnit)}
	case uv != math.Trunc(uv):
		return 0, &ParseError{Column: cu, Err: fmt.Errorf("%v is not a whole number", uv)}
	case mv < 0 || mv >= 60:
		return 0, &ParseError{Column: cm, Err: fmt.Errorf("%v out of range [0,60)", mv)}
	case sv < 0 || sv > 60:
		// 60 itself occurs where a catalogue rounded 59.96 up
		// (Hunt et al. 1998, AS 15-1: 09 18 60); it is the next minute.
		return 0, &ParseError{Column: cs, Err: fmt.Errorf("%v out of range [0,60]", sv)}
	}
	v := uv + mv/60 + sv/3600
	if maxUnit == 24 && v >= 24 {
		return 0, &ParseError{Column: cu, Err: fmt.Errorf("right ascension %vh is not below 24h", v)}
	}
	if neg {
		v = -v
	}
	return v, nil
}
