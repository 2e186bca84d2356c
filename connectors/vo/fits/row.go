package fits

import (
	"encoding/binary"
	"math"
	"strings"
)

// Row is one row of a binary table, decoded cell by cell on demand from its
// bytes. A Row from Reader.Row is valid until the next call to Next; Clone
// keeps a copy.
type Row struct {
	t     *Table
	b     []byte
	index int64
}

// Index returns the row's number, from 0.
func (r Row) Index() int64 { return r.index }

// Len returns the number of cells.
func (r Row) Len() int { return len(r.t.Columns) }

// Column returns the column of cell i.
func (r Row) Column(i int) *Column { return &r.t.Columns[i] }

// Clone returns a copy of the row that stays valid.
func (r Row) Clone() Row {
	r.b = append([]byte(nil), r.b...)
	return r
}

// Raw returns the bytes of cell i as stored (big-endian).
func (r Row) Raw(i int) []byte {
	c := &r.t.Columns[i]
	return r.b[c.Offset : c.Offset+c.Width]
}

func (r Row) col(i int) (*Column, []byte, bool) {
	if i < 0 || i >= len(r.t.Columns) {
		return nil, nil, false
	}
	c := &r.t.Columns[i]
	return c, r.b[c.Offset : c.Offset+c.Width], true
}

// rawInt returns element k of an integer column as stored, and whether it
// is the TNULL value.
func rawInt(c *Column, b []byte, k int) (int64, bool) {
	var v int64
	switch c.Type {
	case 'B':
		v = int64(b[k])
	case 'I':
		v = int64(int16(binary.BigEndian.Uint16(b[2*k:])))
	case 'J':
		v = int64(int32(binary.BigEndian.Uint32(b[4*k:])))
	case 'K':
		v = int64(binary.BigEndian.Uint64(b[8*k:]))
	}
	return v, c.HasNull && v == c.Null
}

// physFloat returns element k of a numeric column as a physical value;
// null is true for TNULL or NaN.
func physFloat(c *Column, b []byte, k int) (float64, bool) {
	switch c.Type {
	case 'E':
		v := float64(math.Float32frombits(binary.BigEndian.Uint32(b[4*k:])))
		return v*c.Scale + c.Zero, v != v
	case 'D':
		v := math.Float64frombits(binary.BigEndian.Uint64(b[8*k:]))
		return v*c.Scale + c.Zero, v != v
	}
	v, null := rawInt(c, b, k)
	if null {
		return math.NaN(), true
	}
	if c.Type == 'K' && c.Scale == 1 && c.Zero == 1<<63 {
		return float64(uint64(v) ^ 1<<63), false // unsigned 64-bit
	}
	return float64(v)*c.Scale + c.Zero, false
}

// physInt returns element k of an integer column with integral scaling as
// an int64; ok is false for a null or a value int64 cannot hold.
func physInt(c *Column, b []byte, k int) (int64, bool) {
	v, null := rawInt(c, b, k)
	if null {
		return 0, false
	}
	if c.Zero == 0 {
		return v, true
	}
	if c.Type == 'K' && c.Zero == 1<<63 {
		u := uint64(v) ^ 1<<63
		if u > math.MaxInt64 {
			return 0, false
		}
		return int64(u), true
	}
	z := int64(c.Zero)
	s := v + z
	if (z > 0 && s < v) || (z < 0 && s > v) {
		return 0, false
	}
	return s, true
}

// IsNull reports whether cell i is a null scalar (TNULL, NaN, a zero
// logical), or out of range.
func (r Row) IsNull(i int) bool {
	c, b, ok := r.col(i)
	if !ok {
		return true
	}
	if c.Repeat != 1 {
		return c.Repeat == 0
	}
	switch {
	case c.Type == 'L':
		return b[0] != 'T' && b[0] != 'F'
	case c.IsInt():
		_, null := rawInt(c, b, 0)
		return null
	case c.IsFloat():
		_, null := physFloat(c, b, 0)
		return null
	case c.IsComplex():
		_, ok := r.Complex(i)
		return !ok
	}
	return false
}

// Float returns a scalar numeric cell (integers included) as a physical
// float64. ok is false for a null or a cell of another kind.
func (r Row) Float(i int) (float64, bool) {
	c, b, ok := r.col(i)
	if !ok || c.Repeat != 1 || !(c.IsInt() || c.IsFloat()) {
		return 0, false
	}
	v, null := physFloat(c, b, 0)
	return v, !null
}

