package subscribe

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// German umlauts have two sensible ASCII spellings ("Müller" is written
// "Mueller" or "Muller"); names are compared under both.
var germanFold = map[rune]string{'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "ae", 'Ö': "oe", 'Ü': "ue"}

// Letters that do not decompose into a base letter and a mark under NFD.
var specialFold = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// fold lowercases s, removes accents (Latin letters with diacritics become
// their base letter, combining marks are dropped) and maps
// the letters without decomposition to ASCII. With german set, ä, ö and ü
// become ae, oe and ue. Runs of white space collapse to one space and the
// result is trimmed.
func fold(s string, german bool) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		if isFolded(s) {
			return s
		}
		return foldASCII(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune) {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			return
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			emit(rune(s[i]))
		}
		return b.String()
	}
	if german {
		var g strings.Builder
		for _, r := range s {
			if x, ok := germanFold[r]; ok {
				g.WriteString(x)
			} else {
				g.WriteRune(r)
			}
		}
		s = g.String()
	}
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if x, ok := accentFold[r]; ok {
			emit(rune(x))
			continue
		}
		if x, ok := specialFold[r]; ok {
			for _, c := range x {
				emit(c)
			}
			continue
		}
		if r == utf8.RuneError {
			continue
		}
		emit(r)
	}
	return b.String()
}

// foldASCII folds an ASCII string like fold, with one allocation.
func foldASCII(s string) string {
	var buf [64]byte
	b := buf[:0]
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || (c >= '\t' && c <= '\r'):
			space = len(b) > 0
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return string(b)
}

// isFolded reports whether the ASCII string s is already lower case with
// single inner spaces and no other white space.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}

// hasGerman reports whether s contains a letter folded differently under
// the German rule.
func hasGerman(s string) bool {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return false
	}
	for _, r := range s {
		if _, ok := germanFold[r]; ok {
			return true
		}
	}
	return false
}

// foldKey is the comparison key of facilities, instruments and sources.
func foldKey(s string) string { return fold(strings.TrimSpace(s), false) }

// programmeKey is the comparison key of programme IDs: upper case, no
// surrounding or inner white space.
func programmeKey(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c <= ' ' || (c >= 'a' && c <= 'z') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// targetKey normalizes a target name: folded, without white space or
// underscores.
func targetKey(s string) string {
	if len(s) <= 64 {
		// ASCII: fold and drop white space and underscores in one pass.
		var buf [64]byte
		b := buf[:0]
		ascii, same := true, true
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= utf8.RuneSelf:
				ascii = false
			case c == ' ' || c == '_' || (c >= '\t' && c <= '\r'):
				same = false
				continue
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
				same = false
			}
			b = append(b, c)
		}
		if ascii {
			if same {
				return s
			}
			return string(b)
		}
	}
	return targetKeyFold(s)
}

// targetKeyFold is targetKey for any string.
func targetKeyFold(s string) string {
	f := fold(s, false)
	if !strings.ContainsAny(f, " _") {
		return f
	}
	var b strings.Builder
	for _, r := range f {
		if r == ' ' || r == '_' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nameKey is a person's name reduced for comparison: surname and first
// initial (empty when not given).
type nameKey struct {
	surname string
	initial string
}

var particles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "del": true, "della": true,
	"di": true, "da": true, "du": true, "le": true, "la": true, "dos": true, "das": true,
	"ter": true, "ten": true, "zu": true, "af": true,
}

// parseName reduces a name ("Smith, John", "J. Smith", "van der Berg, A.",
// "Müller") to its keys: one per folding (two when the name has German
// umlauts). It returns nil when the name has no letters or digits.
func parseName(s string) []nameKey { return appendName(nil, s) }

// appendName appends the keys of the name s to dst (see parseName).
func appendName(dst []nameKey, s string) []nameKey {
	if k, ok := parseFolded(fold(s, false)); ok {
		dst = append(dst, k)
	}
	if hasGerman(s) {
		if k, ok := parseFolded(fold(s, true)); ok {
			dst = append(dst, k)
		}
	}
	return dst
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\''
}

// span is a token's byte range in a string.
type span struct{ a, b int }

// tokenSpans appends the spans of the name tokens of s[from:to] to dst.
func tokenSpans(dst []span, s string, from, to int) []span {
	start := -1
	for i, r := range s[from:to] {
		i += from
		if isNameRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			dst = append(dst, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, span{start, to})
	}
	return dst
}

// joinSpans returns the tokens joined by single spaces, without copying
// when there is one token.
func joinSpans(s string, ts []span) string {
	if len(ts) == 1 {
		return s[ts[0].a:ts[0].b]
	}
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[t.a:t.b])
	}
	return b.String()
}

