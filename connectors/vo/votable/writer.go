package votable

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Format is a serialization the Writer can produce.
type Format string

// Writer formats.
const (
	FormatTabledata Format = "TABLEDATA"
	FormatBinary2   Format = "BINARY2"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Format is TABLEDATA (the default) or BINARY2.
	Format Format
	// ResourceType is the type attribute of the RESOURCE ("results" when
	// empty).
	ResourceType string
	// Infos are written in the RESOURCE before the TABLE, for example a
	// QUERY_STATUS.
	Infos []Info
}

// Writer writes one table as a VOTable 1.4 document. Call WriteRow for each
// row, then Close. Cells are given as Go values: nil for a null; bool;
// any integer type; float32 or float64 (NaN is a null); complex64 or
// complex128; string or []byte for char and unicodeChar; time.Time for a
// char field (written as an ISO 8601 timestamp); Point, Circle, Polygon;
// or a slice of the element type for an array field.
type Writer struct {
	w      *bufio.Writer
	opts   WriterOptions
	t      *Table
	b64    io.WriteCloser
	lw     *lineWriter
	buf    []byte
	flags  []byte
	rows   int64
	err    error
	closed bool
}

// NewWriter writes the document header and the table's metadata. Fields
// need Name, Datatype and, for arrays, Arraysize; the other attributes are
// written when set.
func NewWriter(w io.Writer, t *Table, opts WriterOptions) (*Writer, error) {
	if opts.Format == "" {
		opts.Format = FormatTabledata
	}
	if opts.Format != FormatTabledata && opts.Format != FormatBinary2 {
		return nil, fmt.Errorf("votable: writer format %q: %w (TABLEDATA or BINARY2)", opts.Format, ErrUnsupported)
	}
	if opts.ResourceType == "" {
		opts.ResourceType = "results"
	}
	// work on a copy of the metadata with parsed types
	tc := *t
	tc.Fields = append([]Field(nil), t.Fields...)
	if len(tc.Fields) == 0 {
		return nil, errors.New("votable: a table to write needs at least one field")
	}
	seen := map[string]bool{}
	for i := range tc.Fields {
		f := &tc.Fields[i]
		dt, ok := ParseDatatype(f.Datatype)
		if !ok {
			return nil, fmt.Errorf("votable: field %d (%q): datatype %q is not a VOTable datatype", i, f.Name, f.Datatype)
		}
		f.Type = dt
		shape, err := parseArraysize(f.Arraysize)
		if err != nil {
			return nil, fmt.Errorf("votable: field %q: %w", f.Name, err)
		}
		f.Shape = shape
		if f.Name == "" {
			return nil, fmt.Errorf("votable: field %d has no name", i)
		}
		if f.ID != "" {
			if seen[f.ID] {
				return nil, fmt.Errorf("votable: duplicate field ID %q", f.ID)
			}
			seen[f.ID] = true
		}
		if !f.HasNull && dt.isInt() && dt != TypeBit && opts.Format == FormatTabledata && f.fixedCount() > 0 && len(f.Shape) > 0 {
			// TABLEDATA has no way to write a null fixed-size integer
			// array but a VALUES null: pick one (a data value equal to it
			// is refused by WriteRow).
			f.Null, f.HasNull = strconv.FormatInt(defaultIntNull(dt), 10), true
			f.autoNull = true
		}
		if f.HasNull && dt.isInt() {
			n, ok := parseInt([]byte(f.Null))
			if !ok {
				return nil, fmt.Errorf("votable: field %q: null value %q is not an integer", f.Name, f.Null)
			}
			f.nullInt, f.hasNullInt = n, true
		}
	}
	wr := &Writer{w: bufio.NewWriterSize(w, 64<<10), opts: opts, t: &tc}
	wr.header()
	return wr, wr.err
}

