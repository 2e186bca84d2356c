package votable

import (
	"context"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
)

// Options configure a Reader. The zero value is lenient and follows no
// href.
type Options struct {
	// Strict turns every warning into an error.
	Strict bool
	// HrefDir, when set, lets STREAM href point to files: relative paths are
	// resolved against HrefDir and must stay inside it, as must file: URLs
	// and absolute paths.
	HrefDir string
	// OpenHref, when set, opens any other STREAM href (for example http);
	// without it such a reference is an error wrapping ErrUnsupported.
	OpenHref func(ctx context.Context, href string) (io.ReadCloser, error)
	// Context, when set, cancels reading between rows.
	Context context.Context
	// MaxWarnings bounds how many warnings are kept (default 1000); more are
	// counted but not stored.
	MaxWarnings int
}

// Document holds the document-level metadata seen so far.
type Document struct {
	Version     string
	Namespace   string
	Description string
	Infos       []Info
	Params      []Param
	Groups      []Group
	CoordSys    []CoordSys
	TimeSys     []TimeSys
	Resources   []*Resource
}

type elemKind uint8

const (
	eVOTABLE elemKind = iota + 1
	eRESOURCE
	eTABLE
	eDATA
	eDEFINITIONS
	eROWS // TABLEDATA, BINARY, BINARY2
)

type frame struct {
	kind elemKind
	res  *Resource
	tab  *Table
}

// Reader reads a VOTable document as a stream. Use NextTable to move to the
// next TABLE, then Rows (or Next and Row) to read its rows.
type Reader struct {
	opts     Options
	ctx      context.Context
	lx       *lexer
	doc      Document
	stack    []frame
	infos    []Info
	warnings []Warning
	nwarn    int
	err      error
	pending  error // from a lexer warning in strict mode

	sawRoot  bool
	table    *Table
	returned bool // current table handed to the caller
	ntables  int
	inRows   bool
	rowsDone bool
	row      Row
	ownChars []byte // the row's arena while row.chars is borrowed
	borrowed bool
	rowN     int64
	td       []byte
	td2      []byte // an array cell's text with commas replaced
	bin      *binDecoder
	tdp      *tdPipe // scans TABLEDATA rows ahead (see tdpipe.go)
	tdWait   int     // rows to read without tdp before trying it again
	tdPos    int32   // the current cell's <TD in tdp's batch
	tdText   int32   // the current cell's text in tdp's batch
	tdASCII  bool    // the current cell's text is ASCII
	noTDPipe bool    // tests: read TABLEDATA without tdp
	noGroups bool    // tests: decode fixed-size BINARY rows field by field
	fits     *fitsDecoder
	closer   io.Closer
	eof      bool

	tablesByID map[string]*Table
	valuesByID map[string]*Values
	groupDepth int
	lat1       bool // the document declares ISO-8859-1
}

const maxGroupDepth = 256

