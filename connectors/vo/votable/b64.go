package votable

import (
	"encoding/base64"
	"encoding/binary"
	"io"
)

// b64Stream decodes the base64 text of an inline STREAM straight from the
// lexer's buffer: white space is skipped where it stands, without first
// copying the text out, and the bytes are written into the caller's
// buffer. Eight characters (six bytes) are decoded per step while they are
// all in the alphabet; anything else (a line break, padding, the '<' that
// ends the text, a bad character) goes through a character-at-a-time path.
//
// What it accepts is what the standard decoder accepts once all bytes up to
// ' ' are removed: '=' padding only at the end, and a final group of two or
// three characters without padding.
type b64Stream struct {
	lx  *lexer
	q   uint32 // sextets of the incomplete quantum, first in the high bits
	nq  int    // how many sextets q holds
	pad int    // '=' seen in the final quantum
	// closed is set once a padded quantum is complete: only white space
	// may follow
	closed bool
	pend   [3]byte
	np     int   // pend[:np] decoded but not yet returned
	nin    int64 // characters consumed, for error offsets
	err    error // sticky: io.EOF once the text has ended
}

// b64Code maps a byte to its sextet, or to b64Pad, b64Space, b64End or
// b64Bad.
var b64Code = func() (t [256]uint8) {
	for i := range t {
		t[i] = b64Bad
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = uint8(i)
	}
	for c := 0; c <= ' '; c++ {
		t[c] = b64Space
	}
	t['='] = b64Pad
	t['<'] = b64End
	return t
}()

// b64D0 to b64D3 give the sextet of a character at the first to fourth
// place of a quantum, shifted into place in a 24-bit group; a byte outside
// the alphabet has bit 24 set.
var b64D0, b64D1, b64D2, b64D3 = b64Place(18), b64Place(12), b64Place(6), b64Place(0)

func b64Place(shift uint) (t [256]uint32) {
	for c, v := range b64Code {
		if v < 64 {
			t[c] = uint32(v) << shift
		} else {
			t[c] = 1 << 24
		}
	}
	return t
}

const (
	b64Pad   = 0x40
	b64Space = 0x80
	b64End   = 0xC0
	b64Bad   = 0xFF
)

// Read implements io.Reader.
func (s *b64Stream) Read(p []byte) (int, error) {
	n := 0
	if s.np > 0 {
		n = copy(p, s.pend[:s.np])
		s.np = copy(s.pend[:], s.pend[n:s.np])
		if s.np > 0 {
			return n, nil
		}
	}
	if s.err != nil {
		return n, s.err
	}
	lx := s.lx
	buf, i, end := lx.buf, lx.pos, lx.end
	for n < len(p) {
		if s.nq == 0 && s.pad == 0 && !s.closed {
			// eight characters at a time: each table gives a character's
			// sextet already in place, or a bit above the 24 data bits
			for i+8 <= end && n+8 <= len(p) {
				b := buf[i : i+8 : i+8]
				hi := b64D0[b[0]] | b64D1[b[1]] | b64D2[b[2]] | b64D3[b[3]]
				lo := b64D0[b[4]] | b64D1[b[5]] | b64D2[b[6]] | b64D3[b[7]]
				if (hi|lo)>>24 != 0 {
					if b[0] == '\n' {
						// the end of a line, at the end of a quantum
						i++
						continue
					}
					break
				}
				binary.BigEndian.PutUint64(p[n:], uint64(hi)<<40|uint64(lo)<<16)
				n += 6
				i += 8
			}
			if i+4 <= end && n+4 <= len(p) {
				x := b64D0[buf[i]] | b64D1[buf[i+1]] | b64D2[buf[i+2]] | b64D3[buf[i+3]]
				if x>>24 == 0 {
					binary.BigEndian.PutUint32(p[n:], x<<8)
					n += 3
					i += 4
					continue
				}
			}
		}
		if end-i < 8 && !lx.eof {
			// bring more text into the buffer, keeping what is left
			s.nin += int64(i - lx.pos)
			lx.pos = i
			lx.fill(i)
			buf, i, end = lx.buf, lx.pos, lx.end
			if end-i >= 8 || lx.eof {
				continue
			}
		}
		if i >= end {
			s.nin += int64(i - lx.pos)
			lx.pos = i
			if err := lx.readErr(); err != nil {
				s.err = err
			} else {
				s.err = io.ErrUnexpectedEOF
			}
			return n, s.err
		}
		// one character
		c := b64Code[buf[i]]
		switch {
		case c < 64:
			if s.pad > 0 || s.closed {
				return n, s.fail(i)
			}
			s.q |= uint32(c) << (26 - 6*s.nq)
			s.nq++
			i++
			if s.nq == 4 {
				n = s.emit(p, n, 3)
			}
		case c == b64Space:
			i++
		case c == b64Pad:
			if s.closed || s.nq+s.pad < 2 {
				return n, s.fail(i)
			}
			s.pad++
			i++
			if s.nq+s.pad == 4 {
				n = s.emit(p, n, s.nq-1)
			}
		case c == b64End:
			s.nin += int64(i - lx.pos)
			lx.pos = i
			switch {
			case s.pad > 0 && s.nq > 0:
				// '=' with the quantum not yet complete
				return n, s.fail(i)
			case s.nq == 1:
				return n, s.fail(i)
			case s.nq > 1:
				// an unpadded final group
				n = s.emit(p, n, s.nq-1)
			}
			s.err = io.EOF
			if n > 0 || s.np > 0 {
				return n, nil
			}
			return 0, io.EOF
		default:
			return n, s.fail(i)
		}
	}
	s.nin += int64(i - lx.pos)
	lx.pos = i
	return n, nil
}

// emit writes the k bytes of the quantum in q to p[n:], keeping in pend
// what does not fit, and starts a new quantum. It returns the new n.
func (s *b64Stream) emit(p []byte, n, k int) int {
	var out [4]byte
	binary.BigEndian.PutUint32(out[:], s.q)
	m := copy(p[n:], out[:k])
	s.np = copy(s.pend[:], out[m:k])
	s.q, s.nq = 0, 0
	if s.pad > 0 {
		// padded: the quantum closes the text
		s.closed, s.pad = true, 0
	}
	return n + m
}

// fail records bad base64 at buf[i].
func (s *b64Stream) fail(i int) error {
	s.nin += int64(i - s.lx.pos)
	s.lx.pos = i
	s.err = base64.CorruptInputError(s.nin)
	return s.err
}
