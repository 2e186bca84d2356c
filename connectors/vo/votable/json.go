package votable

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the row as one JSON object keyed by the table's Keys
// (the field's name, or ID when it has no name, made distinct when two
// fields share it): nulls as null, arrays as arrays
// (elements in VOTable order), complex numbers as [re, im], char values as
// their text, NaN and infinite floats as null.
func (r Row) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	for i := range r.cells {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, r.t.Fields[i].columnKey())
		dst = append(dst, ':')
		dst = r.AppendJSONValue(dst, i)
	}
	return append(dst, '}')
}

// AppendJSONValue appends cell i as a JSON value (see AppendJSON).
func (r Row) AppendJSONValue(dst []byte, i int) []byte {
	if !r.ok(i) {
		return append(dst, "null"...)
	}
	f := &r.t.Fields[i]
	c := r.cells[i]
	switch {
	case f.Type.isChar():
		if f.IsArray() {
			ss, _ := r.Strings(i)
			dst = append(dst, '[')
			for k, s := range ss {
				if k > 0 {
					dst = append(dst, ',')
				}
				dst = appendJSONString(dst, s)
			}
			return append(dst, ']')
		}
		return appendJSONBytes(dst, r.chars[c.off:c.off+c.n])
	case f.Type == TypeBoolean:
		if !f.IsArray() {
			return strconv.AppendBool(dst, c.i == 1)
		}
		dst = append(dst, '[')
		for k, v := range r.ints[c.off : c.off+c.n] {
			if k > 0 {
				dst = append(dst, ',')
			}
			if v < 0 {
				dst = append(dst, "null"...)
			} else {
				dst = strconv.AppendBool(dst, v == 1)
			}
		}
		return append(dst, ']')
	case f.Type.isInt():
		if !f.IsArray() {
			return strconv.AppendInt(dst, c.i, 10)
		}
		dst = append(dst, '[')
		for k, v := range r.ints[c.off : c.off+c.n] {
			if k > 0 {
				dst = append(dst, ',')
			}
			if f.hasNullInt && v == f.nullInt {
				dst = append(dst, "null"...) // an element equal to the VALUES null
				continue
			}
			dst = strconv.AppendInt(dst, v, 10)
		}
		return append(dst, ']')
	case f.Type.isFloat():
		bits := 64
		if f.Type == TypeFloat {
			bits = 32
		}
		if !f.IsArray() {
			return appendJSONFloat(dst, c.f, bits)
		}
		dst = append(dst, '[')
		for k, v := range r.flts[c.off : c.off+c.n] {
			if k > 0 {
				dst = append(dst, ',')
			}
			if f.hasNullFlt && v == f.nullFlt {
				dst = append(dst, "null"...) // an element equal to the VALUES null
				continue
			}
			dst = appendJSONFloat(dst, v, bits)
		}
		return append(dst, ']')
	case f.Type.isComplex():
		bits := 64
		if f.Type == TypeFloatComplex {
			bits = 32
		}
		if !f.IsArray() {
			dst = append(dst, '[')
			dst = appendJSONFloat(dst, c.f, bits)
			dst = append(dst, ',')
			dst = appendJSONFloat(dst, c.im, bits)
			return append(dst, ']')
		}
		dst = append(dst, '[')
		fs := r.flts[c.off : c.off+2*c.n]
		for k := 0; k < int(c.n); k++ {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '[')
			dst = appendJSONFloat(dst, fs[2*k], bits)
			dst = append(dst, ',')
			dst = appendJSONFloat(dst, fs[2*k+1], bits)
			dst = append(dst, ']')
		}
		return append(dst, ']')
	}
	return append(dst, "null"...)
}

func appendJSONFloat(dst []byte, v float64, bits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(dst, "null"...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, bits)
}

func appendJSONString(dst []byte, s string) []byte { return appendJSONBytes(dst, []byte(s)) }

const hexDigits = "0123456789abcdef"

// appendJSONBytes appends b as a JSON string; bytes that are not UTF-8
// become U+FFFD.
func appendJSONBytes(dst []byte, b []byte) []byte {
	dst = append(dst, '"')
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			default:
				dst = append(dst, c)
			}
			b = b[1:]
			continue
		}
		rn, n := utf8.DecodeRune(b)
		if rn == utf8.RuneError && n == 1 {
			dst = append(dst, "\ufffd"...)
		} else {
			dst = append(dst, b[:n]...)
		}
		b = b[n:]
	}
	return append(dst, '"')
}
