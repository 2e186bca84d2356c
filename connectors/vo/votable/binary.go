package votable

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// binDecoder decodes the BINARY and BINARY2 serializations from a byte
// stream: base64 inside STREAM, or a file named by href.
type binDecoder struct {
	binary2 bool
	href    bool
	br      *bufio.Reader
	nflag   int
	flags   []byte
	big     []byte
	offset  int64 // bytes of the stream consumed
}

const binBuf = 64 << 10

// b64Reader decodes base64 text supplied, without white space, by src
// (which returns io.EOF at the end of the STREAM text).
type b64Reader struct {
	src  func(p []byte) (int, error)
	raw  []byte // undecoded characters: buf[:nraw]
	nraw int
	dec  []byte
	out  []byte
	err  error
}

func (d *b64Reader) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		if d.raw == nil {
			d.raw = make([]byte, binBuf)
			d.dec = make([]byte, binBuf/4*3)
		}
		n, err := d.src(d.raw[d.nraw:])
		total := d.nraw + n
		usable := total &^ 3
		if err != nil {
			usable = total
		}
		m, derr := base64.StdEncoding.Decode(d.dec, d.raw[:usable])
		if derr != nil && err != nil && usable%4 != 0 {
			// unpadded final group
			m, derr = base64.RawStdEncoding.Decode(d.dec, d.raw[:usable])
		}
		if derr != nil {
			d.err = derr
			return 0, derr
		}
		d.out = d.dec[:m]
		d.nraw = copy(d.raw, d.raw[usable:total])
		if err != nil {
			d.err = err
		}
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// startBinary is called after <BINARY> or <BINARY2>: it reads the STREAM
// start tag and sets up the byte stream.
func (r *Reader) startBinary(t *Table, binary2 bool) error {
	lx := r.lx
	if lx.selfClose {
		return r.errHere("", nil, "<%s/> without a STREAM", t.Serialization)
	}
	for {
		k, err := r.next()
		if err != nil {
			return err
		}
		if k == tokText {
			continue
		}
		if k != tokStart || string(lx.name) != "STREAM" {
			return r.errHere("", nil, "<%s> must hold a STREAM element", t.Serialization)
		}
		break
	}
	minRow := 0
	for i := range t.Fields {
		f := &t.Fields[i]
		switch n := f.fixedCount(); {
		case n < 0:
			minRow += 4
		case f.Type == TypeBit:
			minRow += (n + 7) / 8
		default:
			minRow += n * f.Type.binSize()
		}
	}
	if binary2 {
		minRow += (len(t.Fields) + 7) / 8
	}
	if minRow == 0 {
		return r.errHere("", nil, "table %d: %s data for a table whose rows take no bytes (no FIELD, or only empty arrays)", t.Index, t.Serialization)
	}
	d := &binDecoder{binary2: binary2}
	if binary2 {
		d.nflag = (len(t.Fields) + 7) / 8
		d.flags = make([]byte, d.nflag)
	}
	enc := strings.TrimSpace(lx.attrOr("encoding"))
	href, hasHref := lx.attr("href")
	var src io.Reader
	if hasHref && strings.TrimSpace(href) != "" {
		rc, err := r.openHref(strings.TrimSpace(href))
		if err != nil {
			return r.errHere("", err, "table %d: STREAM href %q", t.Index, href)
		}
		r.closer = rc
		src = rc
		d.href = true
		// the STREAM element itself holds nothing: consume it
		if err := r.skipSubtree(); err != nil {
			return err
		}
		switch enc {
		case "", "none":
		case "gzip":
			zr, err := gzip.NewReader(bufio.NewReaderSize(rc, binBuf))
			if err != nil {
				return r.errHere("", err, "table %d: STREAM href %q: gzip", t.Index, href)
			}
			src = zr
		case "base64":
			src = base64.NewDecoder(base64.StdEncoding, &spaceFilter{r: bufio.NewReaderSize(rc, binBuf)})
		default:
			return r.errHere("", ErrUnsupported, "table %d: STREAM encoding %q", t.Index, enc)
		}
	} else {
		switch enc {
		case "base64", "":
			if enc == "" {
				if err := r.warnHere(WarnBadValue, "", "inline STREAM without encoding; read as base64"); err != nil {
					return err
				}
			}
		default:
			return r.errHere("", ErrUnsupported, "table %d: inline STREAM encoding %q (only base64 can be inline)", t.Index, enc)
		}
		if lx.selfClose {
			lx.pendEnd = false
			src = strings.NewReader("")
			d.href = true // nothing to consume in the document
		} else {
			src = &b64Reader{src: lx.readB64}
		}
	}
	d.br = bufio.NewReaderSize(src, binBuf)
	r.bin = d
	return nil
}

