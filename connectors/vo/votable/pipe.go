package votable

import "io"

// pipe reads a byte stream in its own goroutine, a few chunks ahead of the
// consumer, so that base64 decoding (and the scanning of the document text
// it needs) runs beside row decoding. Memory stays bounded: pipeBufs
// buffers of binBuf bytes circulate between the two goroutines.
//
// While a pipe runs, its goroutine owns whatever src reads (for an inline
// STREAM, the Reader's lexer): the Reader must stop it (stop waits for the
// goroutine to end) before touching the lexer again, except after the
// consumer has seen the end of the stream, which the goroutine reports as
// its last act.
type pipe struct {
	full  chan []byte // chunks read, in order; closed at the end
	empty chan []byte // buffers handed back
	quit  chan struct{}
	done  chan struct{} // closed when the goroutine has returned
	err   error         // why the stream ended; read after full is closed
	cur   []byte        // unread part of the current chunk
	last  []byte        // the current chunk's buffer, to hand back
	ended bool
}

const pipeBufs = 3

// newPipe starts reading src in chunks of size bytes (each chunk but the
// last is full).
func newPipe(src io.Reader, size int) *pipe {
	p := &pipe{full: make(chan []byte, pipeBufs), empty: make(chan []byte, pipeBufs),
		quit: make(chan struct{}), done: make(chan struct{})}
	for range pipeBufs {
		p.empty <- make([]byte, size)
	}
	go p.run(src)
	return p
}

func (p *pipe) run(src io.Reader) {
	defer close(p.done)
	defer close(p.full)
	for {
		var buf []byte
		select {
		case buf = <-p.empty:
		case <-p.quit:
			return
		}
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var m int
			m, err = src.Read(buf[n:])
			n += m
			if m == 0 && err == nil {
				err = io.ErrNoProgress // src returns nothing and no error
			}
		}
		if n > 0 {
			select {
			case p.full <- buf[:n]:
			case <-p.quit:
				return
			}
		}
		if err != nil {
			p.err = err
			return
		}
	}
}

// Read implements io.Reader for the consumer.
func (p *pipe) Read(b []byte) (int, error) {
	if len(p.cur) == 0 {
		c, err := p.next()
		if len(c) == 0 {
			return 0, err
		}
		p.cur = c
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// next returns the unread part of the current chunk, or the next chunk,
// to be read in place: it stays valid until the next call to next or Read.
// At the end of the stream it returns why it ended.
func (p *pipe) next() ([]byte, error) {
	if len(p.cur) > 0 {
		c := p.cur
		p.cur = nil
		return c, nil
	}
	if p.ended {
		return nil, p.err
	}
	if p.last != nil {
		p.empty <- p.last[:cap(p.last)] // never blocks: pipeBufs buffers in all
		p.last = nil
	}
	buf, ok := <-p.full
	if !ok {
		p.ended = true
		return nil, p.err
	}
	p.last = buf
	return buf, nil
}

// stop ends the goroutine and waits for it. It may be called more than
// once.
func (p *pipe) stop() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	<-p.done
}