func parseFolded(f string) (nameKey, bool) {
	var buf [12]span
	var sur, given []span
	if c := strings.IndexByte(f, ','); c >= 0 {
		sur = tokenSpans(buf[:0], f, 0, c)
		n := len(sur)
		all := tokenSpans(sur, f, c+1, len(f))
		sur, given = all[:n], all[n:]
		if len(sur) == 0 {
			sur, given = given, nil
			if len(sur) > 1 {
				sur, given = sur[len(sur)-1:], sur[:len(sur)-1]
			}
		}
	} else {
		t := tokenSpans(buf[:0], f, 0, len(f))
		if len(t) == 0 {
			return nameKey{}, false
		}
		i := len(t) - 1
		for i > 0 && particles[f[t[i-1].a:t[i-1].b]] {
			i--
		}
		sur, given = t[i:], t[:i]
	}
	if len(sur) == 0 {
		return nameKey{}, false
	}
	k := nameKey{surname: joinSpans(f, sur)}
	if len(given) > 0 {
		_, n := utf8.DecodeRuneInString(f[given[0].a:])
		k.initial = f[given[0].a : given[0].a+n]
	}
	return k, true
}

// namesMatch applies the observer rule: same surname, and the same first
// initial when both give one.
func namesMatch(sub, act nameKey) bool {
	return sub.surname == act.surname && (sub.initial == "" || act.initial == "" || sub.initial == act.initial)
}

// glob is a compiled target pattern over a normalized target name.
type glob struct {
	literal bool   // no wildcard: the pattern is an exact name
	star    bool   // the pattern is prefix followed by one "*"
	prefix  string // the literal characters before the first wildcard
	text    string // the pattern as given
	pat     []rune // the whole pattern, unless literal or star
	wild    []bool // wild[i]: pat[i] is a '*' or '?' wildcard
}

// compileGlob compiles a target pattern: the name is normalized like
// targetKey; "*" matches any run, "?" one character, "\" escapes the next
// character.
func compileGlob(p string) (glob, error) {
	// The usual patterns, a name or a name followed by "*", directly.
	body, star := strings.CutSuffix(p, "*")
	if !strings.ContainsAny(body, `*?\`) {
		if k := targetKey(body); k != "" {
			return glob{literal: !star, star: star, prefix: k, text: p}, nil
		}
	}
	g, err := compileGlobGeneral(p)
	if err != nil {
		return glob{}, err
	}
	return *g, nil
}

// compileGlobGeneral compiles any pattern.
func compileGlobGeneral(p string) (*glob, error) {
	g := &glob{text: p}
	var lit strings.Builder
	flush := func() {
		for _, r := range targetKey(lit.String()) {
			g.pat = append(g.pat, r)
			g.wild = append(g.wild, false)
		}
		lit.Reset()
	}
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r {
		case '\\':
			if i+1 >= len(rs) {
				return nil, errors.New("pattern ends with an unescaped backslash")
			}
			flush()
			i++
			for _, c := range targetKey(string(rs[i])) {
				g.pat = append(g.pat, c)
				g.wild = append(g.wild, false)
			}
		case '*', '?':
			flush()
			g.pat = append(g.pat, r)
			g.wild = append(g.wild, true)
		default:
			lit.WriteRune(r)
		}
	}
	flush()
	if len(g.pat) == 0 {
		return nil, errors.New("pattern is empty after normalization")
	}
	g.literal = true
	var pre strings.Builder
	for i, r := range g.pat {
		if g.wild[i] {
			g.literal = false
			break
		}
		pre.WriteRune(r)
	}
	g.prefix = pre.String()
	if g.literal {
		g.pat, g.wild = nil, nil
	} else if n := len(g.pat); g.pat[n-1] == '*' && g.wild[n-1] && utf8.RuneCountInString(g.prefix) == n-1 {
		g.star, g.pat, g.wild = true, nil, nil
	}
	return g, nil
}

// match reports whether the normalized name s matches the pattern.
func (g *glob) match(s string) bool {
	if g.literal {
		return s == g.prefix
	}
	if !strings.HasPrefix(s, g.prefix) {
		return false
	}
	if g.star {
		return true
	}
	name := []rune(s)
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		switch {
		case p < len(g.pat) && g.wild[p] && g.pat[p] == '*':
			starP, starN = p, n
			p++
		case p < len(g.pat) && ((g.wild[p] && g.pat[p] == '?') || (!g.wild[p] && g.pat[p] == name[n])):
			p++
			n++
		case starP >= 0:
			p = starP + 1
			starN++
			n = starN
		default:
			return false
		}
	}
	for p < len(g.pat) && g.wild[p] && g.pat[p] == '*' {
		p++
	}
	return p == len(g.pat)
}