// Int returns a scalar integer cell whose scaling keeps integers (TSCAL
// 1, integer TZERO) as an int64. ok is false for a null, for a value int64
// cannot hold, or for a cell of another kind (use Float).
func (r Row) Int(i int) (int64, bool) {
	c, b, ok := r.col(i)
	if !ok || c.Repeat != 1 || !c.IsInt() || !c.integral() {
		return 0, false
	}
	return physInt(c, b, 0)
}

// Bool returns a scalar logical cell; ok is false for a null (a zero
// byte) or any byte other than T and F.
func (r Row) Bool(i int) (bool, bool) {
	c, b, ok := r.col(i)
	if !ok || c.Repeat != 1 || c.Type != 'L' {
		return false, false
	}
	switch b[0] {
	case 'T':
		return true, true
	case 'F':
		return false, true
	}
	return false, false
}

// String returns a character cell: the text up to the first NUL, trailing
// spaces removed (FITS pads strings with spaces or NULs).
func (r Row) String(i int) (string, bool) {
	c, b, ok := r.col(i)
	if !ok || c.Type != 'A' {
		return "", false
	}
	return cString(b), true
}

func cString(b []byte) string {
	for k, ch := range b {
		if ch == 0 {
			b = b[:k]
			break
		}
	}
	return strings.TrimRight(string(b), " ")
}

// Strings returns a character cell split along its first TDIM dimension
// (each string trimmed as by String), or a one-element list without TDIM.
func (r Row) Strings(i int) ([]string, bool) {
	c, b, ok := r.col(i)
	if !ok || c.Type != 'A' {
		return nil, false
	}
	if len(c.Dim) < 2 || c.Dim[0] == 0 {
		return []string{cString(b)}, true
	}
	w := c.Dim[0]
	n := 1
	for _, d := range c.Dim[1:] {
		n *= d
		if n > len(b) || n < 0 {
			n = len(b) // TDIM is checked against the repeat: this bounds it
		}
	}
	out := make([]string, 0, min(n, len(b)/w))
	for k := 0; k < n && (k+1)*w <= len(b); k++ {
		out = append(out, cString(b[k*w:(k+1)*w]))
	}
	return out, true
}

// Complex returns a scalar complex cell; ok is false when either part is
// NaN.
func (r Row) Complex(i int) (complex128, bool) {
	c, b, ok := r.col(i)
	if !ok || c.Repeat != 1 || !c.IsComplex() {
		return 0, false
	}
	re, im := complexAt(c, b, 0)
	return complex(re, im), re == re && im == im
}

func complexAt(c *Column, b []byte, k int) (float64, float64) {
	var re, im float64
	if c.Type == 'C' {
		re = float64(math.Float32frombits(binary.BigEndian.Uint32(b[8*k:])))
		im = float64(math.Float32frombits(binary.BigEndian.Uint32(b[8*k+4:])))
	} else {
		re = math.Float64frombits(binary.BigEndian.Uint64(b[16*k:]))
		im = math.Float64frombits(binary.BigEndian.Uint64(b[16*k+8:]))
	}
	return re*c.Scale + c.Zero, im * c.Scale
}

// AppendFloats appends every element of a numeric cell (integer, float or
// complex as real and imaginary parts) as physical values, NaN for null
// elements.
func (r Row) AppendFloats(dst []float64, i int) ([]float64, bool) {
	c, b, ok := r.col(i)
	if !ok {
		return dst, false
	}
	switch {
	case c.IsInt() || c.IsFloat():
		for k := range c.Repeat {
			v, _ := physFloat(c, b, k)
			dst = append(dst, v)
		}
	case c.IsComplex():
		for k := range c.Repeat {
			re, im := complexAt(c, b, k)
			dst = append(dst, re, im)
		}
	default:
		return dst, false
	}
	return dst, true
}

// AppendInts appends every element of an integer cell with integral
// scaling, of a bit cell (0 or 1 per bit) or of a logical cell (1, 0, or
// -1 for a null). ok is false for other cells and when an integer element
// is a null or does not fit in an int64 (use AppendFloats).
func (r Row) AppendInts(dst []int64, i int) ([]int64, bool) {
	c, b, ok := r.col(i)
	if !ok {
		return dst, false
	}
	switch {
	case c.Type == 'X':
		for k := range c.Repeat {
			dst = append(dst, int64(b[k>>3]>>(7-uint(k&7))&1))
		}
	case c.Type == 'L':
		for _, ch := range b {
			switch ch {
			case 'T':
				dst = append(dst, 1)
			case 'F':
				dst = append(dst, 0)
			default:
				dst = append(dst, -1)
			}
		}
	case c.IsInt() && c.integral():
		for k := range c.Repeat {
			v, ok := physInt(c, b, k)
			if !ok {
				return dst, false
			}
			dst = append(dst, v)
		}
	default:
		return dst, false
	}
	return dst, true
}

