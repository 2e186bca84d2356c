package fits

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
)

// Options configure a Reader. The zero value is ready to use.
type Options struct {
	// MaxHeaderCards bounds the cards of one header (default 100,000): a
	// header without END beyond it is an error.
	MaxHeaderCards int
}

// HDU is a header-data unit.
type HDU struct {
	// Index is the HDU's position in the file, 0 for the primary HDU.
	Index  int
	Header Header
	// Type is "PRIMARY" or the XTENSION value (for example "BINTABLE",
	// "IMAGE", "TABLE").
	Type string
	// Name is EXTNAME, when present.
	Name   string
	Bitpix int
	// Axes are NAXIS1, NAXIS2, ...
	Axes   []int64
	PCount int64
	GCount int64
	// DataSize is the size of the data in bytes, without the padding to
	// a whole block.
	DataSize int64
	// Table describes a binary table (nil for any other HDU).
	Table *Table
}

// Table is the layout of a binary table.
type Table struct {
	Columns []Column
	// NRows is NAXIS2, RowSize NAXIS1, HeapSize PCOUNT.
	NRows    int64
	RowSize  int64
	HeapSize int64
}

// ColumnIndex returns the index of the column with the name (compared
// without regard to case, as FITS names are), or -1.
func (t *Table) ColumnIndex(name string) int {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

// Reader reads a FITS file as a stream of HDUs and table rows.
type Reader struct {
	src   io.Reader
	opts  Options
	n     int   // index of the next HDU
	left  int64 // bytes of the current HDU's data, padding included, not consumed
	hdu   *HDU
	table *Table // rows being read, or nil
	rowN  int64
	buf   []byte
	row   Row
	err   error
	eof   bool
	block []byte
}

// NewReader returns a Reader of the FITS file read from r. It reads
// nothing until NextHDU is called.
func NewReader(r io.Reader, opts Options) *Reader {
	if opts.MaxHeaderCards <= 0 {
		opts.MaxHeaderCards = 100000
	}
	return &Reader{src: r, opts: opts, block: make([]byte, BlockSize)}
}

func (r *Reader) errf(card int, row int64, col string, err error, format string, a ...any) error {
	return &Error{HDU: r.n - 1, Card: card, Row: row, Column: col, Msg: fmt.Sprintf(format, a...), Err: err}
}

func (r *Reader) fail(err error) error {
	if r.err == nil {
		r.err = err
	}
	return r.err
}

// discard skips n bytes of input.
func (r *Reader) discard(n int64) error {
	m, err := io.CopyN(io.Discard, r.src, n)
	if err == io.EOF && m < n {
		return io.ErrUnexpectedEOF
	}
	return err
}

// NextHDU moves to the next HDU, skipping what is left of the current
// one, and returns it. At the end of the file it returns io.EOF. For a
// binary table whose rows cannot be read (a variable-length array column)
// it returns the HDU and an error wrapping ErrUnsupported; NextHDU may then
// be called again to move on.
func (r *Reader) NextHDU() (*HDU, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.eof {
		return nil, io.EOF
	}
	if r.left > 0 {
		pad := (BlockSize - r.hdu.DataSize%BlockSize) % BlockSize
		if err := r.discard(r.left); err != nil {
			if r.left <= pad && (err == io.ErrUnexpectedEOF || err == io.EOF) {
				// the data is complete; only the final padding is
				// missing: the file ends here
				r.left, r.eof = 0, true
				return nil, io.EOF
			}
			return nil, r.fail(r.errf(-1, -1, "", err, "the file ends inside the data (%d bytes short or more)", r.left))
		}
		r.left = 0
	}
	r.table = nil
	h, err := r.readHeader()
	if err != nil {
		if err == io.EOF {
			r.eof = true
			return nil, io.EOF
		}
		return nil, r.fail(err)
	}
	r.hdu = h
	r.left = roundUp(h.DataSize)
	if h.Table != nil {
		for i := range h.Table.Columns {
			c := &h.Table.Columns[i]
			if c.Type == 'P' || c.Type == 'Q' {
				// not a reading error: the caller may skip this HDU
				return h, &Error{HDU: h.Index, Card: -1, Row: -1, Column: c.Key(), Err: ErrUnsupported,
					Msg: fmt.Sprintf("variable-length array column (TFORM%d = '%s'): its rows cannot be read", i+1, c.Form)}
			}
		}
		r.table, r.rowN = h.Table, 0
	}
	return h, nil
}

func roundUp(n int64) int64 { return (n + BlockSize - 1) / BlockSize * BlockSize }

// readHeader reads the cards of the next HDU up to END and interprets its
// structure.
func (r *Reader) readHeader() (*HDU, error) {
	index := r.n
	r.n++
	h := &HDU{Index: index}
	ncard := 0
	for blk := 0; ; blk++ {
		m, err := io.ReadFull(r.src, r.block)
		if err != nil {
			if m == 0 && blk == 0 && index > 0 && err == io.EOF {
				return nil, io.EOF
			}
			if m == 0 && blk == 0 && index == 0 {
				return nil, r.errf(-1, -1, "", nil, "not a FITS file: it is empty")
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil, r.errf(-1, -1, "", nil, "the file ends inside a header block (%d of %d bytes)", m, BlockSize)
			}
			return nil, r.errf(-1, -1, "", err, "reading the header")
		}
		if blk == 0 {
			first := string(r.block[:8])
			switch {
			case index == 0 && first != "SIMPLE  ":
				return nil, r.errf(-1, -1, "", nil, "not a FITS file: it does not start with SIMPLE (%q)", printable(r.block[:min(30, len(r.block))]))
			case index > 0 && first != "XTENSION":
				return nil, r.errf(-1, -1, "", nil, "the block after HDU %d does not start with XTENSION (%q)", index-1, printable(r.block[:30]))
			}
		}
		for off := 0; off < BlockSize; off += CardSize {
			ncard++
			raw := r.block[off : off+CardSize]
			if string(raw[:8]) == "END     " {
				if strings.TrimRight(string(raw[8:]), " ") != "" {
					return nil, r.errf(ncard, -1, "", nil, "END card with text after END")
				}
				for rest := off + CardSize; rest < BlockSize; rest++ {
					if r.block[rest] != ' ' {
						return nil, r.errf(ncard, -1, "", nil, "non-blank bytes after END in the last header block")
					}
				}
				if err := r.structure(h); err != nil {
					return nil, err
				}
				return h, nil
			}
			c, err := parseCard(raw)
			if err != nil {
				return nil, r.errf(ncard, -1, "", err, "")
			}
			if ncard > r.opts.MaxHeaderCards {
				return nil, r.errf(ncard, -1, "", nil, "header of more than %d cards without END", r.opts.MaxHeaderCards)
			}
			h.Header.Cards = append(h.Header.Cards, c)
		}
	}
}

func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '.'
		}
		return r
	}, string(b))
}

