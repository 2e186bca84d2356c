package astro

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseHours parses an angle written in hours, as people type right
// ascensions: "12h34m56.7s", "12:34:56.7", "12 34 56.7", "12h34.5m",
// "12.582h" or plain "12.582". A leading sign is allowed. Minutes and
// seconds must be below 60, hours within 0-24 (±24 with a sign). Anything
// else gives an error naming the problem.
func ParseHours(s string) (Angle, error) {
	v, err := parseSexagesimal(s, true)
	if err != nil {
		return 0, err
	}
	if math.Abs(v) > 24 {
		return 0, fmt.Errorf("astro: %q: %v hours is beyond 24h", s, v)
	}
	return Hours(v), nil
}

// ParseDegrees parses an angle written in degrees: "-00 30 00",
// "+12°34′56.7″", "12d34m56.7s", "12:34:56", "12°34'56\"", "-0.5", "12.5°".
// The sign of a negative zero degree ("-00 30 00") is kept. Minutes and
// seconds must be below 60 and the value within ±360°.
func ParseDegrees(s string) (Angle, error) {
	v, err := parseSexagesimal(s, false)
	if err != nil {
		return 0, err
	}
	if math.Abs(v) > 360 {
		return 0, fmt.Errorf("astro: %q: %v° is beyond 360°", s, v)
	}
	return Deg(v), nil
}

// ParseDeclination is ParseDegrees restricted to [−90°, +90°].
func ParseDeclination(s string) (Angle, error) {
	a, err := ParseDegrees(s)
	if err != nil {
		return 0, err
	}
	if math.Abs(a.Deg()) > 90 {
		return 0, fmt.Errorf("astro: %q: declination %v° is beyond ±90°", s, a.Deg())
	}
	return a, nil
}

const maxSexagesimalLen = 64

// parseSexagesimal returns the value in hours (hours=true) or degrees.
func parseSexagesimal(orig string, hours bool) (float64, error) {
	bad := func(format string, a ...any) (float64, error) {
		return 0, fmt.Errorf("astro: cannot parse %s %q: %s", map[bool]string{true: "hours", false: "degrees"}[hours], orig, fmt.Sprintf(format, a...))
	}
	if len(orig) > maxSexagesimalLen {
		return bad("longer than %d bytes", maxSexagesimalLen)
	}
	if !utf8.ValidString(orig) {
		return bad("not valid UTF-8")
	}
	s := strings.TrimSpace(orig)
	if s == "" {
		return bad("empty")
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	default:
		if strings.HasPrefix(s, "−") { // U+2212 minus sign
			neg = true
			s = s[len("−"):]
		}
	}
	s = strings.TrimLeft(s, " ")
	var comps [3]float64
	pos := -1 // index of the last component read
	n := 0
	sawMarker := false
	for s != "" {
		// number
		i := 0
		dot := false
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' && !dot) {
			if s[i] == '.' {
				dot = true
			}
			i++
		}
		if i == 0 || s[:i] == "." {
			r, _ := utf8.DecodeRuneInString(s)
			return bad("unexpected %q", r)
		}
		num := s[:i]
		s = s[i:]
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return bad("bad number %q", num)
		}
		// unit marker
		next := pos + 1
		marker := false
		if s != "" {
			r, size := utf8.DecodeRuneInString(s)
			k := -1
			switch r {
			case 'h', 'H':
				if !hours {
					return bad("an hour marker in a value in degrees")
				}
				k = 0
			case 'd', 'D', '°', 'º':
				if hours {
					return bad("a degree marker in a value in hours")
				}
				k = 0
			case 'm', 'M', '\'', '′', '’':
				k = 1
			case 's', 'S', '"', '″', '”':
				k = 2
			}
			if k >= 0 {
				s = s[size:]
				if k == 1 && strings.HasPrefix(s, "'") { // '' as seconds
					s = s[1:]
					k = 2
				}
				next = k
				marker = true
				sawMarker = true
			}
		}
		if next > 2 {
			return bad("more than three components")
		}
		if next <= pos {
			return bad("components out of order")
		}
		if pos >= 0 && (comps[pos] != math.Trunc(comps[pos])) {
			return bad("only the last component may have a fraction")
		}
		if next > 0 && v >= 60 {
			return bad("%s %v is not below 60", []string{"", "minutes", "seconds"}[next], v)
		}
		comps[next] = v
		pos = next
		n++
		// separators
		j := 0
		for j < len(s) && (s[j] == ' ' || s[j] == ':' || s[j] == '\t') {
			j++
		}
		if j == 0 && s != "" && !marker {
			r, _ := utf8.DecodeRuneInString(s)
			return bad("unexpected %q", r)
		}
		if strings.Count(s[:j], ":") > 1 {
			return bad("empty component")
		}
		s = s[j:]
	}
	if n == 0 {
		return bad("no number")
	}
	_ = sawMarker
	v := comps[0] + comps[1]/60 + comps[2]/3600
	if neg {
		v = -v
	}
	if !finite(v) {
		return bad("not finite")
	}
	return v, nil
}

