package votable

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// A hand-written, pull XML tokenizer over its own buffer. It knows just
// enough XML for VOTable: elements, attributes, text with the predefined and
// character entities, CDATA, comments, processing instructions and a
// DOCTYPE (skipped: no DTD is ever fetched or interpreted). Names keep their
// local part only, so any prefix and any namespace is accepted.

type tokKind uint8

const (
	tokNone tokKind = iota
	tokStart
	tokEnd
	tokText
	tokEOF
)

type attr struct {
	name  []byte // full name, e.g. "xmlns:xsi"
	value []byte
}

const (
	minBuf = 64 << 10
	// maxToken bounds one tag or one run of text held in memory.
	maxToken = 256 << 20
)

type lexer struct {
	rd   io.Reader
	buf  []byte
	pos  int
	end  int
	eof  bool
	rerr error

	// line accounting: newlines before buf[lnPos] have been counted.
	base    int64 // absolute offset of buf[0]
	lnPos   int
	line    int
	lineOff int64 // absolute offset of the start of the current line

	kind      tokKind
	name      []byte // local name
	full      []byte // qualified name
	attrs     []attr
	selfClose bool
	pendEnd   bool // a self-closing start was returned; its end is next
	text      []byte
	tokStart  int64 // absolute offset of the token start
	scratch   []byte
	abuf      []byte

	warn func(code WarningCode, off int64, msg string)

	encoding string // from the XML declaration, lower case
}

// declaredEncoding returns the encoding pseudo-attribute of an XML
// declaration, lower-cased, or "".
func declaredEncoding(decl []byte) string {
	if !bytes.HasPrefix(decl, []byte("<?xml")) {
		return ""
	}
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n=")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	j := bytes.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return ""
	}
	return string(bytes.ToLower(rest[1 : 1+j]))
}

func newLexer(r io.Reader) *lexer {
	return &lexer{rd: r, buf: make([]byte, minBuf), line: 1}
}

// lineCol returns the line and column (from 1) of an absolute offset that
// is still in the buffer or after the counted part.
func (l *lexer) lineCol(off int64) (int, int) {
	p := int(off - l.base)
	if p < 0 {
		return l.line, 1
	}
	if p > l.end {
		p = l.end
	}
	if p >= l.lnPos {
		seg := l.buf[l.lnPos:p]
		if n := bytes.Count(seg, nl); n > 0 {
			l.line += n
			l.lineOff = l.base + int64(l.lnPos+bytes.LastIndexByte(seg, '\n')+1)
		}
		l.lnPos = p
		return l.line, int(off-l.lineOff) + 1
	}
	// behind the counted position: count back
	seg := l.buf[p:l.lnPos]
	line := l.line - bytes.Count(seg, nl)
	i := bytes.LastIndexByte(l.buf[:p], '\n')
	col := p - i
	if i < 0 && l.base > 0 {
		col = int(off-l.lineOff) + 1
	}
	return line, max(col, 1)
}

var nl = []byte{'\n'}

// fill reads more input, keeping buf[keep:]. It returns the number of bytes
// the data moved left by (so callers can adjust indexes), and false at the
// end of input.
func (l *lexer) fill(keep int) (int, bool) {
	if l.eof {
		return 0, false
	}
	shift := 0
	if keep > 0 {
		l.lineCol(l.base + int64(keep)) // count lines in what is dropped
		copy(l.buf, l.buf[keep:l.end])
		l.end -= keep
		l.pos -= keep
		l.lnPos -= keep
		l.base += int64(keep)
		shift = keep
	}
	if l.end == len(l.buf) {
		if len(l.buf) >= maxToken {
			l.rerr = fmt.Errorf("a single tag or text run is longer than %d MiB", maxToken>>20)
			l.eof = true
			return shift, false
		}
		nb := make([]byte, 2*len(l.buf))
		copy(nb, l.buf[:l.end])
		l.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := l.rd.Read(l.buf[l.end:])
		l.end += n
		if err != nil {
			l.eof = true
			if err != io.EOF {
				l.rerr = err
			}
			return shift, n > 0
		}
		if n > 0 {
			return shift, true
		}
	}
	l.eof = true
	l.rerr = io.ErrNoProgress
	return shift, false
}

