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
// stream: base64 inside STREAM, or a file named by href. It keeps its own
// buffer so that a row (or a cell) is a slice of it, without copying.
type binDecoder struct {
	binary2 bool
	href    bool
	src     io.Reader
	buf     []byte // buf[pos:end] is read but not consumed
	own     []byte // the decoder's buffer; buf is a pipe chunk when inChunk
	inChunk bool
	pos     int
	end     int
	srcErr  error
	nflag   int
	flags   []byte
	offset  int64 // bytes of the stream consumed
	// rowSize is the size in bytes of every row (null flags included)
	// when no field has a variable size, else 0.
	rowSize int
	plan    []binOp
	// borrow is set when every char cell of a fixed-size row is a bkChar:
	// the row's text is then read in place (Row.chars is the row's bytes).
	borrow bool
	// groups, when every field of a fixed-size row has a kind of its own
	// (no bkGeneric), lists the fields kind by kind (see decodeGrouped).
	groups *binGroups
	// pipe, when set, reads src ahead in its own goroutine; line and col
	// are then where the STREAM starts, the position given to warnings
	// while it runs (the lexer belongs to the pipe).
	pipe      *pipe
	line, col int
}

// stopPipe ends the read-ahead goroutine, if any, giving the lexer back.
func (d *binDecoder) stopPipe() {
	if d != nil && d.pipe != nil {
		d.pipe.stop()
		d.pipe = nil
	}
}

// binOp is how a field of a fixed-size row is decoded.
type binOp struct {
	kind binKind
	size int // bytes
	// the field's null value: hasNull and nullInt for the integer kinds,
	// hasNull and null for bkChar
	hasNull bool
	nullInt int64
	null    string
}

type binKind uint8

const (
	bkGeneric binKind = iota
	bkDouble
	bkFloat
	bkShort
	bkInt
	bkLong
	bkUByte
	bkChar // 1-D fixed char
)

const binBuf = 64 << 10

// streamBuf is the size of the lexer's buffer while it reads bulk data
// (inline base64, TABLEDATA rows): fewer, larger reads.
const streamBuf = 128 << 10

// findStream reads up to the STREAM start tag inside BINARY, BINARY2 or
// FITS.
func (r *Reader) findStream(t *Table) error {
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
		return nil
	}
}