// FormatHMS formats an angle as hours, minutes and seconds with the given
// number of decimals of seconds (0-9), e.g. "12h34m56.70s"; the angle is
// normalized into [0h, 24h) first.
func FormatHMS(a Angle, decimals int) string {
	h, m, s, _ := splitSexagesimal(a.Norm().Hours(), decimals)
	if h == 24 {
		h = 0
	}
	return fmt.Sprintf("%02dh%02dm%ss", h, m, fmtSec(s, decimals))
}

// FormatHMSColon formats like FormatHMS with colons: "12:34:56.70".
func FormatHMSColon(a Angle, decimals int) string {
	h, m, s, _ := splitSexagesimal(a.Norm().Hours(), decimals)
	if h == 24 {
		h = 0
	}
	return fmt.Sprintf("%02d:%02d:%s", h, m, fmtSec(s, decimals))
}

// FormatDMS formats an angle as signed degrees, arcminutes and arcseconds
// with the given decimals (0-9), e.g. "+12°34′56.7″" or "-00°30′00.0″".
func FormatDMS(a Angle, decimals int) string {
	d, m, s, neg := splitSexagesimal(a.Deg(), decimals)
	sign := "+"
	if neg {
		sign = "-"
	}
	return fmt.Sprintf("%s%02d°%02d′%s″", sign, d, m, fmtSec(s, decimals))
}

// FormatDMSColon formats like FormatDMS with colons: "-00:30:00.0".
func FormatDMSColon(a Angle, decimals int) string {
	d, m, s, neg := splitSexagesimal(a.Deg(), decimals)
	sign := "+"
	if neg {
		sign = "-"
	}
	return fmt.Sprintf("%s%02d:%02d:%s", sign, d, m, fmtSec(s, decimals))
}

func fmtSec(s float64, decimals int) string {
	if decimals <= 0 {
		return fmt.Sprintf("%02.0f", s)
	}
	return fmt.Sprintf("%0*.*f", decimals+3, decimals, s)
}

// splitSexagesimal rounds |x| to the decimals of its seconds and splits it,
// carrying 60 s → 1 m → 1 unit.
func splitSexagesimal(x float64, decimals int) (u, m int, s float64, neg bool) {
	if decimals < 0 {
		decimals = 0
	}
	if decimals > 9 {
		decimals = 9
	}
	if !finite(x) {
		return 0, 0, 0, false
	}
	neg = math.Signbit(x)
	x = math.Abs(x)
	scale := math.Pow(10, float64(decimals))
	total := math.Round(x*3600*scale) / scale // seconds, rounded
	if total > 1e12 {
		total = 1e12
	}
	ui := math.Floor(total / 3600)
	rem := total - ui*3600
	mi := math.Floor(rem / 60)
	s = rem - mi*60
	if s < 0 {
		s = 0
	}
	if total == 0 {
		// keep the sign of a negative zero only if the input was below zero
		neg = neg && x != 0
	}
	return int(ui), int(mi), s, neg
}
