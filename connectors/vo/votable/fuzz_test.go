package votable

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readEverything reads a whole document and checks the invariants that must
// hold for any input: no panic, every error is an *Error, rows have as many
// cells as the table has fields.
func readEverything(doc []byte, strict bool) error {
	r := NewReader(bytes.NewReader(doc), Options{Strict: strict, MaxWarnings: 10})
	for tables := 0; tables < 1000; tables++ {
		tab, err := r.NextTable()
		if err != nil {
			if err != io.EOF {
				var e *Error
				if !errors.As(err, &e) {
					return fmt.Errorf("error of type %T: %v", err, err)
				}
				if e.Error() == "" {
					return errors.New("empty error message")
				}
			}
			break
		}
		for row, err := range r.Rows() {
			if err != nil {
				break
			}
			if row.Len() != len(tab.Fields) {
				return fmt.Errorf("row with %d cells for %d fields", row.Len(), len(tab.Fields))
			}
			for i := 0; i < row.Len(); i++ {
				_ = row.Value(i)
				_ = row.AppendJSONValue(nil, i)
				_, _ = row.String(i)
			}
		}
	}
	_ = r.Close()
	return nil
}

func addSeedFiles(f *testing.F, names ...string) {
	for _, n := range names {
		if data, err := os.ReadFile(filepath.Join("testdata", n)); err == nil {
			f.Add(data)
		}
	}
}