// NewReader returns a Reader for the document read from r. It reads nothing
// until NextTable is called.
func NewReader(r io.Reader, opts Options) *Reader {
	if opts.MaxWarnings == 0 {
		opts.MaxWarnings = 1000
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	rd := &Reader{opts: opts, ctx: ctx, lx: newLexer(r)}
	rd.lx.warn = func(code WarningCode, off int64, msg string) {
		line, col := rd.lx.lineCol(off)
		if err := rd.addWarning(Warning{Code: code, Line: line, Col: col, Table: -1, Row: -1, Msg: msg}); err != nil && rd.pending == nil {
			rd.pending = err
		}
	}
	return rd
}

// Document returns the document-level metadata read so far.
func (r *Reader) Document() *Document { return &r.doc }

// Infos returns every INFO element read so far, in document order, wherever
// it appeared.
func (r *Reader) Infos() []Info { return r.infos }

// QueryStatus returns the QUERY_STATUS INFO read so far: an ERROR wherever
// it is, else the last one; ok is false when there is none. Call Close
// first to be sure to have seen one written after the rows.
func (r *Reader) QueryStatus() (Info, bool) {
	var last Info
	found := false
	for _, in := range r.infos {
		if in.Name != "QUERY_STATUS" {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(in.Value), "ERROR") {
			return in, true
		}
		last, found = in, true
	}
	return last, found
}

// Overflow reports whether a QUERY_STATUS of OVERFLOW was read: the service
// truncated the result at its row limit.
func (r *Reader) Overflow() bool {
	for _, in := range r.infos {
		if in.Name == "QUERY_STATUS" && strings.EqualFold(strings.TrimSpace(in.Value), "OVERFLOW") {
			return true
		}
	}
	return false
}

// Warnings returns the warnings recorded so far (at most
// Options.MaxWarnings of them).
func (r *Reader) Warnings() []Warning { return r.warnings }

// WarningCount returns how many warnings were raised, stored or not.
func (r *Reader) WarningCount() int { return r.nwarn }

func (r *Reader) addWarning(w Warning) error {
	r.nwarn++
	if r.opts.Strict {
		return &Error{Line: w.Line, Col: w.Col, Table: w.Table, Row: w.Row, Field: w.Field, Code: w.Code, Msg: w.Msg}
	}
	if len(r.warnings) < r.opts.MaxWarnings {
		r.warnings = append(r.warnings, w)
	}
	return nil
}

// here returns the line and column of the current token, or of the
// STREAM start while a read-ahead goroutine owns the lexer.
func (r *Reader) here() (int, int) {
	if r.bin != nil && r.bin.pipe != nil {
		return r.bin.line, r.bin.col
	}
	if r.tdp != nil {
		// the lexer belongs to the scanning goroutine
		if r.tdp.cur == nil {
			return 0, 0
		}
		return r.tdp.cur.pos(int(r.tdPos))
	}
	return r.lx.lineCol(r.lx.tokStart)
}

// warnHere records a warning at the current token.
func (r *Reader) warnHere(code WarningCode, field string, format string, a ...any) error {
	line, col := r.here()
	tab, row := -1, int64(-1)
	if r.table != nil {
		tab = r.table.Index
		if r.inRows {
			row = r.rowN
		}
	}
	return r.addWarning(Warning{Code: code, Line: line, Col: col, Table: tab, Row: row, Field: field, Msg: fmt.Sprintf(format, a...)})
}

// errHere builds an error at the current token.
func (r *Reader) errHere(field string, err error, format string, a ...any) error {
	line, col := r.here()
	tab, row := -1, int64(-1)
	if r.table != nil {
		tab = r.table.Index
		if r.inRows {
			row = r.rowN
		}
	}
	return &Error{Line: line, Col: col, Table: tab, Row: row, Field: field, Msg: fmt.Sprintf(format, a...), Err: err}
}

func (r *Reader) fail(err error) error {
	if r.err == nil {
		r.err = err
	}
	return r.err
}

// next reads a token, surfacing strict-mode lexer warnings.
func (r *Reader) next() (tokKind, error) {
	k, err := r.lx.next()
	if err == nil && r.pending != nil {
		err = r.pending
	}
	return k, err
}

func (r *Reader) top() *frame {
	if len(r.stack) == 0 {
		return nil
	}
	return &r.stack[len(r.stack)-1]
}

func (r *Reader) curResource() *Resource {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].res != nil {
			return r.stack[i].res
		}
	}
	return nil
}

// NextTable moves to the next TABLE of the document and returns its
// metadata, skipping any rows of the current table that were not read. At
// the end of the document it returns io.EOF.
func (r *Reader) NextTable() (*Table, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.inRows {
		for r.Next() {
		}
		if r.err != nil {
			return nil, r.err
		}
	}
	t, err := r.advance(true)
	if err != nil {
		return nil, r.fail(err)
	}
	if t == nil {
		return nil, io.EOF
	}
	return t, nil
}

// Close reads the rest of the document (so that INFO elements after the
// rows, such as a QUERY_STATUS of OVERFLOW, are seen) and releases any file
// opened for an href and the goroutine that reads rows ahead (see the
// package documentation). It returns the first error met. A Reader left in
// the middle of a table without Close keeps that goroutine (blocked, with
// its buffers) alive.
func (r *Reader) Close() error {
	for r.err == nil && !r.eof {
		if _, err := r.NextTable(); err != nil {
			break
		}
	}
	r.bin.stopPipe()
	r.stopTD()
	if r.closer != nil {
		r.closer.Close()
		r.closer = nil
	}
	return r.err
}

// advance reads metadata until the rows of a table begin, a table without
// data ends, or the document ends (nil table).
func (r *Reader) advance(stopAtTable bool) (*Table, error) {
	lx := r.lx
	for {
		k, err := r.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokEOF:
			r.eof = true
			if !r.sawRoot {
				return nil, &Error{Line: lx.line, Table: -1, Row: -1, Msg: "not a VOTable: no VOTABLE element"}
			}
			if len(r.stack) > 0 {
				line, col := lx.lineCol(lx.base + int64(lx.end))
				return nil, &Error{Line: line, Col: col, Table: -1, Row: -1, Msg: fmt.Sprintf("document ends inside %s", r.openNames())}
			}
			return nil, nil
		case tokText:
			if !r.sawRoot {
				txt := trimSpace(lx.text)
				txt = []byte(strings.TrimPrefix(string(txt), "\uFEFF"))
				if len(txt) > 0 {
					return nil, r.errHere("", nil, "not a VOTable: text %q before the root element", truncate(txt, 20))
				}
			}
			continue
		case tokEnd:
			if len(r.stack) == 0 {
				return nil, r.errHere("", nil, "unexpected end tag </%s>", lx.full)
			}
			fr := r.stack[len(r.stack)-1]
			r.stack = r.stack[:len(r.stack)-1]
			if fr.kind == eTABLE && !r.returned {
				r.returned = true
				r.inRows, r.rowsDone = false, true
				return fr.tab, nil
			}
			continue
		}
		// start tag
		name := string(lx.name)
		if !r.sawRoot {
			if name != "VOTABLE" {
				return nil, r.errHere("", nil, "not a VOTable: the root element is <%s>", lx.full)
			}
			r.sawRoot = true
			if err := r.startVOTable(); err != nil {
				return nil, err
			}
			continue
		}
		if len(r.stack) == 0 {
			return nil, r.errHere("", nil, "element <%s> after the end of VOTABLE", lx.full)
		}
		t, err := r.startElement(name)
		if err != nil {
			return nil, err
		}
		if t != nil {
			return t, nil
		}
	}
}