// spaceFilter removes white space from base64 text read from a file.
type spaceFilter struct{ r *bufio.Reader }

func (s *spaceFilter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c, err := s.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if c > ' ' {
			p[n] = c
			n++
		}
	}
	return n, nil
}

func (r *Reader) openHref(href string) (io.ReadCloser, error) {
	u, err := url.Parse(href)
	if err == nil && u.Scheme != "" && u.Scheme != "file" && len(u.Scheme) > 1 {
		if r.opts.OpenHref == nil {
			return nil, fmt.Errorf("%w: following a %s: href needs Options.OpenHref", ErrUnsupported, u.Scheme)
		}
		return r.opts.OpenHref(r.ctx, href)
	}
	if r.opts.HrefDir == "" {
		if r.opts.OpenHref != nil {
			return r.opts.OpenHref(r.ctx, href)
		}
		return nil, fmt.Errorf("%w: following an href to a local file needs Options.HrefDir", ErrUnsupported)
	}
	p := href
	if err == nil && u.Scheme == "file" {
		p = u.Path
	}
	base, err := filepath.Abs(r.opts.HrefDir)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, filepath.FromSlash(p))
	}
	p = filepath.Clean(p)
	if rel, err := filepath.Rel(base, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("href %q points outside %s", href, base)
	}
	return os.Open(p)
}

// finishBinary consumes what follows the byte stream: </STREAM> when
// inline, then </BINARY>.
func (r *Reader) finishBinary() error {
	d := r.bin
	r.bin = nil
	if r.closer != nil {
		r.closer.Close()
		r.closer = nil
	}
	ends := 2
	if d.href {
		ends = 1
	}
	for ends > 0 {
		k, err := r.next()
		if err != nil {
			return err
		}
		switch k {
		case tokText:
			if len(trimSpace(r.lx.text)) > 0 && !d.href {
				return r.errHere("", nil, "characters after the end of the base64 data")
			}
		case tokEnd:
			ends--
		case tokStart:
			if err := r.skipSubtree(); err != nil {
				return err
			}
		case tokEOF:
			return r.errHere("", nil, "document ends inside %s", r.table.Serialization)
		}
	}
	r.stack = r.stack[:len(r.stack)-1]
	return nil
}

// streamErr wraps an error of the byte stream with where it happened.
func (r *Reader) streamErr(field string, err error, format string, a ...any) error {
	if errors.Is(err, base64.CorruptInputError(0)) || isCorrupt(err) {
		format = "bad base64 in STREAM: " + format
	}
	line, col := r.lx.lineCol(r.lx.base + int64(r.lx.pos))
	return &Error{Line: line, Col: col, Table: r.table.Index, Row: r.rowN, Field: field,
		Msg: fmt.Sprintf(format+" (byte %d of the stream)", append(a, r.bin.offset)...), Err: err}
}

func isCorrupt(err error) bool {
	var c base64.CorruptInputError
	return errors.As(err, &c)
}