func (w *Writer) str(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// xmlEscape escapes text for an attribute value or character data. Control
// characters that XML 1.0 forbids are dropped.
func xmlEscape(dst []byte, s []byte) []byte {
	for len(s) > 0 {
		c := s[0]
		if c < utf8.RuneSelf {
			switch c {
			case '<':
				dst = append(dst, "&lt;"...)
			case '>':
				dst = append(dst, "&gt;"...)
			case '&':
				dst = append(dst, "&amp;"...)
			case '"':
				dst = append(dst, "&quot;"...)
			case '\n', '\t':
				dst = append(dst, "&#"...)
				dst = strconv.AppendInt(dst, int64(c), 10)
				dst = append(dst, ';')
			case '\r':
				dst = append(dst, "&#13;"...)
			default:
				if c >= 0x20 {
					dst = append(dst, c)
				}
			}
			s = s[1:]
			continue
		}
		r, n := utf8.DecodeRune(s)
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, "\uFFFD"...)
		} else if r != 0xFFFE && r != 0xFFFF {
			dst = append(dst, s[:n]...)
		}
		s = s[n:]
	}
	return dst
}

func (w *Writer) attr(name, value string) {
	if value == "" {
		return
	}
	b := append(w.buf[:0], ' ')
	b = append(b, name...)
	b = append(b, '=', '"')
	b = xmlEscape(b, []byte(value))
	b = append(b, '"')
	w.buf = b
	w.str(string(b))
}

func (w *Writer) text(s string) {
	w.buf = xmlEscape(w.buf[:0], []byte(s))
	w.str(string(w.buf))
}