func (r *Reader) openNames() string {
	var names []string
	for _, f := range r.stack {
		names = append(names, [...]string{"", "VOTABLE", "RESOURCE", "TABLE", "DATA", "DEFINITIONS", "the rows"}[f.kind])
	}
	return strings.Join(names, " > ")
}

func (r *Reader) startVOTable() error {
	lx := r.lx
	r.doc.Version = lx.attrOr("version")
	r.lat1 = isLatin1Encoding(lx.encoding)
	ns, hasNS := "", false
	for _, a := range lx.attrs {
		n := string(a.name)
		if n == "xmlns" || (strings.HasPrefix(n, "xmlns:") && strings.HasSuffix(string(lx.full), ":VOTABLE") && n == "xmlns:"+strings.TrimSuffix(string(lx.full), ":VOTABLE")) {
			ns, hasNS = string(a.value), true
		}
	}
	r.doc.Namespace = ns
	switch v := r.doc.Version; v {
	case "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6":
	default:
		if err := r.warnHere(WarnVersion, "", "VOTABLE version %q is not one of 1.0 to 1.5", v); err != nil {
			return err
		}
	}
	if !hasNS {
		if r.doc.Version != "1.0" && r.doc.Version != "" {
			if err := r.warnHere(WarnNamespace, "", "VOTABLE is in no namespace"); err != nil {
				return err
			}
		}
	} else if !strings.HasPrefix(ns, "http://www.ivoa.net/xml/VOTable/") {
		if err := r.warnHere(WarnNamespace, "", "VOTABLE is in the namespace %q, not http://www.ivoa.net/xml/VOTable/...", ns); err != nil {
			return err
		}
	}
	if r.lx.selfClose {
		r.lx.pendEnd = false
		return nil
	}
	r.stack = append(r.stack, frame{kind: eVOTABLE})
	return nil
}