// growTo makes the buffer at least n bytes long.
func (l *lexer) growTo(n int) {
	if len(l.buf) < n {
		nb := make([]byte, n)
		copy(nb, l.buf[:l.end])
		l.buf = nb
	}
}

func (l *lexer) errAt(off int64, format string, a ...any) error {
	line, col := l.lineCol(off)
	return &Error{Line: line, Col: col, Table: -1, Row: -1, Msg: fmt.Sprintf(format, a...)}
}

func (l *lexer) readErr() error {
	if l.rerr != nil {
		if errors.Is(l.rerr, io.ErrNoProgress) {
			return l.errAt(l.base+int64(l.end), "reading: %v", l.rerr)
		}
		line, col := l.lineCol(l.base + int64(l.end))
		return &Error{Line: line, Col: col, Table: -1, Row: -1, Msg: "reading input", Err: l.rerr}
	}
	return nil
}

// next reads the next token.
func (l *lexer) next() (tokKind, error) {
	if l.pendEnd {
		l.pendEnd = false
		l.kind = tokEnd
		return tokEnd, nil
	}
	for {
		if l.pos >= l.end {
			if _, ok := l.fill(l.pos); !ok {
				if err := l.readErr(); err != nil {
					return tokNone, err
				}
				l.kind = tokEOF
				return tokEOF, nil
			}
		}
		if l.buf[l.pos] != '<' {
			return l.readText()
		}
		k, again, err := l.readMarkup()
		if err != nil {
			return tokNone, err
		}
		if again {
			continue
		}
		return k, nil
	}
}

// readText reads character data up to the next '<'.
func (l *lexer) readText() (tokKind, error) {
	start := l.pos
	l.tokStart = l.base + int64(start)
	for {
		i := bytes.IndexByte(l.buf[l.pos:l.end], '<')
		if i >= 0 {
			l.pos += i
			break
		}
		l.pos = l.end
		shift, ok := l.fill(start)
		start -= shift
		if !ok {
			if err := l.readErr(); err != nil {
				return tokNone, err
			}
			break
		}
	}
	raw := l.buf[start:l.pos]
	l.kind = tokText
	if bytes.IndexByte(raw, '&') < 0 {
		l.text = raw
		return tokText, nil
	}
	l.scratch = l.decodeEntities(l.scratch[:0], raw, l.tokStart)
	l.text = l.scratch
	return tokText, nil
}

// decodeEntities appends raw to dst with entity references replaced.
func (l *lexer) decodeEntities(dst, raw []byte, off int64) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 || j > 12 {
			l.warnf(WarnUnknownEntity, off, "bare '&' kept as is")
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		ent := raw[1:j]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ent) > 1 && ent[0] == '#' {
				var n uint64
				var err error
				if ent[1] == 'x' || ent[1] == 'X' {
					n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
				} else {
					n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
				}
				if err == nil && n <= utf8.MaxRune {
					dst = utf8.AppendRune(dst, rune(n))
					break
				}
			}
			l.warnf(WarnUnknownEntity, off, "unknown entity &%s; kept as is", ent)
			dst = append(dst, raw[:j+1]...)
		}
		raw = raw[j+1:]
	}
}

func (l *lexer) warnf(code WarningCode, off int64, format string, a ...any) {
	if l.warn != nil {
		l.warn(code, off, fmt.Sprintf(format, a...))
	}
}

// ensure makes n bytes from l.pos available; returns false at EOF.
func (l *lexer) ensure(n int) bool {
	for l.end-l.pos < n {
		if _, ok := l.fill(l.pos); !ok {
			return false
		}
	}
	return true
}

// skipPast moves past the next occurrence of delim (from l.pos+from).
func (l *lexer) skipPast(delim []byte, from int, what string) error {
	start := l.pos
	search := l.pos + from
	for {
		i := bytes.Index(l.buf[search:l.end], delim)
		if i >= 0 {
			l.pos = search + i + len(delim)
			return nil
		}
		search = max(l.end-len(delim)+1, search)
		shift, ok := l.fill(start)
		start -= shift
		search -= shift
		l.pos = start
		if !ok {
			if err := l.readErr(); err != nil {
				return err
			}
			return l.errAt(l.base+int64(start), "unterminated %s", what)
		}
	}
}

