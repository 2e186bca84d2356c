package votable

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// tdPipe finds the rows and cells of TABLEDATA in its own goroutine, so
// that the text is scanned beside the decoding of the cells (on two cores
// the wall time of a large table drops by about a third).
//
// The goroutine owns the lexer while it runs. It takes only rows of the
// plain form — white space, <TR>, cells written <TD>text</TD> or <TD/>
// with no '&' in the text, </TR> — and stops, with the lexer at the start
// of the first row it does not take (or at the end of the input), for the
// Reader's own token path to read: another element, an entity, a comment,
// attributes, </TABLEDATA>. It never reports an error itself.
//
// Memory stays bounded: the rows of a batch are read in place in a lexer
// buffer, which the batch carries to the consumer; the lexer goes on in
// another buffer. tdBufs batches circulate between the two goroutines.
type tdPipe struct {
	full  chan *tdBatch // batches scanned, in order; closed at the end
	empty chan *tdBatch // batches handed back
	quit  chan struct{}
	done  chan struct{} // closed when the goroutine has returned
	cur   *tdBatch      // the batch whose rows are being read
	next  int           // its next row
	rows  int           // rows handed out
}

// tdBatch is a run of rows lying in buf.
type tdBatch struct {
	buf   []byte
	base  int64 // absolute offset of buf[0]
	start int   // where the first row starts in buf
	line  int   // line and column of buf[start]
	col   int
	cells []tdCell
	rows  []tdRow
}

// tdCell is a cell, its text at buf[text:end], in eight bytes: the top
// bit of text is set for <TD/>, the top bit of end when the text has a
// byte beyond ASCII. Buffers are far smaller than 2 GiB.
type tdCell struct{ text, end uint32 }

const tdFlag = 1 << 31

func newTDCell(text, end int, selfClosed, ascii bool) tdCell {
	c := tdCell{uint32(text), uint32(end)}
	if selfClosed {
		c.text |= tdFlag
	}
	if !ascii {
		c.end |= tdFlag
	}
	return c
}

// span returns where the text is.
func (c tdCell) span() (int32, int32) { return int32(c.text &^ tdFlag), int32(c.end &^ tdFlag) }

// tag returns where the cell's <TD starts.
func (c tdCell) tag() int32 {
	if c.text&tdFlag != 0 {
		return int32(c.text &^ tdFlag)
	}
	return int32(c.text) - int32(len("<TD>"))
}

func (c tdCell) ascii() bool { return c.end&tdFlag == 0 }

// tdRow is a row: cells[first:first+n], its </TR> at end.
type tdRow struct{ first, n, end int32 }

const tdBufs = 3

// reset empties the batch, giving it room for the cells of a buffer of
// size bytes (a cell and its white space take 16 bytes or more in most
// tables), so that it does not grow, and leave garbage, while it fills.
func (b *tdBatch) reset(size int) {
	if cap(b.cells) < size/16 {
		b.cells = make([]tdCell, 0, size/16)
		b.rows = make([]tdRow, 0, size/128)
	}
	b.cells, b.rows = b.cells[:0], b.rows[:0]
}

// pos returns the line and column of buf[i].
func (b *tdBatch) pos(i int) (int, int) {
	seg := b.buf[b.start:i]
	n := bytes.Count(seg, nl)
	if n == 0 {
		return b.line, b.col + len(seg)
	}
	return b.line + n, len(seg) - bytes.LastIndexByte(seg, '\n')
}

func newTDPipe(lx *lexer) *tdPipe {
	p := &tdPipe{full: make(chan *tdBatch, tdBufs), empty: make(chan *tdBatch, tdBufs),
		quit: make(chan struct{}), done: make(chan struct{})}
	for range tdBufs {
		p.empty <- &tdBatch{}
	}
	go p.run(lx)
	return p
}

func (p *tdPipe) run(lx *lexer) {
	defer close(p.done)
	defer close(p.full)
	var b *tdBatch
	select {
	case b = <-p.empty:
	case <-p.quit:
		return
	}
	b.reset(len(lx.buf))
	for {
		if len(b.rows) == 0 {
			b.base, b.start = lx.base, lx.pos
			b.line, b.col = lx.lineCol(lx.base + int64(lx.pos))
		}
		switch scanRow(lx, b) {
		case rowOK:
			continue
		case rowStop:
			if len(b.rows) > 0 {
				b.buf = lx.buf
				select {
				case p.full <- b:
				case <-p.quit:
				}
			}
			return
		}
		// the row goes on past the buffer
		if len(b.rows) == 0 {
			if _, ok := lx.fill(lx.pos); !ok {
				return // the token path reports the end of the input
			}
			continue
		}
		// hand the buffer over with the batch; go on in another one,
		// with the start of the row
		var nb *tdBatch
		select {
		case nb = <-p.empty:
		case <-p.quit:
			return
		}
		b.buf = lx.swapBuf(nb.buf)
		select {
		case p.full <- b:
		case <-p.quit:
			return
		}
		b = nb
		b.buf = nil
		b.reset(len(lx.buf))
		if _, ok := lx.fill(lx.pos); !ok {
			return
		}
	}
}

// batch returns the batch holding the next row, or nil when the goroutine
// has stopped (it has then returned: the lexer is the Reader's again).
func (p *tdPipe) batch() *tdBatch {
	if p.cur != nil && p.next < len(p.cur.rows) {
		return p.cur
	}
	if p.cur != nil {
		p.empty <- p.cur // never blocks: tdBufs batches in all
		p.cur = nil
	}
	b, ok := <-p.full
	if !ok {
		<-p.done
		return nil
	}
	p.cur, p.next = b, 0
	return b
}