// startElement handles a start tag inside VOTABLE. It returns a table when
// its rows begin.
func (r *Reader) startElement(name string) (*Table, error) {
	lx := r.lx
	top := r.top()
	switch name {
	case "RESOURCE":
		res := &Resource{Name: lx.attrOr("name"), ID: lx.attrOr("ID"), Type: lx.attrOr("type"), Utype: lx.attrOr("utype")}
		if parent := r.curResource(); parent != nil {
			res.Parent = parent
			parent.Resources = append(parent.Resources, res)
		} else {
			r.doc.Resources = append(r.doc.Resources, res)
		}
		r.push(frame{kind: eRESOURCE, res: res})
	case "DEFINITIONS":
		r.push(frame{kind: eDEFINITIONS})
	case "TABLE":
		if top.kind != eRESOURCE {
			return nil, r.errHere("", nil, "<TABLE> must be inside a RESOURCE")
		}
		t := &Table{Name: lx.attrOr("name"), ID: lx.attrOr("ID"), Ref: lx.attrOr("ref"), UCD: lx.attrOr("ucd"), Utype: lx.attrOr("utype"), NRows: -1, Index: r.ntables}
		if s, ok := lx.attr("nrows"); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && n >= 0 {
				t.NRows = n
			}
		}
		r.ntables++
		if t.ID != "" {
			if r.tablesByID == nil {
				r.tablesByID = map[string]*Table{}
			}
			r.tablesByID[t.ID] = t
		}
		t.Resource = r.curResource()
		if t.Resource != nil {
			t.Resource.Tables = append(t.Resource.Tables, t)
		}
		r.table, r.returned, r.inRows, r.rowsDone = t, false, false, false
		r.push(frame{kind: eTABLE, tab: t})
	case "DATA":
		if top.kind != eTABLE {
			return nil, r.errHere("", nil, "<DATA> outside a TABLE")
		}
		r.push(frame{kind: eDATA, tab: top.tab})
	case "TABLEDATA", "BINARY", "BINARY2", "FITS":
		if top.kind != eDATA {
			return nil, r.errHere("", nil, "<%s> outside DATA", name)
		}
		t := top.tab
		r.table = t
		t.Serialization = name
		if err := r.prepareTable(t); err != nil {
			return nil, err
		}
		r.push(frame{kind: eROWS, tab: t})
		r.inRows, r.rowsDone, r.returned, r.rowN = true, false, true, 0
		r.tdWait = 0
		if name == "FITS" {
			if err := r.startFITS(t); err != nil {
				return nil, err
			}
		} else if name != "TABLEDATA" {
			if err := r.startBinary(t, name == "BINARY2"); err != nil {
				return nil, err
			}
		} else if lx.selfClose {
			// <TABLEDATA/>: no rows; the pending end closes the frame.
		}
		return t, nil
	case "FIELD":
		f, err := r.readField()
		if err != nil {
			return nil, err
		}
		if top.kind == eTABLE {
			top.tab.Fields = append(top.tab.Fields, f)
		}
	case "PARAM":
		p, err := r.readParam()
		if err != nil {
			return nil, err
		}
		switch {
		case top.kind == eTABLE:
			top.tab.Params = append(top.tab.Params, p)
		case top.res != nil:
			top.res.Params = append(top.res.Params, p)
		default:
			r.doc.Params = append(r.doc.Params, p)
		}
	case "GROUP":
		g, err := r.readGroup()
		if err != nil {
			return nil, err
		}
		switch {
		case top.kind == eTABLE:
			top.tab.Groups = append(top.tab.Groups, g)
		case top.res != nil:
			top.res.Groups = append(top.res.Groups, g)
		default:
			r.doc.Groups = append(r.doc.Groups, g)
		}
	case "INFO":
		in, err := r.readInfo()
		if err != nil {
			return nil, err
		}
		r.infos = append(r.infos, in)
		switch {
		case top.tab != nil:
			top.tab.Infos = append(top.tab.Infos, in)
		case top.res != nil:
			top.res.Infos = append(top.res.Infos, in)
		default:
			r.doc.Infos = append(r.doc.Infos, in)
		}
	case "COOSYS":
		c := CoordSys{ID: lx.attrOr("ID"), System: lx.attrOr("system"), Equinox: lx.attrOr("equinox"), Epoch: lx.attrOr("epoch"), RefPosition: lx.attrOr("refposition")}
		if err := r.skipSubtree(); err != nil {
			return nil, err
		}
		if res := r.curResource(); res != nil {
			res.CoordSys = append(res.CoordSys, c)
		} else {
			r.doc.CoordSys = append(r.doc.CoordSys, c)
		}
	case "TIMESYS":
		ts := TimeSys{ID: lx.attrOr("ID"), TimeOrigin: lx.attrOr("timeorigin"), TimeScale: lx.attrOr("timescale"), RefPosition: lx.attrOr("refposition")}
		if err := r.skipSubtree(); err != nil {
			return nil, err
		}
		if res := r.curResource(); res != nil {
			res.TimeSys = append(res.TimeSys, ts)
		} else {
			r.doc.TimeSys = append(r.doc.TimeSys, ts)
		}
	case "LINK":
		ln := r.linkAttrs()
		if err := r.skipSubtree(); err != nil {
			return nil, err
		}
		switch {
		case top.tab != nil:
			top.tab.Links = append(top.tab.Links, ln)
		case top.res != nil:
			top.res.Links = append(top.res.Links, ln)
		}
	case "DESCRIPTION":
		text, err := r.readText()
		if err != nil {
			return nil, err
		}
		switch {
		case top.tab != nil:
			top.tab.Description = text
		case top.res != nil:
			top.res.Description = text
		default:
			r.doc.Description = text
		}
	default:
		// Anything else (foreign-namespace annotations such as MIVOT,
		// STREAM outside BINARY, ...) is skipped with its content.
		if err := r.skipSubtree(); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (r *Reader) push(f frame) {
	if r.lx.selfClose {
		// The pending end tag pops it.
	}
	r.stack = append(r.stack, f)
}

// skipSubtree consumes tokens up to the end of the element just started.
func (r *Reader) skipSubtree() error {
	depth := 1
	for depth > 0 {
		k, err := r.next()
		if err != nil {
			return err
		}
		switch k {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		case tokEOF:
			return r.errHere("", nil, "document ends inside an element")
		}
	}
	return nil
}

// readText returns the text of the element just started, ignoring child
// elements.
func (r *Reader) readText() (string, error) {
	var b []byte
	depth := 1
	for depth > 0 {
		k, err := r.next()
		if err != nil {
			return "", err
		}
		switch k {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		case tokText:
			if depth == 1 {
				b = append(b, r.lx.text...)
			}
		case tokEOF:
			return "", r.errHere("", nil, "document ends inside an element")
		}
	}
	if r.latin1() {
		b = appendLatin1(nil, b)
	}
	return strings.TrimSpace(string(b)), nil
}

func (r *Reader) linkAttrs() Link {
	lx := r.lx
	return Link{ID: lx.attrOr("ID"), ContentRole: lx.attrOr("content-role"), ContentType: lx.attrOr("content-type"),
		Title: lx.attrOr("title"), Value: lx.attrOr("value"), Href: lx.attrOr("href"), Action: lx.attrOr("action")}
}

func (r *Reader) readInfo() (Info, error) {
	lx := r.lx
	line, _ := lx.lineCol(lx.tokStart)
	in := Info{Name: lx.attrOr("name"), ID: lx.attrOr("ID"), Value: lx.attrOr("value"), Unit: lx.attrOr("unit"),
		UCD: lx.attrOr("ucd"), Utype: lx.attrOr("utype"), Xtype: lx.attrOr("xtype"), Ref: lx.attrOr("ref"), Line: line}
	text, err := r.readText()
	in.Content = text
	return in, err
}

// fieldAttrs reads the attributes of a FIELD or PARAM start tag.
func (r *Reader) fieldAttrs() Field {
	lx := r.lx
	return Field{Name: lx.attrOr("name"), ID: lx.attrOr("ID"), Datatype: lx.attrOr("datatype"),
		Arraysize: lx.attrOr("arraysize"), Unit: lx.attrOr("unit"), UCD: lx.attrOr("ucd"),
		Utype: lx.attrOr("utype"), Xtype: lx.attrOr("xtype"), Ref: lx.attrOr("ref"),
		Precision: lx.attrOr("precision"), Width: lx.attrOr("width")}
}

func (r *Reader) readField() (Field, error) {
	f := r.fieldAttrs()
	err := r.readFieldChildren(&f)
	return f, err
}

func (r *Reader) readParam() (Param, error) {
	p := Param{Field: r.fieldAttrs(), Value: r.lx.attrOr("value")}
	err := r.readFieldChildren(&p.Field)
	return p, err
}

// readFieldChildren reads DESCRIPTION, VALUES and LINK of a FIELD or PARAM.
func (r *Reader) readFieldChildren(f *Field) error {
	for {
		k, err := r.next()
		if err != nil {
			return err
		}
		switch k {
		case tokEnd:
			return nil
		case tokEOF:
			return r.errHere(f.Key(), nil, "document ends inside FIELD")
		case tokStart:
			switch string(r.lx.name) {
			case "DESCRIPTION":
				d, err := r.readText()
				if err != nil {
					return err
				}
				f.Description = d
			case "LINK":
				f.Links = append(f.Links, r.linkAttrs())
				if err := r.skipSubtree(); err != nil {
					return err
				}
			case "VALUES":
				v, err := r.readValues()
				if err != nil {
					return err
				}
				f.Values = v
				if v.Null != "" {
					f.Null, f.HasNull = v.Null, true
				}
			default:
				if err := r.skipSubtree(); err != nil {
					return err
				}
			}
		}
	}
}

func (r *Reader) readValues() (*Values, error) {
	lx := r.lx
	v := &Values{ID: lx.attrOr("ID"), Null: lx.attrOr("null"), Ref: lx.attrOr("ref")}
	if v.ID != "" {
		if r.valuesByID == nil {
			r.valuesByID = map[string]*Values{}
		}
		if _, dup := r.valuesByID[v.ID]; !dup {
			r.valuesByID[v.ID] = v
		}
	}
	for {
		k, err := r.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokEnd:
			return v, nil
		case tokEOF:
			return nil, r.errHere("", nil, "document ends inside VALUES")
		case tokStart:
			switch string(lx.name) {
			case "MIN":
				v.Min = lx.attrOr("value")
			case "MAX":
				v.Max = lx.attrOr("value")
			case "OPTION":
				v.Options = append(v.Options, Option{Name: lx.attrOr("name"), Value: lx.attrOr("value")})
			}
			if err := r.skipSubtree(); err != nil {
				return nil, err
			}
		}
	}
}

