package votable

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// parseInt parses a decimal or 0x-hexadecimal integer with optional sign.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var u uint64
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		b = b[2:]
		if len(b) == 0 || len(b) > 16 {
			return 0, false
		}
		for _, c := range b {
			var d byte
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'a' && c <= 'f':
				d = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return 0, false
			}
			u = u<<4 | uint64(d)
		}
		// hexadecimal is two's complement of the field width; callers narrow
		v := int64(u)
		if neg {
			v = -v
		}
		return v, true
	}
	if len(b) > 19 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func parseFloat(b []byte, bits int) (float64, bool) {
	if bits == 64 {
		if v, ok := fastFloat(b); ok {
			return v, true
		}
	}
	v, err := strconv.ParseFloat(bstr(b), bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}

// pow10 holds the powers of ten that a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses the common decimal forms ([sign] digits [. digits]
// [e [sign] digits]) whose significand fits in 53 bits and whose decimal
// exponent is at most 22 in size: the significand and the power of ten are
// then both exact, so one multiplication or division rounds correctly
// (Clinger's fast path, as strconv's own). ok is false for anything else,
// which the caller hands to strconv.ParseFloat.
func fastFloat(b []byte) (float64, bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i++
	}
	start := i
	mant, i := decimalDigits(b, i, 0)
	nd := i - start // digits read
	exp := 0
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		mant, i = decimalDigits(b, i, mant)
		exp = fs - i
		nd += i - fs
	}
	// more than 19 digits may have overflowed: leave them to strconv
	if nd == 0 || nd > 19 {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		e, ne := 0, 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if ne == 3 {
				return 0, false
			}
			e = e*10 + int(b[i]-'0')
			ne++
		}
		if ne == 0 {
			return 0, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) || mant > 1<<53 {
		return 0, false
	}
	f := float64(mant)
	switch {
	case exp == 0:
	case exp > 0 && exp <= 22:
		f *= pow10[exp]
	case exp < 0 && exp >= -22:
		f /= pow10[-exp]
	default:
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// decimalDigits reads the run of decimal digits at b[i:] into mant (which
// wraps around past 19 digits: callers count them), eight at a time where
// it can. It returns mant and the index after the run.
func decimalDigits(b []byte, i int, mant uint64) (uint64, int) {
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		// all eight are digits when every byte is 0x30 to 0x39
		if (x&0xF0F0F0F0F0F0F0F0)|(((x+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) != 0x3333333333333333 {
			break
		}
		// pairs, then fours, then all eight, first digit most significant
		x = (x & 0x0F0F0F0F0F0F0F0F) * (1 + 10<<8) >> 8
		x = (x & 0x00FF00FF00FF00FF) * (1 + 100<<16) >> 16
		x = (x & 0x0000FFFF0000FFFF) * (1 + 10000<<32) >> 32
		mant = mant*100000000 + x
		i += 8
	}
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
	}
	return mant, i
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isNullLiteral(b []byte) bool {
	switch len(b) {
	case 4:
		return (b[0] == 'N' || b[0] == 'n') && (b[1] == 'U' || b[1] == 'u') && (b[2] == 'L' || b[2] == 'l') && (b[3] == 'L' || b[3] == 'l')
	case 2:
		return string(b) == "--"
	case 1:
		return b[0] == '-' || b[0] == '?'
	case 3:
		return string(b) == "N/A" || string(b) == "n/a"
	case 5:
		return string(b) == "(nil)" || string(b) == "-----"
	}
	return false
}

// intRange checks a value against its datatype's range, narrowing
// hexadecimal two's complement notation.
func intRange(dt Datatype, v int64, hex bool) (int64, bool) {
	switch dt {
	case TypeUnsignedByte:
		return v, v >= 0 && v <= 255
	case TypeShort:
		if hex && v >= 0 && v <= 0xffff {
			return int64(int16(v)), true
		}
		return v, v >= math.MinInt16 && v <= math.MaxInt16
	case TypeInt:
		if hex && v >= 0 && v <= 0xffffffff {
			return int64(int32(v)), true
		}
		return v, v >= math.MinInt32 && v <= math.MaxInt32
	case TypeBit:
		return v, v == 0 || v == 1
	}
	return v, true
}

func isHex(b []byte) bool {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		b = b[1:]
	}
	return len(b) > 1 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')
}

// setText decodes the TABLEDATA text of cell k of the current row.
func (r *Reader) setText(k int, text []byte) error {
	f := &r.table.Fields[k]
	c := &r.row.cells[k]
	*c = cell{}
	if f.Type.isChar() {
		return r.setCharText(f, c, text)
	}
	s := trimSpace(text)
	if len(s) == 0 {
		c.null = true
		return nil
	}
	if f.HasNull && !f.IsArray() && string(s) == f.Null {
		c.null = true
		return nil
	}
	if !f.IsArray() {
		switch {
		case f.Type == TypeBoolean:
			v, ok := parseBool(s)
			if !ok {
				return r.badCell(f, s, c)
			}
			if v < 0 {
				c.null = true
			}
			c.i = v
			return nil
		case f.Type.isInt():
			v, ok := parseInt(s)
			if ok {
				v, ok = intRange(f.Type, v, isHex(s))
				if !ok {
					c.null = true
					return r.warnHere(WarnOutOfRange, f.Key(), "value %q is out of range for %s; read as null", truncate(s, 40), f.Type)
				}
			} else {
				if fv, fok := parseFloat(s, 64); fok && fv == math.Trunc(fv) && math.Abs(fv) < 1<<53 {
					if err := r.warnHere(WarnFloatInInt, f.Key(), "integer written as %q", s); err != nil {
						return err
					}
					v, ok = int64(fv), true
				} else if fok && math.IsNaN(fv) {
					c.null = true
					return r.warnHere(WarnNullLiteral, f.Key(), "NaN in an integer column read as null")
				}
			}
			if !ok {
				return r.badCell(f, s, c)
			}
			c.i = v
			if f.hasNullInt && v == f.nullInt {
				c.null = true
			}
			return nil
		case f.Type.isFloat():
			v, ok := parseFloat(s, 64)
			if !ok {
				return r.badCell(f, s, c)
			}
			if f.Type == TypeFloat {
				v = float64(float32(v))
			}
			c.f = v
			if math.IsNaN(v) {
				c.null = true
			}
			return nil
		case f.Type.isComplex():
			re, im, ok := splitPair(s)
			if !ok {
				return r.badCell(f, s, c)
			}
			c.f, c.im = re, im
			if math.IsNaN(re) || math.IsNaN(im) {
				c.null = true
			}
			return nil
		}
		return r.badCell(f, s, c)
	}
	return r.setArrayText(f, c, s)
}

func splitPair(s []byte) (float64, float64, bool) {
	i := bytes.IndexAny(s, " \t\r\n")
	if i < 0 {
		return 0, 0, false
	}
	re, ok1 := parseFloat(s[:i], 64)
	im, ok2 := parseFloat(trimSpace(s[i:]), 64)
	return re, im, ok1 && ok2
}

// parseBool returns 1, 0, or -1 for a null. "true" and "false" are read
// in any case.
func parseBool(s []byte) (int64, bool) {
	switch string(s) {
	case "T", "t", "1":
		return 1, true
	case "F", "f", "0":
		return 0, true
	case "?", " ", "":
		return -1, true
	}
	switch {
	case bytes.EqualFold(s, []byte("true")):
		return 1, true
	case bytes.EqualFold(s, []byte("false")):
		return 0, true
	}
	return 0, false
}

func (r *Reader) badCell(f *Field, s []byte, c *cell) error {
	if isNullLiteral(s) {
		c.null = true
		return r.warnHere(WarnNullLiteral, f.Key(), "%q read as null", s)
	}
	c.null = true
	return r.warnHere(WarnBadValue, f.Key(), "%q is not a valid %s; read as null", truncate(s, 40), f.Type)
}

func truncate(s []byte, n int) string {
	if len(s) > n {
		return string(s[:n]) + "..."
	}
	return string(s)
}

func (r *Reader) setCharText(f *Field, c *cell, text []byte) error {
	if len(text) == 0 || (f.HasNull && string(text) == f.Null) {
		c.null = true
		return nil
	}
	if r.latin1() {
		c.off = int32(len(r.row.chars))
		r.row.chars = appendLatin1(r.row.chars, text)
		c.n = int32(len(r.row.chars)) - c.off
		return nil
	}
	if f.Type == TypeChar && !(r.borrowed && r.tdASCII) {
		if err := r.checkChars(f, text); err != nil {
			return err
		}
	}
	if len(f.Shape) == 1 && f.Shape[0] > 0 && len(text) > f.Shape[0] {
		// longer than a fixed arraysize: kept whole (real services
		// under-declare widths; cutting would lose data), with a warning
		if cut := fixedPrefix(f, text); len(cut) < len(text) && len(trimSpace(text[len(cut):])) > 0 {
			if err := r.warnHere(WarnArraySize, f.Key(), "text of %d characters is longer than the arraysize %d; kept whole", utf8.RuneCount(text), f.Shape[0]); err != nil {
				return err
			}
		}
	}
	c.n = int32(len(text))
	if r.borrowed {
		// read in place (pipedCells): text is the row's chars at tdText
		c.off = r.tdText
		return nil
	}
	c.off = int32(len(r.row.chars))
	r.row.chars = append(r.row.chars, text...)
	return nil
}

// fixedPrefix returns the first Shape[0] characters of text: bytes for
// char, characters for unicodeChar.
func fixedPrefix(f *Field, text []byte) []byte {
	n := f.Shape[0]
	if f.Type == TypeChar {
		// never cut inside a UTF-8 sequence
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		return text[:n]
	}
	for i := range string(text) {
		if n == 0 {
			return text[:i]
		}
		n--
	}
	return text
}

// latin1 reports whether the document declares ISO-8859-1 (or its
// Windows superset, or US-ASCII), whose bytes are then converted to UTF-8.
func (r *Reader) latin1() bool { return r.lat1 }

func isLatin1Encoding(enc string) bool {
	switch enc {
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "iso_8859-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		return true
	}
	return false
}

// appendLatin1 appends ISO-8859-1 bytes as UTF-8.
func appendLatin1(dst, b []byte) []byte {
	for _, c := range b {
		if c < 0x80 {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}

// checkChars warns about bytes beyond ASCII in a char value.
func (r *Reader) checkChars(f *Field, b []byte) error {
	if isASCII(b) {
		return nil
	}
	for _, ch := range b {
		if ch >= 0x80 {
			if !utf8.Valid(b) {
				return r.warnHere(WarnInvalidUTF8, f.Key(), "char value holds bytes that are not UTF-8")
			}
			if r.utf8Chars() {
				return nil
			}
			return r.warnHere(WarnNonASCII, f.Key(), "char value holds non-ASCII characters")
		}
	}
	return nil
}

// setArrayText decodes a numeric or boolean array cell.
func (r *Reader) setArrayText(f *Field, c *cell, s []byte) error {
	want := f.fixedCount()
	if f.Type != TypeBit && bytes.IndexByte(s, ',') >= 0 {
		// VOTable separates array elements by white space; some writers
		// use commas. Read them as separators, with a warning.
		if err := r.warnHere(WarnArraySeparator, f.Key(), "array elements separated by commas"); err != nil {
			return err
		}
		r.td2 = append(r.td2[:0], s...)
		for i, ch := range r.td2 {
			if ch == ',' {
				r.td2[i] = ' '
			}
		}
		s = r.td2
	}
	var n int
	switch {
	case f.Type == TypeBit:
		c.off = int32(len(r.row.ints))
		for _, ch := range s {
			switch ch {
			case '0', '1':
				r.row.ints = append(r.row.ints, int64(ch-'0'))
			case ' ', '\t', '\r', '\n':
			default:
				return r.badCell(f, s, c)
			}
		}
		n = len(r.row.ints) - int(c.off)
	case f.Type == TypeBoolean:
		c.off = int32(len(r.row.ints))
		for tok := range fieldsSeq(s) {
			v, ok := parseBool(tok)
			if !ok {
				// booleans may be written without separators: "TFT?"
				if len(fieldsOf(s)) == 1 {
					for _, ch := range tok {
						v, ok := parseBool([]byte{ch})
						if !ok {
							return r.badCell(f, s, c)
						}
						r.row.ints = append(r.row.ints, v)
					}
					continue
				}
				return r.badCell(f, s, c)
			}
			r.row.ints = append(r.row.ints, v)
		}
		n = len(r.row.ints) - int(c.off)
	case f.Type.isInt():
		c.off = int32(len(r.row.ints))
		for tok := range fieldsSeq(s) {
			v, ok := parseInt(tok)
			if ok {
				v, ok = intRange(f.Type, v, isHex(tok))
			}
			if !ok {
				if isNullLiteral(tok) || string(tok) == "NaN" {
					if err := r.warnHere(WarnNullLiteral, f.Key(), "array element %q read as the null value", tok); err != nil {
						return err
					}
					v = f.nullInt
				} else {
					return r.errHere(f.Key(), nil, "array element %q is not a valid %s", truncate(tok, 40), f.Type)
				}
			}
			r.row.ints = append(r.row.ints, v)
		}
		n = len(r.row.ints) - int(c.off)
	case f.Type.isFloat():
		c.off = int32(len(r.row.flts))
		for tok := range fieldsSeq(s) {
			v, ok := parseFloat(tok, 64)
			if !ok {
				if isNullLiteral(tok) {
					v = math.NaN()
				} else {
					return r.errHere(f.Key(), nil, "array element %q is not a valid %s", truncate(tok, 40), f.Type)
				}
			}
			if f.Type == TypeFloat {
				v = float64(float32(v))
			}
			r.row.flts = append(r.row.flts, v)
		}
		n = len(r.row.flts) - int(c.off)
	case f.Type.isComplex():
		c.off = int32(len(r.row.flts))
		for tok := range fieldsSeq(s) {
			v, ok := parseFloat(tok, 64)
			if !ok {
				return r.errHere(f.Key(), nil, "array element %q is not a valid %s", truncate(tok, 40), f.Type)
			}
			r.row.flts = append(r.row.flts, v)
		}
		n = len(r.row.flts) - int(c.off)
		if n%2 != 0 {
			return r.errHere(f.Key(), nil, "complex array has an odd number of parts (%d)", n)
		}
		n /= 2
	}
	c.n = int32(n)
	if want > 0 && n == want && r.allNullElems(f, c) {
		c.null = true
	}
	if want >= 0 && n != want {
		return r.errHere(f.Key(), nil, "array has %d elements, arraysize %q needs %d", n, f.Arraysize, want)
	}
	if want < 0 && len(f.Shape) > 1 {
		block := 1
		for _, d := range f.Shape[:len(f.Shape)-1] {
			block *= d
		}
		if block > 0 && n%block != 0 {
			return r.errHere(f.Key(), nil, "array has %d elements, not a multiple of %d for arraysize %q", n, block, f.Arraysize)
		}
	}
	return nil
}

func fieldsOf(s []byte) [][]byte { return bytes.Fields(s) }

// fieldsSeq iterates the white-space separated tokens of s.
func fieldsSeq(s []byte) func(yield func([]byte) bool) {
	return func(yield func([]byte) bool) {
		i := 0
		for i < len(s) {
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			j := i
			for j < len(s) && !isSpace(s[j]) {
				j++
			}
			if j > i {
				if !yield(s[i:j]) {
					return
				}
			}
			i = j
		}
	}
}

// utf8Chars reports whether char holds UTF-8 (VOTable 1.5 and later).
func (r *Reader) utf8Chars() bool {
	v := r.doc.Version
	return v >= "1.5" && len(v) == 3
}

// allNullElems reports whether every element of a fixed-size numeric or
// boolean array is a null (NaN, the VALUES null, or '?'): the cell is then
// a null. This is how TABLEDATA and BINARY write a null fixed array.
func (r *Reader) allNullElems(f *Field, c *cell) bool {
	switch {
	case f.Type.isFloat() || f.Type.isComplex():
		m := int(c.n)
		if f.Type.isComplex() {
			m *= 2
		}
		for _, v := range r.row.flts[c.off : int(c.off)+m] {
			if !math.IsNaN(v) {
				return false
			}
		}
		return true
	case f.Type == TypeBoolean:
		for _, v := range r.row.ints[c.off : c.off+c.n] {
			if v >= 0 {
				return false
			}
		}
		return true
	case f.Type.isInt() && f.hasNullInt:
		for _, v := range r.row.ints[c.off : c.off+c.n] {
			if v != f.nullInt {
				return false
			}
		}
		return true
	}
	return false
}
