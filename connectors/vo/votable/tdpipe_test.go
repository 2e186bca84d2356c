package votable

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// colRE matches a position. Once a token's start has left the lexer's
// buffer (input arriving in small pieces), the token path gives the
// current line and column 1 instead; the scanning goroutine always knows
// where a cell is. Positions are compared only when the whole document
// fits in the buffer.
var colRE = regexp.MustCompile(`line [0-9]+( col [0-9]+)?`)

// transcript reads a whole document and writes down everything a caller
// sees: tables, every cell (as JSON and as text), warnings with their
// positions, the error.
func transcript(doc []byte, strict, pipe bool, feed int) string {
	r := NewReader(&chunkReader{bytes.NewReader(doc), feed}, Options{Strict: strict, MaxWarnings: 50})
	r.noTDPipe, r.noGroups = !pipe, !pipe
	var b strings.Builder
	for tables := 0; tables < 100; tables++ {
		t, err := r.NextTable()
		if err != nil {
			fmt.Fprintf(&b, "NextTable: %v\n", err)
			break
		}
		fmt.Fprintf(&b, "table %d, %d fields\n", t.Index, len(t.Fields))
		for row, err := range r.Rows() {
			if err != nil {
				fmt.Fprintf(&b, "Rows: %v\n", err)
				break
			}
			fmt.Fprintf(&b, "row %d:", row.Index())
			for i := 0; i < row.Len(); i++ {
				s, ok := row.String(i)
				fmt.Fprintf(&b, " %s|%q,%v", row.AppendJSONValue(nil, i), s, ok)
			}
			b.WriteByte('\n')
		}
	}
	fmt.Fprintf(&b, "Close: %v\n", r.Close())
	for _, w := range r.Warnings() {
		fmt.Fprintf(&b, "%s\n", w)
	}
	fmt.Fprintf(&b, "%d warnings\n", r.WarningCount())
	return b.String()
}