// stop ends the goroutine and waits for it. It may be called more than
// once.
func (p *tdPipe) stop() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	<-p.done
}

// swapBuf makes buf the lexer's buffer, moving into it what is left from
// l.pos on, and returns the old buffer, whose bytes before l.pos stay as
// they were.
func (l *lexer) swapBuf(buf []byte) []byte {
	keep := l.pos
	l.lineCol(l.base + int64(keep)) // count lines in what is dropped
	if len(buf) < len(l.buf) {
		buf = make([]byte, max(len(l.buf), streamBuf))
	}
	old := l.buf
	l.end = copy(buf, old[keep:l.end])
	l.buf = buf
	l.pos = 0
	l.lnPos -= keep
	l.base += int64(keep)
	return old
}

type rowScan uint8

const (
	rowOK   rowScan = iota // a row was added to the batch
	rowMore                // the buffer ends inside the row
	rowStop                // not a row of the plain form
)

// scanRow reads one row of the plain form at l.pos into b, moving l.pos
// past it. It consumes nothing unless it returns rowOK.
func scanRow(l *lexer, b *tdBatch) rowScan {
	if l.pendEnd {
		return rowStop
	}
	buf := l.buf[:l.end]
	i := skipBlank(buf, l.pos)
	if len(buf)-i < 4 {
		return rowMore
	}
	if string(buf[i:i+4]) != "<TR>" {
		return rowStop
	}
	i += 4
	first := len(b.cells)
	for {
		i = skipBlank(buf, i)
		if len(buf)-i < 5 {
			b.cells = b.cells[:first]
			return rowMore
		}
		if buf[i] != '<' {
			b.cells = b.cells[:first]
			return rowStop
		}
		if buf[i+1] == 'T' && buf[i+2] == 'D' {
			switch {
			case buf[i+3] == '>':
				q := i + 4
				e, ascii := textEnd(buf, q)
				if len(buf)-e < 5 {
					b.cells = b.cells[:first]
					return rowMore
				}
				if string(buf[e:e+5]) != "</TD>" {
					b.cells = b.cells[:first]
					return rowStop // an entity, or markup inside the cell
				}
				b.cells = append(b.cells, newTDCell(q, e, false, ascii))
				i = e + 5
				continue
			case buf[i+3] == '/' && buf[i+4] == '>':
				b.cells = append(b.cells, newTDCell(i, i, true, true))
				i += 5
				continue
			}
		} else if string(buf[i:i+5]) == "</TR>" {
			b.rows = append(b.rows, tdRow{int32(first), int32(len(b.cells) - first), int32(i)})
			l.pos = i + 5
			return rowOK
		}
		b.cells = b.cells[:first]
		return rowStop
	}
}

// skipBlank returns the index of the first byte from i on above ' '.
// Between cells and rows the token path ignores any text, so control
// characters may be skipped with the white space. (Runs are short: a
// plain loop does as well as eight bytes at a time.)
func skipBlank(buf []byte, i int) int {
	for i < len(buf) && buf[i] <= ' ' {
		i++
	}
	return i
}

// textEnd returns the index of the first '<' or '&' from i on (or
// len(buf)), and whether the bytes before it are all ASCII, reading eight
// bytes at a time.
func textEnd(buf []byte, i int) (int, bool) {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	const lt, amp = '<' * lo, '&' * lo
	var high uint64
	for ; i+8 <= len(buf); i += 8 {
		x := binary.LittleEndian.Uint64(buf[i:])
		a, b := x^lt, x^amp
		// a byte of a or b is zero where x has '<' or '&'; the lowest
		// flagged byte is exact (a borrow only runs upwards)
		if m := ((a-lo)&^a | (b-lo)&^b) & hi; m != 0 {
			k := bits.TrailingZeros64(m) >> 3
			high |= x & (1<<(8*k) - 1)
			return i + k, high&hi == 0
		}
		high |= x
	}
	for ; i < len(buf); i++ {
		c := buf[i]
		if c == '<' || c == '&' {
			break
		}
		high |= uint64(c)
	}
	return i, high&hi == 0
}

// tdKind says how pipedCells decodes a field's cells: the common forms of
// numbers inline, everything else through setText.
type tdKind uint8

const (
	tdkOther   tdKind = iota
	tdkFloat64        // scalar double without a VALUES null
	tdkFloat32        // scalar float without a VALUES null
	tdkInt            // scalar unsignedByte, short, int or long
	tdkChar           // char of one dimension without a VALUES null
)

func tdKindOf(f *Field) tdKind {
	switch {
	case f.IsArray() && f.Type != TypeChar:
		return tdkOther
	case f.Type == TypeDouble && !f.HasNull:
		return tdkFloat64
	case f.Type == TypeFloat && !f.HasNull:
		return tdkFloat32
	case f.Type == TypeUnsignedByte || f.Type == TypeShort || f.Type == TypeInt || f.Type == TypeLong:
		return tdkInt
	case f.Type == TypeChar && len(f.Shape) == 1 && !f.HasNull:
		return tdkChar
	}
	return tdkOther
}

// plainInt parses an optional '-' and one to 18 decimal digits; ok is
// false for anything else (which setText reads).
func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + int64(d)
	}
	if neg {
		v = -v
	}
	return v, true
}