func (r *Reader) readGroup() (Group, error) {
	lx := r.lx
	r.groupDepth++
	defer func() { r.groupDepth-- }()
	if r.groupDepth > maxGroupDepth {
		return Group{}, r.errHere("", nil, "GROUP elements nested more than %d deep", maxGroupDepth)
	}
	g := Group{Name: lx.attrOr("name"), ID: lx.attrOr("ID"), Ref: lx.attrOr("ref"), UCD: lx.attrOr("ucd"), Utype: lx.attrOr("utype")}
	for {
		k, err := r.next()
		if err != nil {
			return g, err
		}
		switch k {
		case tokEnd:
			return g, nil
		case tokEOF:
			return g, r.errHere("", nil, "document ends inside GROUP")
		case tokStart:
			switch string(lx.name) {
			case "DESCRIPTION":
				d, err := r.readText()
				if err != nil {
					return g, err
				}
				g.Description = d
				continue
			case "FIELDref":
				g.FieldRefs = append(g.FieldRefs, lx.attrOr("ref"))
			case "PARAMref":
				g.ParamRefs = append(g.ParamRefs, lx.attrOr("ref"))
			case "PARAM":
				p, err := r.readParam()
				if err != nil {
					return g, err
				}
				g.Params = append(g.Params, p)
				continue
			case "GROUP":
				sub, err := r.readGroup()
				if err != nil {
					return g, err
				}
				g.Groups = append(g.Groups, sub)
				continue
			}
			if err := r.skipSubtree(); err != nil {
				return g, err
			}
		}
	}
}