// read returns the next n bytes of the stream (valid until the next read).
func (d *binDecoder) read(n int) ([]byte, error) {
	if n <= binBuf {
		b, err := d.br.Peek(n)
		if len(b) < n {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		d.br.Discard(n)
		d.offset += int64(n)
		return b, nil
	}
	d.big = d.big[:0]
	for len(d.big) < n {
		chunk := min(n-len(d.big), binBuf)
		b, err := d.read(chunk)
		if err != nil {
			return nil, err
		}
		d.big = append(d.big, b...)
	}
	return d.big, nil
}

const maxVarElems = 1 << 28

// nextBinaryRow decodes one row of BINARY or BINARY2.
func (r *Reader) nextBinaryRow() (bool, error) {
	d := r.bin
	t := r.table
	if _, err := d.br.Peek(1); err != nil {
		if err == io.EOF {
			return false, r.finishBinary()
		}
		return false, r.streamErr("", err, "reading the stream")
	}
	r.resetRow(t)
	if d.binary2 {
		b, err := d.read(d.nflag)
		if err != nil {
			return false, r.streamErr("", err, "stream ends inside the null flags of a row")
		}
		copy(d.flags, b)
	}
	for k := range t.Fields {
		f := &t.Fields[k]
		null := d.binary2 && d.flags[k>>3]&(0x80>>(k&7)) != 0
		if err := r.readBinaryCell(k, f, null); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (r *Reader) readBinaryCell(k int, f *Field, flagged bool) error {
	d := r.bin
	c := &r.row.cells[k]
	*c = cell{}
	n := f.fixedCount()
	if n < 0 {
		b, err := d.read(4)
		if err != nil {
			return r.streamErr(f.Key(), err, "stream ends inside a row")
		}
		cnt := binary.BigEndian.Uint32(b)
		if cnt > maxVarElems {
			return r.streamErr(f.Key(), nil, "variable array of %d elements is too large", cnt)
		}
		n = int(cnt)
		if len(f.Shape) > 1 {
			block := 1
			for _, dd := range f.Shape[:len(f.Shape)-1] {
				block *= dd
			}
			if block > 0 && n%block != 0 {
				return r.streamErr(f.Key(), nil, "variable array of %d elements is not a multiple of %d for arraysize %q", n, block, f.Arraysize)
			}
		}
	}
	size := n * f.Type.binSize()
	if f.Type == TypeBit {
		size = (n + 7) / 8
	}
	b, err := d.read(size)
	if err != nil {
		return r.streamErr(f.Key(), err, "stream ends inside a row")
	}
	if flagged {
		c.null = true
		return nil
	}
	isVar := f.Variable()
	scalar := !f.IsArray() && !f.Type.isChar()
	switch f.Type {
	case TypeChar:
		if f.IsArray() {
			// multi-dimensional: keep the padding so the strings can be
			// split by the first dimension (Strings trims each)
			if len(bytes.Trim(b, "\x00")) == 0 && !d.binary2 {
				c.null = true
				return nil
			}
		} else if i := indexNUL(b); i >= 0 {
			b = b[:i]
		}
		if (!d.binary2 && len(b) == 0) || (f.HasNull && string(b) == f.Null) {
			c.null = true
			return nil
		}
		if r.latin1() {
			c.off = int32(len(r.row.chars))
			r.row.chars = appendLatin1(r.row.chars, b)
			c.n = int32(len(r.row.chars)) - c.off
			return nil
		}
		if err := r.checkChars(f, b); err != nil {
			return err
		}
		c.off, c.n = int32(len(r.row.chars)), int32(len(b))
		r.row.chars = append(r.row.chars, b...)
		return nil
	case TypeUnicodeChar:
		start := len(r.row.chars)
		for i := 0; i+1 < len(b); i += 2 {
			u := rune(binary.BigEndian.Uint16(b[i:]))
			if u == 0 && !f.IsArray() {
				break
			}
			if utf16.IsSurrogate(u) && i+3 < len(b) {
				u2 := rune(binary.BigEndian.Uint16(b[i+2:]))
				if dec := utf16.DecodeRune(u, u2); dec != utf8.RuneError {
					u = dec
					i += 2
				}
			}
			r.row.chars = utf8.AppendRune(r.row.chars, u)
		}
		if !d.binary2 && len(r.row.chars) == start {
			c.null = true
			return nil
		}
		c.off, c.n = int32(start), int32(len(r.row.chars)-start)
		return nil
	}
	if !scalar && !d.binary2 && isVar && n == 0 {
		c.null = true
		return nil
	}
	if scalar {
		switch f.Type {
		case TypeBoolean:
			c.i = binBool(b[0])
			c.null = c.i < 0
		case TypeBit:
			c.i = int64(b[0] >> 7)
		case TypeUnsignedByte:
			c.i = int64(b[0])
		case TypeShort:
			c.i = int64(int16(binary.BigEndian.Uint16(b)))
		case TypeInt:
			c.i = int64(int32(binary.BigEndian.Uint32(b)))
		case TypeLong:
			c.i = int64(binary.BigEndian.Uint64(b))
		case TypeFloat:
			c.f = float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
			c.null = math.IsNaN(c.f)
		case TypeDouble:
			c.f = math.Float64frombits(binary.BigEndian.Uint64(b))
			c.null = math.IsNaN(c.f)
		case TypeFloatComplex:
			c.f = float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
			c.im = float64(math.Float32frombits(binary.BigEndian.Uint32(b[4:])))
			c.null = math.IsNaN(c.f) || math.IsNaN(c.im)
		case TypeDoubleComplex:
			c.f = math.Float64frombits(binary.BigEndian.Uint64(b))
			c.im = math.Float64frombits(binary.BigEndian.Uint64(b[8:]))
			c.null = math.IsNaN(c.f) || math.IsNaN(c.im)
		}
		if f.hasNullInt && f.Type.isInt() && c.i == f.nullInt {
			c.null = true
		}
		return nil
	}
	// arrays
	c.n = int32(n)
	switch f.Type {
	case TypeBoolean:
		c.off = int32(len(r.row.ints))
		for _, x := range b {
			r.row.ints = append(r.row.ints, binBool(x))
		}
	case TypeBit:
		c.off = int32(len(r.row.ints))
		for i := 0; i < n; i++ {
			r.row.ints = append(r.row.ints, int64(b[i>>3]>>(7-uint(i&7))&1))
		}
	case TypeUnsignedByte:
		c.off = int32(len(r.row.ints))
		for _, x := range b {
			r.row.ints = append(r.row.ints, int64(x))
		}
	case TypeShort:
		c.off = int32(len(r.row.ints))
		for i := 0; i < n; i++ {
			r.row.ints = append(r.row.ints, int64(int16(binary.BigEndian.Uint16(b[2*i:]))))
		}
	case TypeInt:
		c.off = int32(len(r.row.ints))
		for i := 0; i < n; i++ {
			r.row.ints = append(r.row.ints, int64(int32(binary.BigEndian.Uint32(b[4*i:]))))
		}
	case TypeLong:
		c.off = int32(len(r.row.ints))
		for i := 0; i < n; i++ {
			r.row.ints = append(r.row.ints, int64(binary.BigEndian.Uint64(b[8*i:])))
		}
	case TypeFloat, TypeFloatComplex:
		c.off = int32(len(r.row.flts))
		for i := 0; i+4 <= len(b); i += 4 {
			r.row.flts = append(r.row.flts, float64(math.Float32frombits(binary.BigEndian.Uint32(b[i:]))))
		}
	case TypeDouble, TypeDoubleComplex:
		c.off = int32(len(r.row.flts))
		for i := 0; i+8 <= len(b); i += 8 {
			r.row.flts = append(r.row.flts, math.Float64frombits(binary.BigEndian.Uint64(b[i:])))
		}
	}
	if !isVar && n > 0 && r.allNullElems(f, c) {
		c.null = true
	}
	return nil
}

func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

func binBool(x byte) int64 {
	switch x {
	case 'T', 't', '1':
		return 1
	case 'F', 'f', '0':
		return 0
	}
	return -1
}
