package votable

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/arcsecond-go/arcsecond/astro"
)

// cell is one decoded value. Scalars live in the cell; arrays and text live
// in the row's arenas, at [off, off+n).
type cell struct {
	null bool
	i    int64   // integer, boolean (0/1), bit
	f    float64 // float, real part
	im   float64 // imaginary part
	off  int32
	n    int32
}

// Row is one row of a table. Cells are read with typed accessors that return
// ok == false for a null. A Row handed out by the reader is valid until the
// next row is read; Clone keeps a copy.
type Row struct {
	t     *Table
	index int64
	cells []cell
	acc   []accClass // the table's accessor classes, field by field
	ints  []int64    // integer, bit and boolean array elements (boolean null = -1)
	flts  []float64  // float and complex (re, im) array elements
	chars []byte     // char and unicodeChar text, UTF-8
}

// Len returns the number of cells.
func (r Row) Len() int { return len(r.cells) }

// Index returns the row's number within its table, from 0.
func (r Row) Index() int64 { return r.index }

// Table returns the table the row belongs to.
func (r Row) Table() *Table { return r.t }

// Field returns the field of cell i.
func (r Row) Field(i int) *Field { return &r.t.Fields[i] }

// Clone returns a copy of the row that stays valid after the reader moves on.
func (r Row) Clone() Row {
	c := r
	c.cells = append([]cell(nil), r.cells...)
	c.ints = append([]int64(nil), r.ints...)
	c.flts = append([]float64(nil), r.flts...)
	// only the text of the cells: a row's text may be read in place in a
	// much larger buffer (see pipedCells, decodeFixedRow)
	c.chars = nil
	for i := range c.cells {
		if cc := &c.cells[i]; i < len(r.acc) && r.acc[i] == accChar && !cc.null {
			off := len(c.chars)
			c.chars = append(c.chars, r.chars[cc.off:cc.off+cc.n]...)
			cc.off = int32(off)
		}
	}
	return c
}

func (r Row) ok(i int) bool { return i >= 0 && i < len(r.cells) && !r.cells[i].null }

// IsNull reports whether cell i is null (or out of range).
func (r Row) IsNull(i int) bool { return !r.ok(i) }

// Int returns an integer, bit or boolean (0/1) scalar cell. ok is false for a
// null or for a cell of another type.
func (r Row) Int(i int) (v int64, ok bool) {
	if !r.ok(i) {
		return 0, false
	}
	f := &r.t.Fields[i]
	if f.IsArray() || !(f.Type.isInt() || f.Type == TypeBoolean) {
		return 0, false
	}
	return r.cells[i].i, true
}

// Float returns a numeric scalar cell as a float64 (integers are
// converted). ok is false for a null (including NaN) or a non-numeric cell.
func (r Row) Float(i int) (float64, bool) {
	if uint(i) >= uint(len(r.cells)) || uint(i) >= uint(len(r.acc)) || r.cells[i].null {
		return 0, false
	}
	switch c := &r.cells[i]; r.acc[i] {
	case accFloat:
		return c.f, true
	case accInt:
		return float64(c.i), true
	}
	return 0, false
}

// Bool returns a boolean scalar cell.
func (r Row) Bool(i int) (bool, bool) {
	if !r.ok(i) {
		return false, false
	}
	f := &r.t.Fields[i]
	if f.IsArray() || (f.Type != TypeBoolean && f.Type != TypeBit) {
		return false, false
	}
	return r.cells[i].i != 0, true
}

// Complex returns a complex scalar cell.
func (r Row) Complex(i int) (complex128, bool) {
	if !r.ok(i) {
		return 0, false
	}
	f := &r.t.Fields[i]
	if f.IsArray() || !f.Type.isComplex() {
		return 0, false
	}
	return complex(r.cells[i].f, r.cells[i].im), true
}

// Bytes returns the text of a char or unicodeChar cell (UTF-8) without
// copying; the slice is valid until the next row. For a multi-dimensional
// char cell it is all the text, concatenated.
func (r Row) Bytes(i int) ([]byte, bool) {
	if uint(i) >= uint(len(r.cells)) || uint(i) >= uint(len(r.acc)) || r.acc[i] != accChar || r.cells[i].null {
		return nil, false
	}
	c := &r.cells[i]
	return r.chars[c.off : c.off+c.n], true
}