func (w *Writer) header() {
	t := w.t
	w.str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	w.str("<VOTABLE version=\"1.4\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
	w.str("<RESOURCE")
	w.attr("type", w.opts.ResourceType)
	w.str(">\n")
	for _, in := range w.opts.Infos {
		w.info(in)
	}
	w.str("<TABLE")
	w.attr("ID", t.ID)
	w.attr("name", t.Name)
	w.attr("ucd", t.UCD)
	w.attr("utype", t.Utype)
	w.str(">\n")
	if t.Description != "" {
		w.str("<DESCRIPTION>")
		w.text(t.Description)
		w.str("</DESCRIPTION>\n")
	}
	for _, p := range t.Params {
		w.fieldElem("PARAM", &p.Field, p.Value, true)
	}
	for i := range t.Fields {
		w.fieldElem("FIELD", &t.Fields[i], "", false)
	}
	w.str("<DATA>")
	if w.opts.Format == FormatTabledata {
		w.str("<TABLEDATA>\n")
		return
	}
	w.str("<BINARY2>\n<STREAM encoding=\"base64\">\n")
	w.flags = make([]byte, (len(t.Fields)+7)/8)
	w.lw = &lineWriter{w: w.w}
	w.b64 = base64.NewEncoder(base64.StdEncoding, w.lw)
}

func (w *Writer) info(in Info) {
	w.str("<INFO")
	w.attr("ID", in.ID)
	w.attr("name", in.Name)
	w.str(" value=\"")
	w.buf = xmlEscape(w.buf[:0], []byte(in.Value))
	w.str(string(w.buf))
	w.str("\"")
	if in.Content == "" {
		w.str("/>\n")
		return
	}
	w.str(">")
	w.text(in.Content)
	w.str("</INFO>\n")
}

func (w *Writer) fieldElem(elem string, f *Field, value string, param bool) {
	w.str("<" + elem)
	w.attr("ID", f.ID)
	w.attr("name", f.Name)
	w.attr("datatype", f.Datatype)
	w.attr("arraysize", f.Arraysize)
	w.attr("unit", f.Unit)
	w.attr("ucd", f.UCD)
	w.attr("utype", f.Utype)
	w.attr("xtype", f.Xtype)
	w.attr("ref", f.Ref)
	w.attr("precision", f.Precision)
	w.attr("width", f.Width)
	if param {
		w.str(" value=\"")
		w.buf = xmlEscape(w.buf[:0], []byte(value))
		w.str(string(w.buf))
		w.str("\"")
	}
	if f.Description == "" && !f.HasNull {
		w.str("/>\n")
		return
	}
	w.str(">")
	if f.Description != "" {
		w.str("<DESCRIPTION>")
		w.text(f.Description)
		w.str("</DESCRIPTION>")
	}
	if f.HasNull {
		w.str("<VALUES")
		w.attr("null", f.Null)
		w.str("/>")
	}
	w.str("</" + elem + ">\n")
}

// lineWriter wraps base64 output at 76 characters.
type lineWriter struct {
	w   io.Writer
	col int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(76-l.col, len(p))
		if _, err := l.w.Write(p[:k]); err != nil {
			return n, err
		}
		n += k
		p = p[k:]
		l.col += k
		if l.col == 76 {
			if _, err := l.w.Write([]byte{'\n'}); err != nil {
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}

// WriteRow writes one row; len(cells) must equal the number of fields.
func (w *Writer) WriteRow(cells ...any) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("votable: WriteRow after Close")
	}
	t := w.t
	if len(cells) != len(t.Fields) {
		return fmt.Errorf("votable: row %d has %d cells, the table has %d fields", w.rows, len(cells), len(t.Fields))
	}
	var err error
	if w.opts.Format == FormatTabledata {
		err = w.tabledataRow(cells)
	} else {
		err = w.binary2Row(cells)
	}
	if err != nil {
		return err
	}
	w.rows++
	return w.err
}

// WriteTableRow writes a row read by a Reader (its cells must match the
// writer's fields in number and type).
func (w *Writer) WriteTableRow(r Row) error {
	cells := make([]any, r.Len())
	for i := range cells {
		if f := r.Field(i); f.Type.isChar() && !r.IsNull(i) {
			if f.IsArray() {
				b, _ := r.Bytes(i)
				cells[i] = string(b)
			} else {
				cells[i], _ = r.String(i)
			}
			continue
		}
		v := r.Value(i)
		switch x := v.(type) {
		case Point, Circle, Polygon:
			v, _ = r.Floats(i)
		case time.Time:
			v, _ = r.String(i)
		case []bool:
			// keep null elements: Ints has -1 for them
			is, _ := r.Ints(i)
			bs := make([]any, len(is))
			for k, b := range is {
				if b >= 0 {
					bs[k] = b == 1
				}
			}
			v = bs
			_ = x
		}
		cells[i] = v
	}
	return w.WriteRow(cells...)
}

func (w *Writer) cellErr(k int, format string, a ...any) error {
	return fmt.Errorf("votable: row %d, field %q: %s", w.rows, w.t.Fields[k].Name, fmt.Sprintf(format, a...))
}

// elements flattens a cell value into a list of elements.
func elements(v any) ([]any, bool) {
	switch x := v.(type) {
	case Point:
		return []any{x.Lon, x.Lat}, true
	case Circle:
		return []any{x.Center.Lon, x.Center.Lat, x.Radius}, true
	case Polygon:
		out := make([]any, 0, 2*len(x.Vertices))
		for _, p := range x.Vertices {
			out = append(out, p.Lon, p.Lat)
		}
		return out, true
	case []any:
		return x, true
	case string, []byte:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	case float32:
		if float64(x) == math.Trunc(float64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	if i, ok := toInt(v); ok {
		if _, isBool := v.(bool); !isBool {
			return float64(i), true
		}
	}
	return 0, false
}

func toComplex(v any) (complex128, bool) {
	switch x := v.(type) {
	case complex128:
		return x, true
	case complex64:
		return complex128(x), true
	}
	if f, ok := toFloat(v); ok {
		return complex(f, 0), true
	}
	return 0, false
}

func toText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.999999999"), true
	case []string:
		// multi-dimensional char: concatenated
		return strings.Join(x, ""), true
	}
	return "", false
}

func defaultIntNull(dt Datatype) int64 {
	switch dt {
	case TypeUnsignedByte:
		return 255
	case TypeShort:
		return math.MinInt16
	case TypeInt:
		return math.MinInt32
	}
	return math.MinInt64
}

func intFits(dt Datatype, v int64) bool {
	_, ok := intRange(dt, v, false)
	return ok
}

// isNullValue reports whether v is a null.
func isNullValue(v any) bool {
	if v == nil {
		return true
	}
	switch x := v.(type) {
	case float64:
		return math.IsNaN(x)
	case float32:
		return math.IsNaN(float64(x))
	}
	rv := reflect.ValueOf(v)
	return (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Pointer) && rv.IsNil()
}

func (w *Writer) tabledataRow(cells []any) error {
	b := append(w.buf[:0], "<TR>"...)
	for k, v := range cells {
		f := &w.t.Fields[k]
		if isNullValue(v) {
			if n := f.fixedCount(); f.IsArray() && n > 0 && !f.Type.isChar() {
				// votlint refuses an empty fixed-size array: write null elements
				var err error
				if b, err = w.nullFixedArray(b, k, n); err != nil {
					return err
				}
				continue
			}
			b = append(b, "<TD/>"...)
			continue
		}
		b = append(b, "<TD>"...)
		var err error
		b, err = w.appendTDValue(b, k, v)
		if err != nil {
			return err
		}
		b = append(b, "</TD>"...)
	}
	b = append(b, "</TR>\n"...)
	w.buf = b
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
	return w.err
}

func (w *Writer) nullFixedArray(b []byte, k, n int) ([]byte, error) {
	f := &w.t.Fields[k]
	var elem string
	switch {
	case f.Type.isFloat():
		elem = "NaN"
	case f.Type.isComplex():
		elem = "NaN NaN"
	case f.Type == TypeBoolean:
		elem = "?"
	case f.hasNullInt:
		elem = strconv.FormatInt(f.nullInt, 10)
	default:
		return b, w.cellErr(k, "a null fixed-size %s array needs a VALUES null value in TABLEDATA", f.Type)
	}
	b = append(b, "<TD>"...)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, elem...)
	}
	return append(b, "</TD>"...), nil
}