// prepareTable parses the datatypes and arraysizes of a table's fields
// before its rows are read.
func (r *Reader) prepareTable(t *Table) error {
	if len(t.Fields) == 0 && t.Ref != "" {
		// TABLE ref="...": the fields of the referenced table
		if ref, ok := r.tablesByID[t.Ref]; ok && ref != t {
			t.Fields = append([]Field(nil), ref.Fields...)
		}
	}
	if len(t.Fields) == 0 {
		if err := r.warnHere(WarnNoFields, "", "table %d has data but no FIELD", t.Index); err != nil {
			return err
		}
	}
	for i := range t.Fields {
		if err := r.prepareField(&t.Fields[i]); err != nil {
			return err
		}
	}
	for i, k := range t.Keys() {
		t.Fields[i].key = k
	}
	t.accs = make([]accClass, len(t.Fields))
	t.tdks = make([]tdKind, len(t.Fields))
	for i := range t.Fields {
		t.accs[i] = t.Fields[i].acc
		t.tdks[i] = tdKindOf(&t.Fields[i])
	}
	return nil
}

// resolveValues gives a VALUES ref="..." the content of the VALUES it
// names. A ref to no known VALUES is a warning.
func (r *Reader) resolveValues(f *Field) error {
	v := f.Values
	if v == nil || strings.TrimSpace(v.Ref) == "" {
		return nil
	}
	ref, ok := r.valuesByID[strings.TrimSpace(v.Ref)]
	if !ok || ref == v {
		return r.warnHere(WarnBadRef, f.Key(), "VALUES ref %q names no VALUES element", v.Ref)
	}
	if v.Null == "" {
		v.Null = ref.Null
	}
	if v.Min == "" {
		v.Min = ref.Min
	}
	if v.Max == "" {
		v.Max = ref.Max
	}
	if v.Options == nil {
		v.Options = ref.Options
	}
	if !f.HasNull && v.Null != "" {
		f.Null, f.HasNull = v.Null, true
	}
	return nil
}

// datatypeAliases are datatype names outside the standard that writers
// use for char and unicodeChar.
var datatypeAliases = map[string]Datatype{"string": TypeChar, "unicodeString": TypeUnicodeChar}

func (r *Reader) prepareField(f *Field) error {
	dt, ok := ParseDatatype(strings.TrimSpace(f.Datatype))
	if alias, isAlias := datatypeAliases[strings.TrimSpace(f.Datatype)]; !ok && isAlias {
		// names some writers use for char and unicodeChar
		if err := r.warnHere(WarnDatatype, f.Key(), "datatype %q is not a VOTable datatype; read as %s", f.Datatype, alias); err != nil {
			return err
		}
		dt, ok = alias, true
	}
	if !ok {
		if err := r.warnHere(WarnDatatype, f.Key(), "datatype %q is not a VOTable datatype; read as char", f.Datatype); err != nil {
			return err
		}
		dt = TypeChar
		if f.Arraysize == "" {
			f.Arraysize = "*"
		}
	}
	f.Type = dt
	if err := r.resolveValues(f); err != nil {
		return err
	}
	shape, err := parseArraysize(f.Arraysize)
	if err != nil {
		return r.errHere(f.Key(), err, "bad arraysize")
	}
	f.Shape = shape
	f.acc = f.accessorClass()
	if f.HasNull && (dt.isInt()) {
		if n, ok := parseInt([]byte(strings.TrimSpace(f.Null))); ok {
			f.nullInt, f.hasNullInt = n, true
		}
	}
	if f.HasNull && dt.isFloat() {
		if v, ok := parseFloat([]byte(strings.TrimSpace(f.Null)), 64); ok && !math.IsNaN(v) {
			f.nullFlt, f.hasNullFlt = v, true
		}
	}
	return nil
}

