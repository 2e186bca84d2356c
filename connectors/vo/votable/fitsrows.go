package votable

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/vo/fits"
)

// fitsDecoder reads the rows of the FITS serialization: a FITS file in
// the STREAM (inline base64, or an href allowed by the Options) whose
// binary table extension extnum (1 by default) holds the table's rows, one
// FITS column for each FIELD, in order.
type fitsDecoder struct {
	src  io.Reader
	fr   *fits.Reader
	href bool
	cols []fits.Column
}

// startFITS is called after <FITS>: it opens the stream, reads the FITS
// headers up to the table, and checks that every FIELD can be read from
// its FITS column. A column that cannot is refused, naming the field and
// the reason, with an error wrapping ErrUnsupported.
func (r *Reader) startFITS(t *Table) error {
	lx := r.lx
	extnum := 1
	if s, ok := lx.attr("extnum"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return r.errHere("", nil, "table %d: FITS extnum %q is not a non-negative integer", t.Index, s)
		}
		extnum = n
	}
	if err := r.findStream(t); err != nil {
		return err
	}
	src, href, err := r.streamSource(t)
	if err != nil {
		return err
	}
	d := &fitsDecoder{src: src, href: href, fr: fits.NewReader(src, fits.Options{})}
	for {
		h, err := d.fr.NextHDU()
		if err == io.EOF {
			return r.errHere("", nil, "table %d: the FITS stream has no extension %d", t.Index, extnum)
		}
		if h != nil && h.Index == extnum {
			if err != nil {
				return r.errHere("", wrapUnsupported(err), "table %d: FITS serialization", t.Index)
			}
			if h.Table == nil {
				return r.errHere("", nil, "table %d: FITS extension %d is a %s, not a binary table", t.Index, extnum, h.Type)
			}
			d.cols = h.Table.Columns
			break
		}
		if err != nil && !errors.Is(err, fits.ErrUnsupported) {
			return r.errHere("", err, "table %d: FITS serialization", t.Index)
		}
	}
	if len(d.cols) != len(t.Fields) {
		return r.errHere("", nil, "table %d: the FITS table has %d columns for %d FIELDs", t.Index, len(d.cols), len(t.Fields))
	}
	for k := range t.Fields {
		if why := fitsCompatible(&t.Fields[k], &d.cols[k]); why != "" {
			return r.errHere(t.Fields[k].Key(), ErrUnsupported, "table %d: FITS column %d (%q, TFORM %q) %s", t.Index, k+1, d.cols[k].Name, d.cols[k].Form, why)
		}
	}
	r.fits = d
	return nil
}