// String returns the text of a char or unicodeChar cell, with bytes that are
// not UTF-8 replaced by U+FFFD. For other types it returns the value
// formatted as in TABLEDATA (arrays as space-separated elements).
func (r Row) String(i int) (string, bool) {
	if !r.ok(i) {
		return "", false
	}
	f := &r.t.Fields[i]
	if f.Type.isChar() {
		b, _ := r.Bytes(i)
		if utf8.Valid(b) {
			return string(b), true
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), true
	}
	return string(r.appendText(nil, i)), true
}

// Strings returns a char cell as a list of strings: a multi-dimensional
// char array split along its first dimension (trailing NULs removed), or a
// one-element list for a plain string.
func (r Row) Strings(i int) ([]string, bool) {
	b, ok := r.Bytes(i)
	if !ok {
		return nil, false
	}
	f := &r.t.Fields[i]
	if !f.IsArray() {
		s, _ := r.String(i)
		return []string{s}, true
	}
	w := f.Shape[0]
	var out []string
	if f.Type == TypeUnicodeChar {
		rs := []rune(string(b))
		for len(rs) > 0 {
			n := min(w, len(rs))
			out = append(out, strings.TrimRight(string(rs[:n]), "\x00"))
			rs = rs[n:]
		}
		return out, true
	}
	for w > 0 && len(b) > 0 {
		n := min(w, len(b))
		out = append(out, strings.ToValidUTF8(strings.TrimRight(string(b[:n]), "\x00"), "\uFFFD"))
		b = b[n:]
	}
	return out, true
}

// Ints returns an integer, bit or boolean array cell (for booleans 1, 0,
// or -1 for a null element). A scalar integer cell gives a one-element
// slice. The slice is valid until the next row.
func (r Row) Ints(i int) ([]int64, bool) {
	if !r.ok(i) {
		return nil, false
	}
	f := &r.t.Fields[i]
	if !(f.Type.isInt() || f.Type == TypeBoolean) {
		return nil, false
	}
	c := r.cells[i]
	if !f.IsArray() {
		return []int64{c.i}, true
	}
	return r.ints[c.off : c.off+c.n], true
}

// Floats returns a float or double array cell (NaN for null elements), or an
// integer array converted. A scalar gives a one-element slice.
func (r Row) Floats(i int) ([]float64, bool) {
	if !r.ok(i) {
		return nil, false
	}
	f := &r.t.Fields[i]
	c := r.cells[i]
	switch {
	case f.Type.isFloat():
		if !f.IsArray() {
			return []float64{c.f}, true
		}
		return r.flts[c.off : c.off+c.n], true
	case f.Type.isInt():
		is, _ := r.Ints(i)
		out := make([]float64, len(is))
		for k, v := range is {
			out[k] = float64(v)
		}
		return out, true
	}
	return nil, false
}

// Bools returns a boolean or bit array cell; nulls are false (use Ints to
// tell them apart).
func (r Row) Bools(i int) ([]bool, bool) {
	is, ok := r.Ints(i)
	if !ok {
		return nil, false
	}
	f := &r.t.Fields[i]
	if f.Type != TypeBoolean && f.Type != TypeBit {
		return nil, false
	}
	out := make([]bool, len(is))
	for k, v := range is {
		out[k] = v == 1
	}
	return out, true
}

// Complexes returns a complex array cell.
func (r Row) Complexes(i int) ([]complex128, bool) {
	if !r.ok(i) {
		return nil, false
	}
	f := &r.t.Fields[i]
	if !f.Type.isComplex() {
		return nil, false
	}
	c := r.cells[i]
	if !f.IsArray() {
		return []complex128{complex(c.f, c.im)}, true
	}
	fs := r.flts[c.off : c.off+2*c.n]
	out := make([]complex128, c.n)
	for k := range out {
		out[k] = complex(fs[2*k], fs[2*k+1])
	}
	return out, true
}

// Time returns a char cell holding an ISO 8601 timestamp (DALI xtype
// timestamp), or a numeric cell with xtype mjd, as a time in UTC. ok is
// false for a null or a value that is not a time.
func (r Row) Time(i int) (time.Time, bool) {
	if !r.ok(i) {
		return time.Time{}, false
	}
	f := &r.t.Fields[i]
	if f.Type.isChar() {
		b, _ := r.Bytes(i)
		t, err := astro.ParseTimestamp(string(b))
		return t, err == nil
	}
	if strings.EqualFold(f.Xtype, "mjd") {
		if v, ok := r.Float(i); ok {
			t, err := astro.MJDToGo(v) // in the data's time scale, days of 86400 s
			return t, err == nil
		}
	}
	return time.Time{}, false
}

