package catalogs

import (
	"strings"
	"unicode"

	"github.com/arcsecond-go/arcsecond/internal/lazy"
)

// foldTable maps accented and compatibility characters to their ASCII
// spelling, so that "Pachón", "Pachon" and "PACHON" compare equal and
// "xi² Cet" matches "xi2 Cet". It covers Latin-1, Latin Extended-A and the
// super/subscript digits, which is every non-ASCII letter in the embedded
// data; other letters are kept as they are (lower-cased).
var foldTableValue lazy.Value[map[rune]string]

func foldTable() map[rune]string { return foldTableValue.MustGet(loadFoldTable) }

func loadFoldTable() map[rune]string { // built on first use: no work at init
	return map[rune]string{
		'À': "a", 'Á': "a", 'Â': "a", 'Ã': "a", 'Ä': "a", 'Å': "a", 'Æ': "ae", 'Ç': "c",
		'È': "e", 'É': "e", 'Ê': "e", 'Ë': "e", 'Ì': "i", 'Í': "i", 'Î': "i", 'Ï': "i",
		'Ð': "d", 'Ñ': "n", 'Ò': "o", 'Ó': "o", 'Ô': "o", 'Õ': "o", 'Ö': "o", 'Ø': "o",
		'Ù': "u", 'Ú': "u", 'Û': "u", 'Ü': "u", 'Ý': "y", 'Þ': "th", 'ß': "ss",
		'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
		'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
		'ð': "d", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o",
		'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'þ': "th", 'ÿ': "y",
		'Ā': "a", 'ā': "a", 'Ă': "a", 'ă': "a", 'Ą': "a", 'ą': "a", 'Ć': "c", 'ć': "c",
		'Č': "c", 'č': "c", 'Ď': "d", 'ď': "d", 'Đ': "d", 'đ': "d", 'Ē': "e", 'ē': "e",
		'Ė': "e", 'ė': "e", 'Ę': "e", 'ę': "e", 'Ě': "e", 'ě': "e", 'Ğ': "g", 'ğ': "g",
		'Ī': "i", 'ī': "i", 'İ': "i", 'ı': "i", 'Ł': "l", 'ł': "l", 'Ń': "n", 'ń': "n",
		'Ň': "n", 'ň': "n", 'Ō': "o", 'ō': "o", 'Ő': "o", 'ő': "o", 'Œ': "oe", 'œ': "oe",
		'Ř': "r", 'ř': "r", 'Ś': "s", 'ś': "s", 'Ş': "s", 'ş': "s", 'Š': "s", 'š': "s",
		'Ţ': "t", 'ţ': "t", 'Ť': "t", 'ť': "t", 'Ū': "u", 'ū': "u", 'Ů': "u", 'ů': "u",
		'Ű': "u", 'ű': "u", 'Ź': "z", 'ź': "z", 'Ż': "z", 'ż': "z", 'Ž': "z", 'ž': "z",
		'⁰': "0", '¹': "1", '²': "2", '³': "3", '⁴': "4", '⁵': "5", '⁶': "6", '⁷': "7", '⁸': "8", '⁹': "9",
		'₀': "0", '₁': "1", '₂': "2", '₃': "3", '₄': "4", '₅': "5", '₆': "6", '₇': "7", '₈': "8", '₉': "9",
		'′': "'", 'ʹ': "'",
	}
}

// prefixSynonyms rewrites a leading designation word to the short form the
// catalogues use, so that "Messier 31" finds "M 31" and "Hipparcos 77"
// finds "HIP 77". Only whole leading words are rewritten.
var prefixSynonymsValue lazy.Value[map[string]string]

func prefixSynonyms() map[string]string { return prefixSynonymsValue.MustGet(loadPrefixSynonyms) }

func loadPrefixSynonyms() map[string]string {
	return map[string]string{
		"messier":        "m",
		"hipparcos":      "hip",
		"henrydraper":    "hd",
		"harvardrevised": "hr",
		"bsc":            "hr",
		"alph":           "alpha",
		"alf":            "alpha",
		"bet":            "beta",
		"gam":            "gamma",
		"del":            "delta",
		"eps":            "epsilon",
		"zet":            "zeta",
		"tet":            "theta",
		"kap":            "kappa",
		"lam":            "lambda",
		"ome":            "omega",
		"ups":            "upsilon",
		"sig":            "sigma",
	}
}

// NormalizeName returns the key under which a name is indexed: lower case,
// accents folded, every character other than a letter or digit dropped, and
// a leading designation word ("Messier", "Hipparcos") or abbreviated Greek
// letter ("Alph", "bet") rewritten to one spelling. "M 31", "m31" and
// "Messier 31" all give "m31".
func NormalizeName(s string) string {
	words := splitWords(s)
	if len(words) == 0 {
		return ""
	}
	// Join a two-word designation such as "Henry Draper" before the lookup.
	if len(words) > 1 {
		if syn, ok := prefixSynonyms()[words[0]+words[1]]; ok {
			words = append([]string{syn}, words[2:]...)
		}
	}
	if syn, ok := prefixSynonyms()[words[0]]; ok && len(words) > 1 {
		words[0] = syn
	}
	return strings.Join(words, "")
}

// splitWords folds s and splits it into runs of letters and of digits
// separated by anything else. Letters and digits next to each other stay in
// one word ("M31" is one word).
func splitWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		if r >= 0x80 {
			r = unicode.ToLower(r)
		}
		if f, ok := foldTable()[r]; ok {
			for _, fr := range f {
				if unicode.IsLetter(fr) || unicode.IsDigit(fr) {
					b.WriteRune(fr)
				} else {
					flush()
				}
			}
			continue
		}
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r < 0x80 && r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r):
			// a combining accent: drop it, keep the word going
		default:
			flush()
		}
	}
	flush()
	return words
}

// slug turns a name into a stable lower-case identifier made of letters,
// digits and dashes.
func slug(s string) string {
	return strings.Join(splitWords(s), "-")
}