// Value returns cell i as a Go value: nil for a null scalar; bool,
// int64, uint64 (a 64-bit unsigned column above MaxInt64), float64,
// complex128 or string for a scalar; for an array (repeat other than 1)
// []bool (X), []any of bool or nil (L), []int64 (integers without TNULL
// and with integral scaling), []float64 (other numbers, NaN for nulls),
// []complex128, or []string (characters with a TDIM of two or more
// dimensions).
func (r Row) Value(i int) any {
	c, b, ok := r.col(i)
	if !ok {
		return nil
	}
	if c.Type == 'A' {
		if len(c.Dim) > 1 {
			s, _ := r.Strings(i)
			return s
		}
		s, _ := r.String(i)
		return s
	}
	if c.Repeat == 1 && c.Type != 'X' {
		switch {
		case c.Type == 'L':
			v, ok := r.Bool(i)
			if !ok {
				return nil
			}
			return v
		case c.IsInt():
			if c.integral() {
				if v, ok := r.Int(i); ok {
					return v
				}
				if c.Type == 'K' && c.Zero == 1<<63 {
					if v, null := rawInt(c, b, 0); !null {
						return uint64(v) ^ 1<<63
					}
				}
				return nil
			}
			v, ok := r.Float(i)
			if !ok {
				return nil
			}
			return v
		case c.IsFloat():
			v, ok := r.Float(i)
			if !ok {
				return nil
			}
			return v
		case c.IsComplex():
			v, ok := r.Complex(i)
			if !ok {
				return nil
			}
			return v
		}
		return nil
	}
	switch {
	case c.Type == 'X':
		is, _ := r.AppendInts(nil, i)
		out := make([]bool, len(is))
		for k, v := range is {
			out[k] = v == 1
		}
		return out
	case c.Type == 'L':
		out := make([]any, len(b))
		for k, ch := range b {
			switch ch {
			case 'T':
				out[k] = true
			case 'F':
				out[k] = false
			}
		}
		return out
	case c.IsInt() && c.integral() && !c.HasNull:
		if is, ok := r.AppendInts(nil, i); ok {
			return is
		}
		fs, _ := r.AppendFloats(nil, i)
		return fs
	case c.IsInt() || c.IsFloat():
		fs, _ := r.AppendFloats(nil, i)
		return fs
	case c.IsComplex():
		out := make([]complex128, c.Repeat)
		for k := range out {
			re, im := complexAt(c, b, k)
			out[k] = complex(re, im)
		}
		return out
	}
	return nil
}

// IntAt returns element k of an integer cell with integral scaling (the
// elements of a logical cell as 1 or 0, of a bit cell as 1 or 0). ok is
// false for a null element, a value int64 cannot hold, an element out of
// range or a cell of another kind.
func (r Row) IntAt(i, k int) (int64, bool) {
	c, b, ok := r.col(i)
	if !ok || k < 0 || k >= c.Repeat {
		return 0, false
	}
	switch {
	case c.Type == 'X':
		return int64(b[k>>3] >> (7 - uint(k&7)) & 1), true
	case c.Type == 'L':
		switch b[k] {
		case 'T':
			return 1, true
		case 'F':
			return 0, true
		}
		return 0, false
	case c.IsInt() && c.integral():
		return physInt(c, b, k)
	}
	return 0, false
}

// FloatAt returns element k of a numeric (integer or float) cell as a
// physical value; ok is false for a null element (TNULL or NaN), an
// element out of range or a cell of another kind.
func (r Row) FloatAt(i, k int) (float64, bool) {
	c, b, ok := r.col(i)
	if !ok || k < 0 || k >= c.Repeat || !(c.IsInt() || c.IsFloat()) {
		return 0, false
	}
	v, null := physFloat(c, b, k)
	return v, !null
}

// ComplexAt returns element k of a complex cell.
func (r Row) ComplexAt(i, k int) (complex128, bool) {
	c, b, ok := r.col(i)
	if !ok || k < 0 || k >= c.Repeat || !c.IsComplex() {
		return 0, false
	}
	re, im := complexAt(c, b, k)
	return complex(re, im), true
}