// readMarkup handles '<...'. again is true for markup that produces no
// token (comments, PIs, DOCTYPE).
func (l *lexer) readMarkup() (tokKind, bool, error) {
	l.tokStart = l.base + int64(l.pos)
	if !l.ensure(2) {
		return tokNone, false, l.errAt(l.tokStart, "document ends inside a tag")
	}
	switch l.buf[l.pos+1] {
	case '?':
		err := l.skipPast([]byte("?>"), 2, "processing instruction")
		if err == nil && l.tokStart <= 3 && l.encoding == "" {
			// the XML declaration: note the declared encoding
			l.encoding = declaredEncoding(l.buf[int(l.tokStart-l.base):l.pos])
		}
		return tokNone, true, err
	case '!':
		l.ensure(12) // the prefixes below, and the 12 bytes an error quotes
		rest := l.buf[l.pos:l.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			return tokNone, true, l.skipPast([]byte("-->"), 4, "comment")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if err := l.skipPast([]byte("]]>"), 9, "CDATA section"); err != nil {
				return tokNone, false, err
			}
			end := l.pos - 3
			begin := int(l.tokStart-l.base) + 9
			l.text = l.buf[begin:end]
			l.kind = tokText
			return tokText, false, nil
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
			return tokNone, true, l.skipDoctype()
		}
		return tokNone, false, l.errAt(l.tokStart, "unexpected markup %q", firstN(rest, 12))
	}
	return l.readTag()
}