// Next reads the next row of the current table. It returns false at the end
// of the table or on an error (see Err).
func (r *Reader) Next() bool {
	if r.table == nil && r.err == nil && !r.eof {
		// rows asked for before NextTable: move to the first table
		if _, err := r.NextTable(); err != nil {
			return false
		}
	}
	if !r.inRows || r.err != nil {
		return false
	}
	if r.rowN&1023 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.bin.stopPipe()
			r.stopTD()
			r.fail(err)
			return false
		}
	}
	var ok bool
	var err error
	if r.bin != nil {
		ok, err = r.nextBinaryRow()
	} else if r.fits != nil {
		ok, err = r.nextFITSRow()
	} else {
		ok, err = r.nextTabledataRow()
	}
	if err != nil {
		r.bin.stopPipe()
		r.stopTD()
		r.fail(err)
		r.inRows = false
		return false
	}
	if !ok {
		r.inRows, r.rowsDone = false, true
		if t := r.table; t != nil && t.NRows >= 0 && t.NRows != r.rowN {
			if err := r.addWarning(Warning{Code: WarnNRows, Table: t.Index, Row: -1, Msg: fmt.Sprintf("nrows says %d, read %d rows", t.NRows, r.rowN)}); err != nil {
				r.fail(err)
			}
		}
		return false
	}
	r.rowN++
	return true
}

// Table returns the table whose rows are being read (nil before the first
// call to NextTable).
func (r *Reader) Table() *Table { return r.table }

// Row returns the row read by the last successful Next. It is valid until
// the next call to Next.
func (r *Reader) Row() Row { return r.row }

// Err returns the first error met.
func (r *Reader) Err() error { return r.err }

// Rows iterates over the remaining rows of the current table. The Row is
// valid until the next iteration (use Row.Clone to keep it). On an error
// it yields a zero Row with the error and stops.
func (r *Reader) Rows() iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for r.Next() {
			if !yield(r.row, nil) {
				return
			}
		}
		if r.err != nil {
			yield(Row{}, r.err)
		}
	}
}

func (r *Reader) resetRow(t *Table) {
	n := len(t.Fields)
	if cap(r.row.cells) < n {
		r.row.cells = make([]cell, n)
	}
	r.row.cells = r.row.cells[:n]
	r.row.t = t
	r.row.acc = t.accs
	r.row.index = r.rowN
	r.row.ints = r.row.ints[:0]
	r.row.flts = r.row.flts[:0]
	if r.borrowed {
		// the last row's text was read in place (decodeFixedRow)
		r.row.chars, r.ownChars, r.borrowed = r.ownChars, nil, false
	}
	r.row.chars = r.row.chars[:0]
}

// nextTabledataRow reads one TR.
func (r *Reader) nextTabledataRow() (bool, error) {
	lx := r.lx
	t := r.table
	if r.tdp == nil && r.tdWait == 0 && !lx.pendEnd && !r.noTDPipe {
		r.tdp = newTDPipe(lx)
	}
	if p := r.tdp; p != nil {
		if b := p.batch(); b != nil {
			row := b.rows[p.next]
			p.next++
			p.rows++
			return true, r.pipedCells(t, b, row)
		}
		// the goroutine stopped before a row it does not take (or at the
		// end of the rows): the token path below reads it. Try the
		// goroutine again after it, unless it took few rows.
		if p.rows < 64 {
			r.tdWait = 1024
		}
		r.tdp = nil
	} else if r.tdWait > 0 {
		r.tdWait--
	}
	if _, ok := lx.skipToLiteral("<TR>"); ok {
		return r.tabledataCells(t)
	}
	for {
		k, err := r.next()
		if err != nil {
			return false, err
		}
		switch k {
		case tokText:
			continue
		case tokEOF:
			return false, r.errHere("", nil, "document ends inside TABLEDATA")
		case tokEnd:
			// </TABLEDATA>
			r.stack = r.stack[:len(r.stack)-1]
			return false, nil
		}
		if string(lx.name) == "INFO" {
			// misplaced, but a QUERY_STATUS must never be lost
			if err := r.warnHere(WarnMisplaced, "", "INFO inside TABLEDATA"); err != nil {
				return false, err
			}
			in, err := r.readInfo()
			if err != nil {
				return false, err
			}
			r.infos = append(r.infos, in)
			t.Infos = append(t.Infos, in)
			continue
		}
		if string(lx.name) != "TR" {
			if err := r.skipSubtree(); err != nil {
				return false, err
			}
			continue
		}
		break
	}
	return r.tabledataCells(t)
}