const tdHeader = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="id" datatype="char" arraysize="8"/><FIELD name="ra" datatype="double"/>
<FIELD name="n" datatype="short"><VALUES null="-1"/></FIELD><FIELD name="u" datatype="unsignedByte"/>
<FIELD name="f" datatype="float" arraysize="2"/><FIELD name="w" datatype="unicodeChar" arraysize="*"/>
<FIELD name="b" datatype="boolean"/><FIELD name="g" datatype="float"/>
<FIELD name="l" datatype="long"><VALUES null="0x7fff"/></FIELD>
<DATA><TABLEDATA>
`
const tdFooter = `</TABLEDATA></DATA></TABLE><INFO name="QUERY_STATUS" value="OK"/></RESOURCE></VOTABLE>
`

// tdRows are rows of every form the scanning goroutine takes, and of
// forms it leaves to the token path.
var tdRows = []string{
	"<TR><TD>ADP.0001</TD><TD>230.1936474</TD><TD>60</TD><TD>3</TD><TD>1 2</TD><TD>Ce\u00e7i</TD><TD>T</TD></TR>\n",
	"  <TR>\n    <TD>ADP.0002</TD>\n    <TD>-71.8011811</TD>\n    <TD>-1</TD>\n    <TD/>\n    <TD>NaN NaN</TD>\n    <TD></TD>\n    <TD>?</TD>\n  </TR>\n",
	"<TR><TD>short</TD><TD>1e400</TD></TR>\n",
	"<TR><TD>a</TD><TD>1</TD><TD>2</TD><TD>256</TD><TD>1 2</TD><TD>x</TD><TD>F</TD><TD>extra</TD><TD>more</TD></TR>\n",
	"<TR><TD>a&amp;b</TD><TD>1</TD><TD>2</TD><TD>3</TD><TD>1 2</TD><TD>x</TD><TD>F</TD></TR>\n",
	"<TR><TD>caf\xe9</TD><TD>one</TD><TD>2.5</TD><TD>3</TD><TD>1,2</TD><TD>x</TD><TD>maybe</TD></TR>\n",
	"<!-- c --><TR><TD><![CDATA[<x>]]></TD><TD>1</TD></TR>\n",
	"<TR ID=\"r\"><TD>a</TD><TD>1</TD></TR>\n",
	"<INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/>\n",
	"<TR><TD>x</TD><TD>1e5</TD><TD>007</TD><TD>-0</TD><TD>1 2</TD><TD>y</TD><TD>T</TD><TD>3.4653E-7</TD><TD>32767</TD></TR>\n",
	"<TR><TD>x</TD><TD> 2.5</TD><TD>99999</TD><TD>+1</TD><TD>1 2</TD><TD>y</TD><TD>T</TD><TD>16777217</TD><TD>-9223372036854775808</TD></TR>\n",
	"<TR><TD>x</TD><TD>1.5 </TD><TD>-32768</TD><TD>255</TD><TD>1 2</TD><TD>y</TD><TD>T</TD><TD>1e39</TD><TD>123456789012345678</TD></TR>\n",
	"<TR><TD>toolongforeight</TD><TD>0x10</TD><TD>0x7fff</TD><TD>0</TD><TD>1 2 3</TD><TD>x</TD><TD>T</TD></TR>\n",
}

func TestTabledataPipeMatchesTokenPath(t *testing.T) {
	var body strings.Builder
	for i := 0; i < 300; i++ {
		body.WriteString(tdRows[i*7%len(tdRows)])
		if i%50 == 0 {
			for _, r := range tdRows {
				body.WriteString(r)
			}
		}
	}
	doc := []byte(tdHeader + body.String() + tdFooter + tdHeader[strings.Index(tdHeader, "<VOTABLE"):])
	for _, strict := range []bool{false, true} {
		for _, feed := range []int{1, 7, 100, 64 << 10} {
			want := transcript(doc, strict, false, 64<<10)
			got := transcript(doc, strict, true, feed)
			if feed < 64<<10 {
				want, got = colRE.ReplaceAllString(want, ""), colRE.ReplaceAllString(got, "")
			}
			if got != want {
				t.Fatalf("strict=%v feed=%d: the pipelined reading differs:\n%s", strict, feed, firstDiff(got, want))
			}
		}
	}
	// and a plain table read through the goroutine from end to end
	plain := tdHeader + strings.Repeat(tdRows[0]+tdRows[1], 5000) + tdFooter
	if got, want := transcript([]byte(plain), true, true, 64<<10), transcript([]byte(plain), true, false, 64<<10); got != want {
		t.Fatalf("plain table differs:\n%s", firstDiff(got, want))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(g), len(w))
}

// FuzzTabledataPipe checks that rows found by the scanning goroutine read
// exactly as the token path reads them: same cells, same warnings at the
// same lines and columns, same errors, with the input arriving in pieces
// of any size.
func FuzzTabledataPipe(f *testing.F) {
	for _, r := range tdRows {
		f.Add(r+r, false, uint8(200))
	}
	f.Add(strings.Join(tdRows, ""), true, uint8(3))
	f.Add("<TR><TD>a</TD></TR><TR><TD>b</TD>", false, uint8(0))
	f.Fuzz(func(t *testing.T, rows string, strict bool, feed uint8) {
		doc := []byte(tdHeader + rows + tdFooter)
		want := transcript(doc, strict, false, 64<<10)
		if got := transcript(doc, strict, true, 64<<10); got != want {
			t.Fatalf("%q: the pipelined reading differs:\n%s", rows, firstDiff(got, want))
		}
		want = colRE.ReplaceAllString(want, "")
		if got := colRE.ReplaceAllString(transcript(doc, strict, true, int(feed)+1), ""); got != want {
			t.Fatalf("%q, fed %d bytes at a time: the pipelined reading differs:\n%s", rows, int(feed)+1, firstDiff(got, want))
		}
	})
}

// FuzzTextEnd checks the eight-bytes-at-a-time search for the end of a
// cell's text against a plain loop.
func FuzzTextEnd(f *testing.F) {
	f.Add([]byte("230.1936474</TD>"), 0)
	f.Add([]byte("caf\xc3\xa9 &amp; co<"), 2)
	f.Add([]byte("https://archive.example.org/datalink/links?ID=ivo://example/ID?ADP.2024-00000000"), 5)
	f.Fuzz(func(t *testing.T, b []byte, i int) {
		if i < 0 || i > len(b) {
			return
		}
		e, ascii := textEnd(b, i)
		we, wascii := i, true
		for ; we < len(b) && b[we] != '<' && b[we] != '&'; we++ {
			wascii = wascii && b[we] < 0x80
		}
		if e != we || ascii != wascii {
			t.Fatalf("textEnd(%q, %d) = %d, %v; want %d, %v", b, i, e, ascii, we, wascii)
		}
	})
}

// FuzzBinaryGrouped checks that fixed-size BINARY and BINARY2 rows decoded
// kind by kind read exactly as rows decoded field by field.
func FuzzBinaryGrouped(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6}, []byte("\x00\x00\x00abc\x00\x00\x00\x00\x00\x00\x00\x01\x7f\xf8\x00\x00\x00\x00\x00\x00caf\xc3\xa9\x00"), false)
	f.Add([]byte{6, 6, 14}, []byte("ab\x00\x00\x00\x00\x00\x00"), true)
	f.Fuzz(func(t *testing.T, spec, stream []byte, binary2 bool) {
		if len(spec) > 20 {
			spec = spec[:20]
		}
		types := []string{"double", "float", "short", "int", "long", "unsignedByte", "char"}
		var b strings.Builder
		b.WriteString(`<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>`)
		for i, c := range spec {
			fmt.Fprintf(&b, `<FIELD name="f%d" datatype="%s"`, i, types[int(c&7)%len(types)])
			if types[int(c&7)%len(types)] == "char" {
				fmt.Fprintf(&b, ` arraysize="%d"`, 1+int(c>>4))
			}
			if c&8 != 0 {
				b.WriteString(`><VALUES null="1"/></FIELD>`)
			} else {
				b.WriteString(`/>`)
			}
		}
		ser := "BINARY"
		if binary2 {
			ser = "BINARY2"
		}
		fmt.Fprintf(&b, `<DATA><%s><STREAM encoding="base64">%s</STREAM></%s></DATA></TABLE></RESOURCE></VOTABLE>`,
			ser, base64.StdEncoding.EncodeToString(stream), ser)
		doc := []byte(b.String())
		for _, strict := range []bool{false, true} {
			if got, want := transcript(doc, strict, true, 1<<20), transcript(doc, strict, false, 1<<20); got != want {
				t.Fatalf("grouped decoding differs:\n%s", firstDiff(got, want))
			}
		}
	})
}

// TestCloneKeepsOnlyTheText checks that a cloned row holds its own text
// and nothing of the buffer the text was read in, for every
// serialization.
func TestCloneKeepsOnlyTheText(t *testing.T) {
	plain := tdHeader + strings.Repeat(tdRows[0]+tdRows[1], 3000) + tdFooter
	for _, format := range []Format{FormatTabledata, FormatBinary2} {
		doc := []byte(plain)
		if format != FormatTabledata {
			doc = convertDoc(t, doc, format)
		}
		r := NewReader(bytes.NewReader(doc), Options{})
		if _, err := r.NextTable(); err != nil {
			t.Fatal(err)
		}
		var kept []Row
		var want []string
		for row, err := range r.Rows() {
			if err != nil {
				t.Fatal(err)
			}
			c := row.Clone()
			text := 0
			for i := 0; i < c.Len(); i++ {
				if b, ok := c.Bytes(i); ok {
					text += len(b)
				}
			}
			if len(c.chars) != text {
				t.Fatalf("%v row %d: clone holds %d bytes of text for %d in its cells", format, row.Index(), len(c.chars), text)
			}
			kept = append(kept, c)
			want = append(want, fmt.Sprint(rowValues(row)))
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		for i, c := range kept {
			if got := fmt.Sprint(rowValues(c)); got != want[i] {
				t.Fatalf("%v row %d: clone reads %s, the row read %s", format, i, got, want[i])
			}
		}
	}
}

func rowValues(r Row) []any {
	var v []any
	for i := 0; i < r.Len(); i++ {
		v = append(v, r.Value(i))
	}
	return v
}

// convertDoc rewrites a document's first table in another serialization
// with the Writer.
func convertDoc(t *testing.T, doc []byte, format Format) []byte {
	r := NewReader(bytes.NewReader(doc), Options{})
	tab, err := r.NextTable()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := NewWriter(&out, &Table{Fields: tab.Fields}, WriterOptions{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	for row, err := range r.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteTableRow(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The TABLEDATA scanning goroutine ends with the rows, at Close after a
// partial read, on an error, and when the context is cancelled.
func TestTabledataPipeEnds(t *testing.T) {
	base := runtime.NumGoroutine()
	doc := []byte(tdHeader + strings.Repeat(tdRows[0]+tdRows[1], 20000) + tdFooter)

	r := NewReader(bytes.NewReader(doc), Options{})
	r.NextTable()
	n := 0
	for range r.Rows() {
		n++
	}
	if err := r.Close(); err != nil || n != 40000 {
		t.Fatalf("%d rows, %v", n, err)
	}
	settled(t, base)

	r = NewReader(bytes.NewReader(doc), Options{})
	r.NextTable()
	r.Next()
	r.Next()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	settled(t, base)

	// a strict-mode warning half-way: the error names the cell's line
	good := "<TR><TD>x</TD><TD>1e5</TD><TD>7</TD><TD>0</TD><TD>1 2</TD><TD>y</TD><TD>T</TD><TD>3.5</TD><TD>1</TD></TR>\n"
	bad := []byte(tdHeader + strings.Repeat(good, 20000) + strings.Replace(good, "<TD>0</TD>", "<TD>256</TD>", 1) +
		strings.Repeat(good, 20000) + tdFooter)
	r = NewReader(bytes.NewReader(bad), Options{Strict: true})
	r.NextTable()
	for range r.Rows() {
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "row 20000") || !strings.Contains(err.Error(), fmt.Sprintf("line %d", strings.Count(tdHeader, "\n")+20001)) {
		t.Fatalf("strict: %v", err)
	}
	settled(t, base)
	r.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r = NewReader(bytes.NewReader(doc), Options{Context: ctx})
	r.NextTable()
	n = 0
	for _, err := range r.Rows() {
		if err != nil {
			break
		}
		if n++; n == 5000 {
			cancel()
		}
	}
	if !errors.Is(r.Err(), context.Canceled) {
		t.Fatalf("after cancel: %v", r.Err())
	}
	settled(t, base)
	r.Close()
}