func firstN(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func (l *lexer) skipDoctype() error {
	start := l.pos
	i := l.pos + 9
	depth := 0
	var quote byte
	for {
		for ; i < l.end; i++ {
			c := l.buf[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[':
				depth++
			case c == ']':
				depth--
			case c == '>' && depth <= 0:
				l.pos = i + 1
				return nil
			}
		}
		shift, ok := l.fill(start)
		start -= shift
		i -= shift
		if !ok {
			return l.errAt(l.base+int64(start), "unterminated DOCTYPE")
		}
	}
}

func isSpace(c byte) bool {
	return c <= ' ' && uint64(1)<<c&(1<<' '|1<<'\n'|1<<'\t'|1<<'\r') != 0
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '>' || c == '/' || c == '='
}

// readTag reads a start or end tag at l.pos. The whole tag is brought into
// the buffer first (quote-aware search for '>'), then parsed.
func (l *lexer) readTag() (tokKind, bool, error) {
	start := l.pos
	i := l.pos + 1
	var quote byte
	for {
		found := false
		for ; i < l.end; i++ {
			c := l.buf[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				found = true
				break
			} else if c == '<' {
				return tokNone, false, l.errAt(l.base+int64(i), "'<' inside a tag")
			}
		}
		if found {
			break
		}
		shift, ok := l.fill(start)
		start -= shift
		i -= shift
		l.pos = start
		if !ok {
			if err := l.readErr(); err != nil {
				return tokNone, false, err
			}
			return tokNone, false, l.errAt(l.base+int64(start), "document ends inside a tag")
		}
	}
	tag := l.buf[start+1 : i] // without '<' and '>'
	l.pos = i + 1
	if len(tag) > 0 && tag[0] == '/' {
		name := tag[1:]
		for len(name) > 0 && isSpace(name[len(name)-1]) {
			name = name[:len(name)-1]
		}
		if len(name) == 0 {
			return tokNone, false, l.errAt(l.tokStart, "end tag without a name")
		}
		l.setName(name)
		l.kind = tokEnd
		return tokEnd, false, nil
	}
	l.selfClose = false
	if len(tag) > 0 && tag[len(tag)-1] == '/' {
		l.selfClose = true
		tag = tag[:len(tag)-1]
	}
	j := 0
	for j < len(tag) && !isNameEnd(tag[j]) {
		j++
	}
	if j == 0 {
		return tokNone, false, l.errAt(l.tokStart, "tag without a name")
	}
	l.setName(tag[:j])
	l.attrs = l.attrs[:0]
	l.abuf = l.abuf[:0]
	rest := tag[j:]
	for {
		for len(rest) > 0 && isSpace(rest[0]) {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			break
		}
		k := 0
		for k < len(rest) && !isNameEnd(rest[k]) {
			k++
		}
		if k == 0 {
			return tokNone, false, l.errAt(l.tokStart, "malformed attribute in <%s>", l.full)
		}
		an := rest[:k]
		rest = rest[k:]
		for len(rest) > 0 && isSpace(rest[0]) {
			rest = rest[1:]
		}
		if len(rest) == 0 || rest[0] != '=' {
			return tokNone, false, l.errAt(l.tokStart, "attribute %s of <%s> has no value", an, l.full)
		}
		rest = rest[1:]
		for len(rest) > 0 && isSpace(rest[0]) {
			rest = rest[1:]
		}
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return tokNone, false, l.errAt(l.tokStart, "attribute %s of <%s> is not quoted", an, l.full)
		}
		q := rest[0]
		e := bytes.IndexByte(rest[1:], q)
		if e < 0 {
			return tokNone, false, l.errAt(l.tokStart, "unterminated attribute %s of <%s>", an, l.full)
		}
		v := rest[1 : 1+e]
		rest = rest[2+e:]
		if bytes.IndexByte(v, '&') >= 0 {
			v = l.decodeEntities(nil, v, l.tokStart)
		}
		l.attrs = append(l.attrs, attr{name: an, value: v})
	}
	l.kind = tokStart
	if l.selfClose {
		l.pendEnd = true
	}
	return tokStart, false, nil
}

func (l *lexer) setName(full []byte) {
	l.full = full
	if i := bytes.IndexByte(full, ':'); i >= 0 {
		l.name = full[i+1:]
	} else {
		l.name = full
	}
}

// attr returns the value of the attribute with the given local name.
func (l *lexer) attr(name string) (string, bool) {
	for _, a := range l.attrs {
		n := a.name
		if i := bytes.IndexByte(n, ':'); i >= 0 {
			if string(n[:i]) == "xmlns" {
				continue
			}
			n = n[i+1:]
		}
		if string(n) == name {
			return string(a.value), true
		}
	}
	return "", false
}

func (l *lexer) attrOr(name string) string {
	v, _ := l.attr(name)
	return v
}

// skipToLiteral skips white space in the buffer and, if lit follows
// entirely within the buffer, consumes it and returns its offset. It never
// reads input: on any doubt it returns false and consumes nothing.
func (l *lexer) skipToLiteral(lit string) (int64, bool) {
	if l.pendEnd {
		return 0, false
	}
	p := l.pos
	for p < l.end && isSpace(l.buf[p]) {
		p++
	}
	if l.end-p < len(lit) || string(l.buf[p:p+len(lit)]) != lit {
		return 0, false
	}
	l.pos = p + len(lit)
	return l.base + int64(p), true
}

// fastTD reads "<TD>text</TD>" or "<TD/>" (after optional white space)
// when it lies entirely in the buffer and the text holds no markup or
// entity. The text is valid until the next read.
func (l *lexer) fastTD() ([]byte, int64, bool) {
	if l.pendEnd {
		return nil, 0, false
	}
	p := l.pos
	for p < l.end && isSpace(l.buf[p]) {
		p++
	}
	if l.end-p < 5 || l.buf[p] != '<' || l.buf[p+1] != 'T' || l.buf[p+2] != 'D' {
		return nil, 0, false
	}
	switch {
	case l.buf[p+3] == '/' && l.buf[p+4] == '>':
		l.pos = p + 5
		return l.buf[p:p], l.base + int64(p), true
	case l.buf[p+3] != '>':
		return nil, 0, false
	}
	q := p + 4
	// one pass for the end of the text, refusing entities (cells are
	// short: a plain loop beats two calls to bytes.IndexByte)
	r := q
	buf := l.buf[:l.end]
	for ; r < len(buf); r++ {
		if c := buf[r]; c == '<' {
			break
		} else if c == '&' {
			return nil, 0, false
		}
	}
	if l.end-r < 5 || string(l.buf[r:r+5]) != "</TD>" {
		return nil, 0, false
	}
	text := l.buf[q:r]
	l.pos = r + 5
	return text, l.base + int64(p), true
}