func (w *Writer) appendTDValue(b []byte, k int, v any) ([]byte, error) {
	f := &w.t.Fields[k]
	if f.Type.isChar() {
		s, ok := toText(v)
		if !ok {
			return b, w.cellErr(k, "%T is not text", v)
		}
		if n := f.fixedCount(); n > 0 && f.Type == TypeChar && len(s) > n {
			return b, w.cellErr(k, "text of %d bytes is longer than arraysize %q", len(s), f.Arraysize)
		}
		return xmlEscape(b, []byte(s)), nil
	}
	elems := []any{v}
	if f.IsArray() {
		var ok bool
		elems, ok = elements(v)
		if !ok {
			return b, w.cellErr(k, "%T is not an array", v)
		}
		if err := w.checkCount(k, len(elems)); err != nil {
			return b, err
		}
	} else if _, isArr := elements(v); isArr {
		return b, w.cellErr(k, "an array given for a scalar field")
	}
	for i, e := range elems {
		if i > 0 {
			b = append(b, ' ')
		}
		switch {
		case f.Type == TypeBoolean:
			if e == nil {
				b = append(b, '?')
				continue
			}
			x, ok := e.(bool)
			if !ok {
				return b, w.cellErr(k, "%T is not a bool", e)
			}
			if x {
				b = append(b, 'T')
			} else {
				b = append(b, 'F')
			}
		case f.Type.isInt():
			x, ok := toInt(e)
			if e == nil && f.hasNullInt {
				x, ok = f.nullInt, true
			}
			if !ok {
				return b, w.cellErr(k, "%v (%T) is not an integer", e, e)
			}
			if !intFits(f.Type, x) {
				return b, w.cellErr(k, "%d is out of range for %s", x, f.Type)
			}
			if f.autoNull && e != nil && x == f.nullInt {
				return b, w.cellErr(k, "%d is the null value the writer chose for this field; set Field.Null to another value", x)
			}
			if f.Type == TypeBit {
				b = append(b, byte('0'+x))
				continue
			}
			b = strconv.AppendInt(b, x, 10)
		case f.Type.isFloat():
			x, ok := toFloat(e)
			if e == nil {
				x, ok = math.NaN(), true
			}
			if !ok {
				return b, w.cellErr(k, "%v (%T) is not a number", e, e)
			}
			bits := 64
			if f.Type == TypeFloat {
				bits = 32
			}
			b = appendFloat(b, x, bits)
		case f.Type.isComplex():
			x, ok := toComplex(e)
			if !ok {
				return b, w.cellErr(k, "%v (%T) is not a complex number", e, e)
			}
			bits := 64
			if f.Type == TypeFloatComplex {
				bits = 32
			}
			b = appendFloat(b, real(x), bits)
			b = append(b, ' ')
			b = appendFloat(b, imag(x), bits)
		}
	}
	return b, nil
}