// Value returns cell i as a Go value: nil for a null; int64, float64, bool,
// complex128 or string for a scalar; []int64, []float64, []bool,
// []complex128 or []string (multi-dimensional char) for an array (elements
// in VOTable order, first index fastest); time.Time for xtype timestamp;
// Point, Circle or Polygon for the DALI xtypes point, circle, polygon.
func (r Row) Value(i int) any {
	if !r.ok(i) {
		return nil
	}
	f := &r.t.Fields[i]
	x := strings.ToLower(f.Xtype)
	switch {
	case f.Type.isChar():
		if x == "timestamp" || x == "adql:timestamp" {
			if t, ok := r.Time(i); ok {
				return t
			}
		}
		if f.IsArray() {
			s, _ := r.Strings(i)
			return s
		}
		s, _ := r.String(i)
		return s
	case f.Type.isFloat() && f.IsArray():
		fs, _ := r.Floats(i)
		switch x {
		case "point":
			if len(fs) == 2 {
				return Point{fs[0], fs[1]}
			}
		case "circle":
			if len(fs) == 3 {
				return Circle{Point{fs[0], fs[1]}, fs[2]}
			}
		case "polygon":
			if len(fs) >= 6 && len(fs)%2 == 0 {
				p := Polygon{Vertices: make([]Point, len(fs)/2)}
				for k := range p.Vertices {
					p.Vertices[k] = Point{fs[2*k], fs[2*k+1]}
				}
				return p
			}
		}
		return append([]float64(nil), fs...)
	case f.Type.isFloat():
		v, _ := r.Float(i)
		return v
	case f.Type.isComplex():
		if f.IsArray() {
			c, _ := r.Complexes(i)
			return c
		}
		c, _ := r.Complex(i)
		return c
	case f.Type == TypeBoolean || (f.Type == TypeBit && f.IsArray()):
		if f.IsArray() {
			b, _ := r.Bools(i)
			return b
		}
		b, _ := r.Bool(i)
		return b
	case f.Type.isInt():
		if f.IsArray() {
			is, _ := r.Ints(i)
			return append([]int64(nil), is...)
		}
		v, _ := r.Int(i)
		return v
	}
	return nil
}

// appendText formats a non-char cell as TABLEDATA text.
func (r Row) appendText(dst []byte, i int) []byte {
	f := &r.t.Fields[i]
	c := r.cells[i]
	switch {
	case f.Type.isChar():
		return append(dst, r.chars[c.off:c.off+c.n]...)
	case f.Type == TypeBoolean:
		vals := []int64{c.i}
		if f.IsArray() {
			vals = r.ints[c.off : c.off+c.n]
		}
		for k, v := range vals {
			if k > 0 {
				dst = append(dst, ' ')
			}
			switch v {
			case 1:
				dst = append(dst, 'T')
			case 0:
				dst = append(dst, 'F')
			default:
				dst = append(dst, '?')
			}
		}
	case f.Type == TypeBit:
		vals := []int64{c.i}
		if f.IsArray() {
			vals = r.ints[c.off : c.off+c.n]
		}
		for _, v := range vals {
			dst = append(dst, byte('0'+v))
		}
	case f.Type.isInt():
		vals := []int64{c.i}
		if f.IsArray() {
			vals = r.ints[c.off : c.off+c.n]
		}
		for k, v := range vals {
			if k > 0 {
				dst = append(dst, ' ')
			}
			dst = strconv.AppendInt(dst, v, 10)
		}
	case f.Type.isFloat() || f.Type.isComplex():
		bits := 64
		if f.Type == TypeFloat || f.Type == TypeFloatComplex {
			bits = 32
		}
		var vals []float64
		switch {
		case !f.IsArray() && f.Type.isComplex():
			vals = []float64{c.f, c.im}
		case !f.IsArray():
			vals = []float64{c.f}
		case f.Type.isComplex():
			vals = r.flts[c.off : c.off+2*c.n]
		default:
			vals = r.flts[c.off : c.off+c.n]
		}
		for k, v := range vals {
			if k > 0 {
				dst = append(dst, ' ')
			}
			dst = appendFloat(dst, v, bits)
		}
	}
	return dst
}

func appendFloat(dst []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-Inf"...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, bits)
}

// Point is a DALI point (xtype point): longitude and latitude in degrees.
type Point struct{ Lon, Lat float64 }

// Circle is a DALI circle (xtype circle): centre and radius in degrees.
type Circle struct {
	Center Point
	Radius float64
}

// Polygon is a DALI polygon (xtype polygon): its vertices in degrees.
type Polygon struct{ Vertices []Point }