// structure reads the mandatory keywords of an HDU and computes its data
// size.
func (r *Reader) structure(h *HDU) error {
	hd := &h.Header
	bad := func(format string, a ...any) error { return r.errf(-1, -1, "", nil, format, a...) }
	if h.Index == 0 {
		h.Type = "PRIMARY"
		if v, ok := hd.Bool("SIMPLE"); !ok {
			return bad("SIMPLE is not a logical")
		} else if !v {
			return bad("SIMPLE = F: the file does not conform to the FITS standard")
		}
	} else {
		x, ok := hd.String("XTENSION")
		if !ok {
			return bad("XTENSION is not a string")
		}
		h.Type = x
	}
	h.Name, _ = hd.String("EXTNAME")
	bp, ok := hd.Int("BITPIX")
	switch {
	case !ok:
		return bad("BITPIX is missing or not an integer")
	case bp != 8 && bp != 16 && bp != 32 && bp != 64 && bp != -32 && bp != -64:
		return bad("BITPIX = %d is not 8, 16, 32, 64, -32 or -64", bp)
	}
	h.Bitpix = int(bp)
	naxis, ok := hd.Int("NAXIS")
	if !ok || naxis < 0 || naxis > 999 {
		return bad("NAXIS is missing or not in 0..999")
	}
	h.Axes = make([]int64, naxis)
	for i := range h.Axes {
		v, ok := hd.Int(fmt.Sprintf("NAXIS%d", i+1))
		if !ok || v < 0 {
			return bad("NAXIS%d is missing or negative", i+1)
		}
		h.Axes[i] = v
	}
	h.PCount, h.GCount = 0, 1
	if h.Index > 0 {
		if h.PCount, ok = hd.Int("PCOUNT"); !ok || h.PCount < 0 {
			return bad("PCOUNT is missing or negative")
		}
		if h.GCount, ok = hd.Int("GCOUNT"); !ok || h.GCount < 0 {
			return bad("GCOUNT is missing or negative")
		}
	}
	axes := h.Axes
	if g, _ := hd.Bool("GROUPS"); g && h.Index == 0 && naxis > 0 && h.Axes[0] == 0 {
		// random groups: NAXIS1 = 0 is not a size; PCOUNT and GCOUNT apply
		axes = axes[1:]
		if v, ok := hd.Int("PCOUNT"); ok && v >= 0 {
			h.PCount = v
		}
		if v, ok := hd.Int("GCOUNT"); ok && v >= 0 {
			h.GCount = v
		}
	}
	// data size: |BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × ... × NAXISn)
	if naxis > 0 {
		prod, ovf := uint64(1), false
		for _, a := range axes {
			hi, lo := bits.Mul64(prod, uint64(a))
			ovf = ovf || hi != 0
			prod = lo
		}
		sum := prod + uint64(h.PCount)
		ovf = ovf || sum < prod
		hi, lo := bits.Mul64(sum, uint64(h.GCount))
		ovf = ovf || hi != 0
		hi2, size := bits.Mul64(lo, uint64(abs(h.Bitpix)/8))
		ovf = ovf || hi2 != 0
		if ovf || size > 1<<62 {
			return bad("the data size given by NAXISn, PCOUNT and GCOUNT overflows")
		}
		h.DataSize = int64(size)
	}
	if h.Type != "BINTABLE" {
		return nil
	}
	switch {
	case h.Bitpix != 8:
		return bad("BINTABLE with BITPIX = %d (must be 8)", h.Bitpix)
	case naxis != 2:
		return bad("BINTABLE with NAXIS = %d (must be 2)", naxis)
	case h.GCount != 1:
		return bad("BINTABLE with GCOUNT = %d (must be 1)", h.GCount)
	}
	nf, ok := hd.Int("TFIELDS")
	if !ok || nf < 0 || nf > 999 {
		return bad("TFIELDS is missing or not in 0..999")
	}
	cols, err := tableColumns(hd, nf, h.Axes[0])
	if err != nil {
		return r.errf(-1, -1, "", err, "")
	}
	if h.Axes[0] == 0 && h.Axes[1] > 0 {
		// rows of no bytes: reading them would never end on any input
		return bad("BINTABLE of %d rows of 0 bytes (NAXIS1 = 0)", h.Axes[1])
	}
	h.Table = &Table{Columns: cols, NRows: h.Axes[1], RowSize: h.Axes[0], HeapSize: h.PCount}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Table returns the binary table whose rows Next reads, or nil when the
// current HDU is not a readable binary table.
func (r *Reader) Table() *Table { return r.table }

// Next reads the next row of the current binary table. It returns false
// after the last row or on an error (see Err).
func (r *Reader) Next() bool {
	t := r.table
	if t == nil || r.err != nil {
		return false
	}
	if r.rowN >= t.NRows {
		return false
	}
	n := int(t.RowSize)
	if err := r.readRow(n); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			r.fail(r.errf(-1, r.rowN, "", nil, "the file ends inside row %d of %d", r.rowN, t.NRows))
		} else {
			r.fail(r.errf(-1, r.rowN, "", err, "reading a row"))
		}
		return false
	}
	r.left -= int64(n)
	r.row = Row{t: t, b: r.buf[:n], index: r.rowN}
	r.rowN++
	return true
}

// readRow reads n bytes into r.buf, growing it only as the bytes arrive.
func (r *Reader) readRow(n int) error {
	const chunk = 1 << 20
	if cap(r.buf) >= n {
		_, err := io.ReadFull(r.src, r.buf[:n])
		return err
	}
	r.buf = r.buf[:0]
	for len(r.buf) < n {
		k := min(n-len(r.buf), chunk)
		start := len(r.buf)
		r.buf = append(r.buf, make([]byte, k)...)
		if _, err := io.ReadFull(r.src, r.buf[start:]); err != nil {
			return err
		}
	}
	return nil
}

// Row returns the row read by the last successful Next, valid until the
// next call to Next.
func (r *Reader) Row() Row { return r.row }

// Err returns the first error met while reading rows or headers.
func (r *Reader) Err() error { return r.err }