// stopTD ends the TABLEDATA scanning goroutine, if any, after an error
// or at Close.
func (r *Reader) stopTD() {
	if r.tdp != nil {
		r.tdp.stop()
		r.tdp = nil
	}
}

// pipedCells decodes a row found by the scanning goroutine, as
// tabledataCells does. The text of char cells is read in place.
func (r *Reader) pipedCells(t *Table, b *tdBatch, row tdRow) error {
	r.resetRow(t)
	if !r.latin1() {
		r.ownChars, r.row.chars, r.borrowed = r.row.chars, b.buf, true
	}
	nf := len(t.Fields)
	cells := b.cells[row.first : row.first+row.n]
	kinds := t.tdks
	for col, c := range cells {
		if col >= nf {
			if col == nf {
				r.tdPos = c.tag()
				if err := r.warnHere(WarnRowCount, "", "row has more cells than the %d fields; extra cells ignored", nf); err != nil {
					return err
				}
			}
			continue
		}
		start, end := c.span()
		text := b.buf[start:end]
		switch kinds[col] {
		case tdkFloat64, tdkFloat32:
			// the common case inline: no white space, a plain decimal
			if len(text) > 0 && !isSpace(text[0]) && !isSpace(text[len(text)-1]) {
				if v, ok := fastFloat(text); ok {
					if kinds[col] == tdkFloat32 {
						v = float64(float32(v))
					}
					r.row.cells[col] = cell{f: v}
					continue
				}
			}
		case tdkChar:
			// ASCII text within the arraysize, read in place
			if c.ascii() && len(text) > 0 && r.borrowed && (len(text) <= t.Fields[col].Shape[0] || t.Fields[col].Shape[0] < 0) {
				r.row.cells[col] = cell{off: start, n: end - start}
				continue
			}
		case tdkInt:
			if v, ok := plainInt(text); ok {
				f := &t.Fields[col]
				if v, ok = intRange(f.Type, v, false); ok {
					r.row.cells[col] = cell{i: v, null: f.hasNullInt && v == f.nullInt}
					continue
				}
			}
		}
		r.tdPos, r.tdText, r.tdASCII = c.tag(), start, c.ascii()
		if err := r.setText(col, text); err != nil {
			return err
		}
	}
	if len(cells) < nf {
		r.tdPos = row.end
		if err := r.warnHere(WarnRowCount, "", "row has %d cells, the table has %d fields; the rest are null", len(cells), nf); err != nil {
			return err
		}
		for col := len(cells); col < nf; col++ {
			r.row.cells[col] = cell{null: true}
		}
	}
	return nil
}

// tabledataCells reads the cells of a TR whose start tag was just read.
func (r *Reader) tabledataCells(t *Table) (bool, error) {
	lx := r.lx
	r.resetRow(t)
	nf := len(t.Fields)
	col := 0
	for {
		if text, start, ok := lx.fastTD(); ok {
			if col < nf {
				lx.tokStart = start
				if err := r.setText(col, text); err != nil {
					return false, err
				}
			} else if col == nf {
				lx.tokStart = start
				if err := r.warnHere(WarnRowCount, "", "row has more cells than the %d fields; extra cells ignored", nf); err != nil {
					return false, err
				}
			}
			col++
			continue
		}
		if col >= nf {
			if _, ok := lx.skipToLiteral("</TR>"); ok {
				return true, nil
			}
		}
		k, err := r.next()
		if err != nil {
			return false, err
		}
		switch k {
		case tokText:
			continue
		case tokEOF:
			return false, r.errHere("", nil, "document ends inside TR")
		case tokEnd:
			if col < nf {
				if err := r.warnHere(WarnRowCount, "", "row has %d cells, the table has %d fields; the rest are null", col, nf); err != nil {
					return false, err
				}
				for ; col < nf; col++ {
					r.row.cells[col] = cell{null: true}
				}
			}
			return true, nil
		}
		if string(lx.name) != "TD" {
			if err := r.skipSubtree(); err != nil {
				return false, err
			}
			continue
		}
		// collect the TD's text
		r.td = r.td[:0]
		cellStart := lx.tokStart
		for done := false; !done; {
			k, err := r.next()
			if err != nil {
				return false, err
			}
			switch k {
			case tokText:
				r.td = append(r.td, lx.text...)
			case tokEnd:
				done = true
			case tokStart:
				if err := r.skipSubtree(); err != nil {
					return false, err
				}
			case tokEOF:
				return false, r.errHere("", nil, "document ends inside TD")
			}
		}
		if col < nf {
			lx.tokStart = cellStart
			if err := r.setText(col, r.td); err != nil {
				return false, err
			}
		} else if col == nf {
			if err := r.warnHere(WarnRowCount, "", "row has more cells than the %d fields; extra cells ignored", nf); err != nil {
				return false, err
			}
		}
		col++
	}
}