// startBinary is called after <BINARY> or <BINARY2>: it reads the STREAM
// start tag and sets up the byte stream.
func (r *Reader) startBinary(t *Table, binary2 bool) error {
	lx := r.lx
	if err := r.findStream(t); err != nil {
		return err
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
	d.plan = make([]binOp, len(t.Fields))
	fixed := true
	d.borrow = true
	for i := range t.Fields {
		f := &t.Fields[i]
		n := f.fixedCount()
		if n < 0 {
			fixed = false
			continue
		}
		op := binOp{size: n * f.Type.binSize()}
		if f.Type == TypeBit {
			op.size = (n + 7) / 8
		}
		if !f.IsArray() {
			switch f.Type {
			case TypeDouble:
				op.kind = bkDouble
			case TypeFloat:
				op.kind = bkFloat
			case TypeShort:
				op.kind = bkShort
			case TypeInt:
				op.kind = bkInt
			case TypeLong:
				op.kind = bkLong
			case TypeUnsignedByte:
				op.kind = bkUByte
			case TypeChar:
				if len(f.Shape) == 1 && !r.latin1() {
					op.kind = bkChar
				}
			}
		}
		switch op.kind {
		case bkShort, bkInt, bkLong, bkUByte:
			op.hasNull, op.nullInt = f.hasNullInt, f.nullInt
		case bkChar:
			op.hasNull, op.null = f.HasNull, f.Null
		}
		if f.Type.isChar() && op.kind != bkChar {
			d.borrow = false
		}
		d.plan[i] = op
	}
	if fixed {
		d.rowSize = minRow
	}
	d.borrow = d.borrow && fixed
	if d.borrow && !r.noGroups {
		d.groups = planGroups(d.plan, d.nflag)
	}
	src, href, err := r.streamSource(t)
	if err != nil {
		return err
	}
	d.href = href
	d.line, d.col = lx.lineCol(lx.tokStart)
	if !d.href || r.closer != nil {
		// decode the base64 text (or read the file) ahead, beside the rows
		// chunks of whole rows when rows have a fixed size, so that rows
		// are read in place in the chunks (see more)
		chunk := streamBuf
		if d.rowSize > 0 && d.rowSize <= chunk/4 {
			chunk -= chunk % d.rowSize
		}
		d.pipe = newPipe(src, chunk)
		src = d.pipe
	}
	d.src = src
	d.own = make([]byte, binBuf)
	d.buf = d.own
	r.bin = d
	return nil
}

// streamSource opens the byte stream of the STREAM start tag just read:
// inline base64 text (decoded from the document as it is read), or the
// file of its href (raw, gzip or base64). href is true when the document
// holds nothing more inside STREAM.
func (r *Reader) streamSource(t *Table) (io.Reader, bool, error) {
	lx := r.lx
	enc := strings.TrimSpace(lx.attrOr("encoding"))
	ref, hasHref := lx.attr("href")
	var src io.Reader
	href := false
	if hasHref && strings.TrimSpace(ref) != "" {
		rc, err := r.openHref(strings.TrimSpace(ref))
		if err != nil {
			return nil, false, r.errHere("", err, "table %d: STREAM href %q", t.Index, ref)
		}
		r.closer = rc
		src = rc
		href = true
		// the STREAM element itself holds nothing: consume it
		if err := r.skipSubtree(); err != nil {
			return nil, false, err
		}
		switch enc {
		case "", "none":
		case "gzip":
			zr, err := gzip.NewReader(bufio.NewReaderSize(rc, binBuf))
			if err != nil {
				return nil, false, r.errHere("", err, "table %d: STREAM href %q: gzip", t.Index, ref)
			}
			src = zr
		case "base64":
			src = base64.NewDecoder(base64.StdEncoding, &spaceFilter{r: bufio.NewReaderSize(rc, binBuf)})
		default:
			return nil, false, r.errHere("", ErrUnsupported, "table %d: STREAM encoding %q", t.Index, enc)
		}
	} else {
		switch enc {
		case "base64", "":
			if enc == "" {
				if err := r.warnHere(WarnBadValue, "", "inline STREAM without encoding; read as base64"); err != nil {
					return nil, false, err
				}
			}
		default:
			return nil, false, r.errHere("", ErrUnsupported, "table %d: inline STREAM encoding %q (only base64 can be inline)", t.Index, enc)
		}
		if lx.selfClose {
			lx.pendEnd = false
			src = strings.NewReader("")
			href = true // nothing to consume in the document
		} else {
			lx.growTo(streamBuf)
			src = &b64Stream{lx: lx}
		}
	}
	return src, href, nil
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
	d.stopPipe() // the stream has ended: the goroutine is returning
	r.bin = nil
	return r.finishStream(d.href)
}

// finishStream closes an href file and consumes </STREAM> (when inline)
// and the end tag of BINARY, BINARY2 or FITS.
func (r *Reader) finishStream(href bool) error {
	if r.closer != nil {
		r.closer.Close()
		r.closer = nil
	}
	ends := 2
	if href {
		ends = 1
	}
	for ends > 0 {
		k, err := r.next()
		if err != nil {
			return err
		}
		switch k {
		case tokText:
			if len(trimSpace(r.lx.text)) > 0 && !href {
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
	r.bin.stopPipe() // an error ends the reading: take the lexer back
	line, col := r.lx.lineCol(r.lx.base + int64(r.lx.pos))
	return &Error{Line: line, Col: col, Table: r.table.Index, Row: r.rowN, Field: field,
		Msg: fmt.Sprintf(format+" (byte %d of the stream)", append(a, r.bin.offset)...), Err: err}
}

func isCorrupt(err error) bool {
	var c base64.CorruptInputError
	return errors.As(err, &c)
}

// more reads from the source into the buffer until it holds at least n
// unconsumed bytes, moving them to the front and growing the buffer as the
// data arrives (never ahead of it). It returns false when the stream ends
// first.
func (d *binDecoder) more(n int) bool {
	for d.end-d.pos < n {
		if d.srcErr != nil {
			return false
		}
		if d.pipe != nil && d.pos == d.end {
			// nothing left over: read the next chunk where it is
			c, err := d.pipe.next()
			if len(c) > 0 {
				d.buf, d.pos, d.end, d.inChunk = c, 0, len(c), true
			}
			if err != nil {
				d.srcErr = err
			}
			continue
		}
		if d.inChunk {
			// part of a row is left: carry on in our own buffer
			if len(d.own) < d.end-d.pos {
				d.own = make([]byte, max(binBuf, 2*(d.end-d.pos)))
			}
			d.end = copy(d.own, d.buf[d.pos:d.end])
			d.buf, d.pos, d.inChunk = d.own, 0, false
		}
		if d.pos > 0 {
			d.end = copy(d.buf, d.buf[d.pos:d.end])
			d.pos = 0
		}
		if d.end == len(d.buf) {
			nb := make([]byte, 2*len(d.buf))
			copy(nb, d.buf[:d.end])
			d.buf, d.own = nb, nb
		}
		m, err := d.src.Read(d.buf[d.end:])
		for tries := 0; m == 0 && err == nil; tries++ {
			if tries == 100 {
				err = io.ErrNoProgress
				break
			}
			m, err = d.src.Read(d.buf[d.end:])
		}
		d.end += m
		if err != nil {
			d.srcErr = err
		}
	}
	return true
}

// err returns why the stream ended before the bytes asked for.
func (d *binDecoder) err() error {
	if d.srcErr == nil || d.srcErr == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return d.srcErr
}

// read returns the next n bytes of the stream, valid until the next read;
// it consumes nothing when the stream ends first.
func (d *binDecoder) read(n int) ([]byte, error) {
	if d.end-d.pos < n && !d.more(n) {
		return nil, d.err()
	}
	b := d.buf[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	d.offset += int64(n)
	return b, nil
}

// atEnd reports whether the stream has no byte left.
func (d *binDecoder) atEnd() (bool, error) {
	if d.end > d.pos || d.more(1) {
		return false, nil
	}
	if d.srcErr == io.EOF {
		return true, nil
	}
	return false, d.srcErr
}

const maxVarElems = 1 << 28

// nextBinaryRow decodes one row of BINARY or BINARY2.
func (r *Reader) nextBinaryRow() (bool, error) {
	d := r.bin
	t := r.table
	if end, err := d.atEnd(); end {
		return false, r.finishBinary()
	} else if err != nil {
		return false, r.streamErr("", err, "reading the stream")
	}
	r.resetRow(t)
	if d.rowSize > 0 {
		if b, err := d.read(d.rowSize); err == nil {
			if d.groups != nil && (!d.binary2 || noFlags(b[:d.nflag])) {
				return true, r.decodeGrouped(b)
			}
			return true, r.decodeFixedRow(b)
		}
		// a short last row: read it cell by cell to say where it ends
	}
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

// decodeFixedRow decodes a row of a table whose fields all have a fixed
// size, from its bytes (null flags first in BINARY2).
func (r *Reader) decodeFixedRow(b []byte) error {
	d := r.bin
	row := b
	var flags []byte
	off := 0 // of the current cell in row
	if d.binary2 {
		flags, b = b[:d.nflag], b[d.nflag:]
		off = d.nflag
	}
	if d.borrow {
		// the text cells are read in place: keep the row's own arena for
		// the next row (resetRow puts it back)
		r.ownChars, r.row.chars, r.borrowed = r.row.chars, row, true
	}
	cells := r.row.cells
	for k := range d.plan {
		op := &d.plan[k]
		cb := b[:op.size:op.size]
		b = b[op.size:]
		c := &cells[k]
		coff := off
		off += op.size
		if flags != nil && flags[k>>3]&(0x80>>(k&7)) != 0 {
			*c = cell{null: true}
			continue
		}
		switch op.kind {
		case bkDouble:
			v := math.Float64frombits(binary.BigEndian.Uint64(cb))
			*c = cell{f: v, null: v != v}
		case bkFloat:
			v := float64(math.Float32frombits(binary.BigEndian.Uint32(cb)))
			*c = cell{f: v, null: v != v}
		case bkShort:
			v := int64(int16(binary.BigEndian.Uint16(cb)))
			*c = cell{i: v, null: op.hasNull && v == op.nullInt}
		case bkInt:
			v := int64(int32(binary.BigEndian.Uint32(cb)))
			*c = cell{i: v, null: op.hasNull && v == op.nullInt}
		case bkLong:
			v := int64(binary.BigEndian.Uint64(cb))
			*c = cell{i: v, null: op.hasNull && v == op.nullInt}
		case bkUByte:
			v := int64(cb[0])
			*c = cell{i: v, null: op.hasNull && v == op.nullInt}
		case bkChar:
			n, ascii := scanChar(cb)
			cb = cb[:n]
			if (!d.binary2 && n == 0) || (op.hasNull && string(cb) == op.null) {
				*c = cell{null: true}
				continue
			}
			if !ascii {
				if err := r.checkChars(&r.table.Fields[k], cb); err != nil {
					return err
				}
			}
			if d.borrow {
				*c = cell{off: int32(coff), n: int32(n)}
				continue
			}
			*c = cell{off: int32(len(r.row.chars)), n: int32(n)}
			r.row.chars = append(r.row.chars, cb...)
		default:
			*c = cell{}
			f := &r.table.Fields[k]
			if err := r.decodeBinaryCell(k, f, false, cb, f.fixedCount()); err != nil {
				return err
			}
		}
	}
	return nil
}

// binGroups lists the fields of a fixed-size row by kind, each with
// where it lies in the row, so that a row is decoded one kind at a time,
// each loop without a branch on the kind.
type binGroups struct {
	f64, f32, i16, i32, i64, u8, chars []binAt
}

// binAt is a field of a binGroups: cell k, at row[off:off+size].
type binAt struct {
	k, off, size int
	hasNull      bool
	nullInt      int64
	null         string
}

// planGroups returns the groups of a plan whose fields all have a kind
// other than bkGeneric, or nil. Rows start with nflag bytes of flags.
func planGroups(plan []binOp, nflag int) *binGroups {
	g := &binGroups{}
	off := nflag
	for k, op := range plan {
		at := binAt{k: k, off: off, size: op.size, hasNull: op.hasNull, nullInt: op.nullInt, null: op.null}
		off += op.size
		switch op.kind {
		case bkDouble:
			g.f64 = append(g.f64, at)
		case bkFloat:
			g.f32 = append(g.f32, at)
		case bkShort:
			g.i16 = append(g.i16, at)
		case bkInt:
			g.i32 = append(g.i32, at)
		case bkLong:
			g.i64 = append(g.i64, at)
		case bkUByte:
			g.u8 = append(g.u8, at)
		case bkChar:
			g.chars = append(g.chars, at)
		default:
			return nil
		}
	}
	return g
}

// noFlags reports whether no null flag is set.
func noFlags(flags []byte) bool {
	for _, f := range flags {
		if f != 0 {
			return false
		}
	}
	return true
}

// decodeGrouped decodes a fixed-size row, with no null flag set, whose
// text is read in place (d.borrow), kind by kind. It gives the cells and
// warnings decodeFixedRow gives: only char cells warn, in field order.
func (r *Reader) decodeGrouped(row []byte) error {
	d := r.bin
	g := d.groups
	cells := r.row.cells
	r.ownChars, r.row.chars, r.borrowed = r.row.chars, row, true
	for _, e := range g.f64 {
		v := math.Float64frombits(binary.BigEndian.Uint64(row[e.off:]))
		cells[e.k] = cell{f: v, null: v != v}
	}
	for _, e := range g.f32 {
		v := float64(math.Float32frombits(binary.BigEndian.Uint32(row[e.off:])))
		cells[e.k] = cell{f: v, null: v != v}
	}
	for _, e := range g.i16 {
		v := int64(int16(binary.BigEndian.Uint16(row[e.off:])))
		cells[e.k] = cell{i: v, null: e.hasNull && v == e.nullInt}
	}
	for _, e := range g.i32 {
		v := int64(int32(binary.BigEndian.Uint32(row[e.off:])))
		cells[e.k] = cell{i: v, null: e.hasNull && v == e.nullInt}
	}
	for _, e := range g.i64 {
		v := int64(binary.BigEndian.Uint64(row[e.off:]))
		cells[e.k] = cell{i: v, null: e.hasNull && v == e.nullInt}
	}
	for _, e := range g.u8 {
		v := int64(row[e.off])
		cells[e.k] = cell{i: v, null: e.hasNull && v == e.nullInt}
	}
	for j := range g.chars {
		e := &g.chars[j]
		n, ascii := scanChar(row[e.off : e.off+e.size])
		cb := row[e.off : e.off+n]
		if (!d.binary2 && n == 0) || (e.hasNull && string(cb) == e.null) {
			cells[e.k] = cell{null: true}
			continue
		}
		if !ascii {
			if err := r.checkChars(&r.table.Fields[e.k], cb); err != nil {
				return err
			}
		}
		cells[e.k] = cell{off: int32(e.off), n: int32(n)}
	}
	return nil
}

// isASCII reports whether b holds only bytes below 0x80, eight at a time.
func isASCII(b []byte) bool {
	const hi = 0x8080808080808080
	var high uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		high |= binary.LittleEndian.Uint64(b[i:])
	}
	for ; i < len(b); i++ {
		high |= uint64(b[i])
	}
	return high&hi == 0
}

// scanChar returns the length of a char value up to its first NUL, and
// whether that much is ASCII, reading eight bytes at a time.
func scanChar(b []byte) (int, bool) {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	var high uint64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if (x-lo)&^x&hi != 0 {
			break // a NUL among these eight
		}
		high |= x
	}
	for ; i < len(b); i++ {
		if b[i] == 0 {
			break
		}
		high |= uint64(b[i])
	}
	return i, high&hi == 0
}

func (r *Reader) readBinaryCell(k int, f *Field, flagged bool) error {
	d := r.bin
	r.row.cells[k] = cell{}
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
	return r.decodeBinaryCell(k, f, flagged, b, n)
}

// decodeBinaryCell decodes cell k, of n elements, from its bytes b.
func (r *Reader) decodeBinaryCell(k int, f *Field, flagged bool, b []byte, n int) error {
	d := r.bin
	c := &r.row.cells[k]
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
		} else if i := bytes.IndexByte(b, 0); i >= 0 {
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

func binBool(x byte) int64 {
	switch x {
	case 'T', 't', '1':
		return 1
	case 'F', 'f', '0':
		return 0
	}
	return -1
}