func wrapUnsupported(err error) error {
	if errors.Is(err, fits.ErrUnsupported) {
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return err
}

// fitsCompatible says why a FIELD cannot be read from a FITS column, or
// "".
func fitsCompatible(f *Field, c *fits.Column) string {
	if c.Type == 'P' || c.Type == 'Q' {
		return "is a variable-length array, which is not supported"
	}
	n := f.fixedCount()
	switch {
	case f.Type.isChar():
		if c.Type != 'A' {
			return fmt.Sprintf("cannot be read as %s (only A can)", f.Type)
		}
	case f.Type == TypeBoolean:
		if c.Type != 'L' {
			return "cannot be read as boolean (only L can)"
		}
	case f.Type == TypeBit:
		if c.Type != 'X' && !c.IsInt() {
			return "cannot be read as bit (only X and integers can)"
		}
	case f.Type.isInt():
		if !c.IsInt() && c.Type != 'L' {
			return fmt.Sprintf("cannot be read as %s (only B, I, J, K can)", f.Type)
		}
		if c.IsInt() && (c.Scale != 1 || c.Zero != math.Trunc(c.Zero)) {
			return fmt.Sprintf("has a scaling (TSCAL %g, TZERO %g) that does not keep integers for %s", c.Scale, c.Zero, f.Type)
		}
	case f.Type.isFloat():
		if !c.IsInt() && !c.IsFloat() {
			return fmt.Sprintf("cannot be read as %s (only numbers can)", f.Type)
		}
	case f.Type.isComplex():
		if !c.IsComplex() {
			return fmt.Sprintf("cannot be read as %s (only C and M can)", f.Type)
		}
	default:
		return fmt.Sprintf("cannot be read as %s", f.Type)
	}
	if f.Type.isChar() {
		if n >= 0 && f.Type == TypeChar && n != c.Repeat {
			return fmt.Sprintf("holds %d characters, arraysize %q says %d", c.Repeat, f.Arraysize, n)
		}
		return ""
	}
	if n >= 0 && n != c.Repeat {
		return fmt.Sprintf("holds %d elements, arraysize %q says %d", c.Repeat, f.Arraysize, n)
	}
	return ""
}

// nextFITSRow reads one row of the FITS serialization.
func (r *Reader) nextFITSRow() (bool, error) {
	d := r.fits
	t := r.table
	if !d.fr.Next() {
		if err := d.fr.Err(); err != nil {
			r.fits = nil
			return false, r.errHere("", err, "table %d: FITS serialization", t.Index)
		}
		// the rest of the FITS file (padding, other HDUs) is not used
		if _, err := io.Copy(io.Discard, d.src); err != nil {
			r.fits = nil
			return false, r.errHere("", err, "table %d: after the FITS table", t.Index)
		}
		r.fits = nil
		return false, r.finishStream(d.href)
	}
	r.resetRow(t)
	fr := d.fr.Row()
	for k := range t.Fields {
		r.row.cells[k] = cell{}
		if err := r.setFITSCell(k, &t.Fields[k], fr); err != nil {
			return false, err
		}
	}
	return true, nil
}

// setFITSCell decodes cell k from FITS column k (checked by
// fitsCompatible).
func (r *Reader) setFITSCell(k int, f *Field, fr fits.Row) error {
	c := &r.row.cells[k]
	col := fr.Column(k)
	switch {
	case f.Type.isChar():
		var b []byte
		if f.IsArray() {
			b = fr.Raw(k) // multi-dimensional: keep the padding for Strings
		} else {
			s, _ := fr.String(k)
			b = []byte(s)
		}
		if len(strings.Trim(string(b), "\x00 ")) == 0 || (f.HasNull && string(b) == f.Null) {
			c.null = true
			return nil
		}
		if f.Type == TypeChar {
			if err := r.checkChars(f, b); err != nil {
				return err
			}
		}
		c.off, c.n = int32(len(r.row.chars)), int32(len(b))
		r.row.chars = append(r.row.chars, b...)
		return nil
	case !f.IsArray():
		switch {
		case f.Type == TypeBoolean:
			v, ok := fr.IntAt(k, 0)
			c.i, c.null = v, !ok
		case f.Type.isInt():
			v, ok := fr.IntAt(k, 0)
			if ok {
				v, ok = intRange(f.Type, v, false)
			}
			if !ok && !fr.IsNull(k) {
				// a value the FIELD's datatype cannot hold (an unsigned
				// 64-bit value above 2^63-1, a K column in an int FIELD)
				c.null = true
				raw, _ := fr.FloatAt(k, 0)
				return r.warnHere(WarnOutOfRange, f.Key(), "FITS value %.17g is out of range for %s; read as null", raw, f.Type)
			}
			c.i, c.null = v, !ok || (f.hasNullInt && v == f.nullInt)
		case f.Type.isFloat():
			v, ok := fr.FloatAt(k, 0)
			if f.Type == TypeFloat {
				v = float64(float32(v))
			}
			c.f, c.null = v, !ok
		case f.Type.isComplex():
			v, ok := fr.ComplexAt(k, 0)
			c.f, c.im = real(v), imag(v)
			c.null = !ok || math.IsNaN(c.f) || math.IsNaN(c.im)
		}
		return nil
	}
	n := col.Repeat
	c.n = int32(n)
	switch {
	case f.Type == TypeBoolean || f.Type.isInt():
		c.off = int32(len(r.row.ints))
		for e := range n {
			v, ok := fr.IntAt(k, e)
			switch {
			case ok:
			case f.Type == TypeBoolean:
				v = -1
			default:
				v = f.nullInt // a null element: the FIELD's null value
			}
			r.row.ints = append(r.row.ints, v)
		}
	case f.Type.isFloat():
		c.off = int32(len(r.row.flts))
		for e := range n {
			v, ok := fr.FloatAt(k, e)
			if !ok {
				v = math.NaN()
			} else if f.Type == TypeFloat {
				v = float64(float32(v))
			}
			r.row.flts = append(r.row.flts, v)
		}
	case f.Type.isComplex():
		c.off = int32(len(r.row.flts))
		for e := range n {
			v, _ := fr.ComplexAt(k, e)
			r.row.flts = append(r.row.flts, real(v), imag(v))
		}
	}
	if n > 0 && !f.Variable() && r.allNullElems(f, c) {
		c.null = true
	}
	return nil
}