func (w *Writer) checkCount(k, n int) error {
	f := &w.t.Fields[k]
	want := f.fixedCount()
	if want >= 0 && n != want {
		return w.cellErr(k, "%d elements for arraysize %q (%d)", n, f.Arraysize, want)
	}
	if want < 0 && len(f.Shape) > 1 {
		block := 1
		for _, d := range f.Shape[:len(f.Shape)-1] {
			block *= d
		}
		if block > 0 && n%block != 0 {
			return w.cellErr(k, "%d elements is not a multiple of %d for arraysize %q", n, block, f.Arraysize)
		}
	}
	return nil
}

func (w *Writer) binary2Row(cells []any) error {
	for i := range w.flags {
		w.flags[i] = 0
	}
	b := w.buf[:0]
	b = append(b, w.flags...)
	for k, v := range cells {
		f := &w.t.Fields[k]
		null := isNullValue(v)
		if null {
			w.flags[k>>3] |= 0x80 >> (k & 7)
		}
		var err error
		b, err = w.appendBinValue(b, k, f, v, null)
		if err != nil {
			return err
		}
	}
	copy(b, w.flags)
	w.buf = b
	if w.err == nil {
		_, w.err = w.b64.Write(b)
	}
	return w.err
}

func putCount(b []byte, n int) []byte { return binary.BigEndian.AppendUint32(b, uint32(n)) }