// FuzzReaderTabledata fuzzes whole documents (the XML tokenizer, metadata
// and TABLEDATA cells).
func FuzzReaderTabledata(f *testing.F) {
	f.Add([]byte(smallDoc))
	addSeedFiles(f, "test5_scalars.V10.vot", "overflowstatus.xml", "vot_utf8_array_dt.xml")
	f.Add([]byte(`<VOTABLE><RESOURCE><TABLE><FIELD name="a" datatype="bit" arraysize="2x3*"/><FIELD name="c" datatype="doubleComplex" arraysize="2"/><DATA><TABLEDATA><TR><TD>010101</TD><TD>1 2 3 4</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`))
	f.Add([]byte(`<!DOCTYPE VOTABLE [<!ENTITY x "y">]><v:VOTABLE xmlns:v="http://www.ivoa.net/xml/VOTable/v1.3"><v:RESOURCE><v:TABLE><v:FIELD ID="x" datatype="unicodeChar" arraysize="3x2"/><v:DATA><v:TABLEDATA><v:TR><v:TD>&#x41;&lt;&x;</v:TD></v:TR></v:TABLEDATA></v:DATA></v:TABLE></v:RESOURCE></v:VOTABLE>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if err := readEverything(doc, false); err != nil {
			t.Fatal(err)
		}
		if err := readEverything(doc, true); err != nil {
			t.Fatal(err)
		}
	})
}

const binHeader = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="b" datatype="boolean"/><FIELD name="x" datatype="bit" arraysize="11"/>
<FIELD name="u" datatype="unsignedByte"><VALUES null="255"/></FIELD>
<FIELD name="s" datatype="short" arraysize="2x*"/><FIELD name="i" datatype="int"/>
<FIELD name="l" datatype="long" arraysize="*"/><FIELD name="c" datatype="char" arraysize="*"/>
<FIELD name="w" datatype="unicodeChar" arraysize="4"/><FIELD name="f" datatype="float" arraysize="2x2"/>
<FIELD name="d" datatype="double"/><FIELD name="fc" datatype="floatComplex"/>
<FIELD name="dc" datatype="doubleComplex" arraysize="*"/><FIELD name="m" datatype="char" arraysize="3x2*"/>
<DATA><BINARY2><STREAM encoding="base64">
`
const binFooter = `
</STREAM></BINARY2></DATA></TABLE><INFO name="QUERY_STATUS" value="OVERFLOW"/></RESOURCE></VOTABLE>`

// FuzzReaderBinary2 fuzzes the bytes of a BINARY2 stream (null flags,
// variable-length counts, every datatype).
func FuzzReaderBinary2(f *testing.F) {
	var row []byte
	row = append(row, 0x00, 0x00)                         // flags for 13 fields
	row = append(row, 'T', 0xA0, 0x20, 7)                 // b, x (11 bits), u
	row = append(row, 0, 0, 0, 2, 0, 1, 0, 2)             // s: 2 elements
	row = append(row, 0, 0, 0, 9)                         // i
	row = append(row, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5) // l
	row = append(row, 0, 0, 0, 2, 'h', 'i')               // c
	row = append(row, 0, 'a', 0, 'b', 0, 0, 0, 0)
	row = append(row, make([]byte, 16)...)       // f
	row = append(row, make([]byte, 8)...)        // d
	row = append(row, make([]byte, 8)...)        // fc
	row = append(row, 0, 0, 0, 0)                // dc: empty
	row = append(row, 0, 0, 0, 3, 'a', 'b', 'c') // m
	f.Add(row)
	f.Add(append(append([]byte{}, row...), row...))
	f.Add(row[:len(row)-5])
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, stream []byte) {
		doc := binHeader + base64.StdEncoding.EncodeToString(stream) + binFooter
		if err := readEverything([]byte(doc), false); err != nil {
			t.Fatal(err)
		}
		// the same bytes as BINARY (no flags)
		if err := readEverything([]byte(strings.Replace(strings.Replace(doc, "<BINARY2>", "<BINARY>", 1), "</BINARY2>", "</BINARY>", 1)), false); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzBinaryFields fuzzes both the FIELD declarations (datatype and
// arraysize chosen by each spec byte) and the bytes of a BINARY2 stream.
func FuzzBinaryFields(f *testing.F) {
	f.Add([]byte{0, 17, 34, 51}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{}, []byte{1})
	f.Add([]byte{0x60, 0x61}, []byte{0, 0, 0, 2, 0, 'a', 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, spec, stream []byte) {
		if len(spec) > 40 {
			spec = spec[:40]
		}
		types := []string{"boolean", "bit", "unsignedByte", "short", "int", "long", "char", "unicodeChar", "float", "double", "floatComplex", "doubleComplex", "nonsense"}
		sizes := []string{"", "1", "3", "*", "2x*", "0", "2x2", "5*"}
		var b strings.Builder
		b.WriteString(`<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>`)
		for i, c := range spec {
			as := sizes[int(c>>4)%len(sizes)]
			fmt.Fprintf(&b, `<FIELD name="f%d" datatype="%s"`, i, types[int(c&15)%len(types)])
			if as != "" {
				fmt.Fprintf(&b, ` arraysize="%s"`, as)
			}
			if c&8 != 0 {
				b.WriteString(`><VALUES null="0"/></FIELD>`)
			} else {
				b.WriteString(`/>`)
			}
		}
		b.WriteString(`<DATA><BINARY2><STREAM encoding="base64">`)
		b.WriteString(base64.StdEncoding.EncodeToString(stream))
		b.WriteString(`</STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>`)
		doc := b.String()
		if err := readEverything([]byte(doc), false); err != nil {
			t.Fatal(err)
		}
		if err := readEverything([]byte(strings.ReplaceAll(doc, "BINARY2>", "BINARY>")), true); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzFastFloat checks the fast decimal path against strconv.ParseFloat:
// whenever it answers, it must give the very same float64.
func FuzzFastFloat(f *testing.F) {
	for _, s := range []string{"0", "-0", "1.5", "59936.09977557", "3.9074E-7", "-51.9226007", "1e22", "1e23",
		"9007199254740993", ".5", "5.", "+1e-22", "0.000000000000000000000001", "12345678901234567890", "1e", "NaN", "0x1p-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := fastFloat([]byte(s))
		// the same value inside a larger buffer (as TABLEDATA cells are
		// read): the digits past its end must not be taken
		inBuf := append([]byte(s), "12345678</TD>"...)[:len(s)]
		if v2, ok2 := fastFloat(inBuf); ok2 != ok || math.Float64bits(v2) != math.Float64bits(v) {
			t.Fatalf("fastFloat(%q) = %v, %v alone, %v, %v in a buffer", s, v, ok, v2, ok2)
		}
		if !ok {
			return
		}
		w, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("fastFloat(%q) = %v, strconv refuses: %v", s, v, err)
		}
		if math.Float64bits(v) != math.Float64bits(w) {
			t.Fatalf("fastFloat(%q) = %v, strconv %v", s, v, w)
		}
	})
}

// FuzzScanChar checks the eight-bytes-at-a-time char scan against a plain
// loop.
func FuzzScanChar(f *testing.F) {
	f.Add([]byte("ESO\x00\x00\x00"))
	f.Add([]byte("Ce\xc3\xa7i n'est pas\x00"))
	f.Add([]byte("0123456789abcdef\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, ascii := scanChar(b)
		wn := bytes.IndexByte(b, 0)
		if wn < 0 {
			wn = len(b)
		}
		wascii := true
		for _, c := range b[:wn] {
			wascii = wascii && c < 0x80
		}
		if n != wn || ascii != wascii {
			t.Fatalf("scanChar(%q) = %d, %v; want %d, %v", b, n, ascii, wn, wascii)
		}
	})
}

// FuzzReaderFITS fuzzes the FITS file inside a FITS serialization (STILTS's
// test table's FIELDs, the bytes of its FITS stream), and the document
// itself.
func FuzzReaderFITS(f *testing.F) {
	doc, err := os.ReadFile(filepath.Join("testdata", "test20_all.fits.vot"))
	if err != nil {
		f.Fatal(err)
	}
	const open = "<STREAM encoding='base64'>"
	i, j := bytes.Index(doc, []byte(open)), bytes.Index(doc, []byte("</STREAM>"))
	payload, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(doc[i+len(open):j])), ""))
	if err != nil {
		f.Fatal(err)
	}
	head, tail := string(doc[:i+len(open)]), string(doc[j:])
	f.Add(payload, false)
	f.Add(payload[:len(payload)/2], false)
	f.Add(payload[:4000], true)
	f.Fuzz(func(t *testing.T, stream []byte, strict bool) {
		d := head + base64.StdEncoding.EncodeToString(stream) + tail
		if err := readEverything([]byte(d), strict); err != nil {
			t.Fatal(err)
		}
	})
}