func (w *Writer) appendBinValue(b []byte, k int, f *Field, v any, null bool) ([]byte, error) {
	fixed := f.fixedCount()
	if f.Type.isChar() {
		var s string
		if !null {
			var ok bool
			if s, ok = toText(v); !ok {
				return b, w.cellErr(k, "%T is not text", v)
			}
		}
		var units []byte
		if f.Type == TypeUnicodeChar {
			for _, u := range utf16.Encode([]rune(s)) {
				units = binary.BigEndian.AppendUint16(units, u)
			}
		} else {
			units = []byte(s)
		}
		size := f.Type.binSize()
		n := len(units) / size
		if fixed < 0 {
			return append(putCount(b, n), units...), nil
		}
		if n > fixed {
			return b, w.cellErr(k, "text of %d characters is longer than arraysize %q", n, f.Arraysize)
		}
		b = append(b, units...)
		for i := n * size; i < fixed*size; i++ {
			b = append(b, 0)
		}
		return b, nil
	}
	var elems []any
	if null {
		if fixed >= 0 {
			elems = make([]any, fixed)
		}
	} else if f.IsArray() {
		var ok bool
		elems, ok = elements(v)
		if !ok {
			return b, w.cellErr(k, "%T is not an array", v)
		}
		if err := w.checkCount(k, len(elems)); err != nil {
			return b, err
		}
	} else {
		if _, isArr := elements(v); isArr {
			return b, w.cellErr(k, "an array given for a scalar field")
		}
		elems = []any{v}
	}
	if fixed < 0 {
		b = putCount(b, len(elems))
	}
	if f.Type == TypeBit {
		nb := (len(elems) + 7) / 8
		start := len(b)
		b = append(b, make([]byte, nb)...)
		for i, e := range elems {
			if x, ok := toInt(e); ok && x == 1 {
				b[start+i/8] |= 0x80 >> (i % 8)
			} else if e != nil && !ok {
				return b, w.cellErr(k, "%T is not a bit", e)
			}
		}
		return b, nil
	}
	for _, e := range elems {
		if null && e == nil {
			// placeholder bytes for a null (its flag is set)
			if f.Type.isFloat() || f.Type.isComplex() {
				e = math.NaN()
			} else if f.hasNullInt {
				e = f.nullInt
			}
		}
		switch f.Type {
		case TypeBoolean:
			switch x := e.(type) {
			case nil:
				b = append(b, '?')
			case bool:
				if x {
					b = append(b, 'T')
				} else {
					b = append(b, 'F')
				}
			default:
				return b, w.cellErr(k, "%T is not a bool", e)
			}
			continue
		case TypeFloat, TypeDouble:
			x, ok := toFloat(e)
			if e == nil {
				x, ok = math.NaN(), true
			}
			if !ok {
				return b, w.cellErr(k, "%v (%T) is not a number", e, e)
			}
			if f.Type == TypeFloat {
				b = binary.BigEndian.AppendUint32(b, math.Float32bits(float32(x)))
			} else {
				b = binary.BigEndian.AppendUint64(b, math.Float64bits(x))
			}
			continue
		case TypeFloatComplex, TypeDoubleComplex:
			var x complex128
			ok := true
			if e == nil {
				x = complex(math.NaN(), math.NaN())
			} else {
				x, ok = toComplex(e)
			}
			if !ok {
				return b, w.cellErr(k, "%v (%T) is not a complex number", e, e)
			}
			if f.Type == TypeFloatComplex {
				b = binary.BigEndian.AppendUint32(b, math.Float32bits(float32(real(x))))
				b = binary.BigEndian.AppendUint32(b, math.Float32bits(float32(imag(x))))
			} else {
				b = binary.BigEndian.AppendUint64(b, math.Float64bits(real(x)))
				b = binary.BigEndian.AppendUint64(b, math.Float64bits(imag(x)))
			}
			continue
		}
		x, ok := toInt(e)
		if e == nil {
			if !null && !f.hasNullInt {
				return b, w.cellErr(k, "a null array element needs a VALUES null value")
			}
			x, ok = f.nullInt, true
		}
		if !ok {
			return b, w.cellErr(k, "%v (%T) is not an integer", e, e)
		}
		if !intFits(f.Type, x) {
			return b, w.cellErr(k, "%d is out of range for %s", x, f.Type)
		}
		switch f.Type {
		case TypeUnsignedByte:
			b = append(b, byte(x))
		case TypeShort:
			b = binary.BigEndian.AppendUint16(b, uint16(x))
		case TypeInt:
			b = binary.BigEndian.AppendUint32(b, uint32(x))
		case TypeLong:
			b = binary.BigEndian.AppendUint64(b, uint64(x))
		}
	}
	return b, nil
}

// Close ends the data and the document and flushes. Infos are written
// after the table (for example a QUERY_STATUS of OVERFLOW).
func (w *Writer) Close(trailing ...Info) error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.opts.Format == FormatTabledata {
		w.str("</TABLEDATA></DATA>\n")
	} else {
		if w.err == nil {
			w.err = w.b64.Close()
		}
		if w.lw.col != 0 {
			w.str("\n")
		}
		w.str("</STREAM>\n</BINARY2></DATA>\n")
	}
	w.str("</TABLE>\n")
	for _, in := range trailing {
		w.info(in)
	}
	w.str("</RESOURCE>\n</VOTABLE>\n")
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}
