package fits

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// card formats one 80-byte card.
func card(s string) string { return (s + strings.Repeat(" ", 80))[:80] }

// header pads cards (END added) to whole blocks.
func header(cards ...string) string {
	var b strings.Builder
	for _, c := range cards {
		b.WriteString(card(c))
	}
	b.WriteString(card("END"))
	for b.Len()%BlockSize != 0 {
		b.WriteByte(' ')
	}
	return b.String()
}

func pad(data string) string {
	for len(data)%BlockSize != 0 {
		data += "\x00"
	}
	return data
}

var primary = header("SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    0")

// table builds a BINTABLE HDU with the given column cards and data.
func table(nrows, rowSize int, cols []string, data string) string {
	cards := []string{"XTENSION= 'BINTABLE'", "BITPIX  =                    8", "NAXIS   =                    2",
		"NAXIS1  = " + pad20(rowSize), "NAXIS2  = " + pad20(nrows), "PCOUNT  =                    0",
		"GCOUNT  =                    1", "TFIELDS = " + pad20(nfields(cols))}
	cards = append(cards, cols...)
	return header(cards...) + pad(data)
}

// nfields is the largest column number in the cards.
func nfields(cols []string) int {
	n := 0
	for _, c := range cols {
		kw := strings.TrimSpace(c[:8])
		i := len(kw)
		for i > 0 && kw[i-1] >= '0' && kw[i-1] <= '9' {
			i--
		}
		k := 0
		for _, d := range kw[i:] {
			k = 10*k + int(d-'0')
		}
		n = max(n, k)
	}
	return n
}

func pad20(n int) string {
	s := strings.Repeat(" ", 20) + itoa(n)
	return s[len(s)-20:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

func TestFermiFiles(t *testing.T) {
	for _, name := range []string{"FERMI_POINTING_FINAL_875_2025065_2025072_00.fits", "FERMI_POINTING_PRELIM_875_2025065_2025072_00.fits"} {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(f, Options{})
		p, err := r.NextHDU()
		if err != nil || p.Type != "PRIMARY" || len(p.Axes) != 0 {
			t.Fatalf("%s: primary %+v, %v", name, p, err)
		}
		h, err := r.NextHDU()
		if err != nil || h.Type != "BINTABLE" || h.Name != "SC_DATA" || h.Table.NRows != 10 || len(h.Table.Columns) != 29 || h.Table.RowSize != 147 {
			t.Fatalf("%s: %+v, %v", name, h, err)
		}
		tab := h.Table
		start, saa := tab.ColumnIndex("START"), tab.ColumnIndex("IN_SAA")
		pos := tab.ColumnIndex("sc_position")
		if c := tab.Columns[pos]; c.Repeat != 3 || c.Type != 'E' || c.Unit != "m" {
			t.Errorf("SC_POSITION: %+v", c)
		}
		rows := 0
		for r.Next() {
			row := r.Row()
			if v, ok := row.Float(start); !ok || v < 7.6e8 {
				t.Errorf("row %d START %v %v", rows, v, ok)
			}
			if _, ok := row.Bool(saa); !ok {
				t.Errorf("row %d IN_SAA not a logical", rows)
			}
			rows++
		}
		if r.Err() != nil || rows != 10 {
			t.Fatalf("%s: %d rows, %v", name, rows, r.Err())
		}
		if _, err := r.NextHDU(); err != io.EOF {
			t.Fatalf("%s: after the table: %v", name, err)
		}
		f.Close()
	}
}

func TestVariableLengthRefused(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "synthetic_vla.fits"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f, Options{})
	r.NextHDU()
	h, err := r.NextHDU()
	var e *Error
	if h == nil || !errors.Is(err, ErrUnsupported) || !errors.As(err, &e) || e.Column != "vla" || !strings.Contains(err.Error(), "PE(") {
		t.Fatalf("got %v, %v", h, err)
	}
	if r.Next() {
		t.Fatal("rows of a refused table")
	}
	// the next HDU is still read
	h, err = r.NextHDU()
	if err != nil || h.Name != "AFTER" || !r.Next() {
		t.Fatalf("after the refused table: %v, %v", h, err)
	}
	if v, ok := r.Row().Int(0); !ok || v != 42 {
		t.Fatalf("after = %v %v", v, ok)
	}
}

func TestSignedByteAndUnsignedLong(t *testing.T) {
	doc := primary + table(2, 9, []string{"TTYPE1  = 'sb'", "TFORM1  = 'B'", "TZERO1  = -128", "TTYPE2  = 'ul'", "TFORM2  = 'K'", "TZERO2  = 9223372036854775808"},
		"\x00\x80\x00\x00\x00\x00\x00\x00\x05"+"\xff\x7f\xff\xff\xff\xff\xff\xff\xff")
	r := NewReader(strings.NewReader(doc), Options{})
	r.NextHDU()
	if _, err := r.NextHDU(); err != nil {
		t.Fatal(err)
	}
	r.Next()
	if v, ok := r.Row().Int(0); !ok || v != -128 {
		t.Errorf("sb row 0 = %v", v)
	}
	if v := r.Row().Value(1); v != int64(5) {
		t.Errorf("ul row 0 = %v (%T)", v, v)
	}
	r.Next()
	if v, ok := r.Row().Int(0); !ok || v != 127 {
		t.Errorf("sb row 1 = %v", v)
	}
	if v := r.Row().Value(1); v != uint64(1<<64-1) {
		t.Errorf("ul row 1 = %v (%T)", v, v)
	}
	if _, ok := r.Row().Int(1); ok {
		t.Error("Int of a uint64 above MaxInt64 must refuse")
	}
}

func TestMalformed(t *testing.T) {
	col := []string{"TTYPE1  = 'a'", "TFORM1  = 'J'"}
	cases := []struct{ name, doc, want string }{
		{"empty", "", "empty"},
		{"not fits", "<VOTABLE>" + strings.Repeat(" ", 3000), "does not start with SIMPLE"},
		{"short header", primary[:1000], "ends inside a header block"},
		{"no END", card("SIMPLE  =                    T") + strings.Repeat(card("COMMENT x"), 36*3-1), "without END"},
		{"SIMPLE F", header("SIMPLE  =                    F", "BITPIX  =                    8", "NAXIS   =                    0"), "SIMPLE = F"},
		{"BITPIX", header("SIMPLE  =                    T", "BITPIX  =                    7", "NAXIS   =                    0"), "BITPIX = 7"},
		{"NAXISn", header("SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    1"), "NAXIS1 is missing"},
		{"bad byte", header("SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    0", "COMMENT \x01"), "not printable"},
		{"lower keyword", header("SIMPLE  =                    T", "bitpix  =                    8"), "outside A-Z"},
		{"quote", header("SIMPLE  =                    T", "OBJECT  = 'abc"), "no closing quote"},
		{"after END", strings.Replace(primary, card("END"), card("END")+card("X       = 1"), 1), "after END"},
		{"ext no XTENSION", primary + header("SIMPLE  =                    T"), "does not start with XTENSION"},
		{"TFORM missing", primary + table(1, 4, []string{"TTYPE1  = 'a'", "TTYPE2  = 'b'"}, "\x00\x00\x00\x01"), "TFORM1 is missing"},
		{"TFORM letter", primary + table(1, 4, []string{"TTYPE1  = 'a'", "TFORM1  = '4Z'"}, "\x00\x00\x00\x01"), "unknown data type"},
		{"NAXIS1 mismatch", primary + table(1, 8, col, "\x00\x00\x00\x01\x00\x00\x00\x00"), "NAXIS1 says 8"},
		{"TDIM", primary + table(1, 4, []string{"TFORM1  = 'J'", "TDIM1   = '(2,3)'"}, "\x00\x00\x00\x01"), "more than the repeat"},
		{"TDIM syntax", primary + table(1, 4, []string{"TFORM1  = 'J'", "TDIM1   = '2,3'"}, "\x00\x00\x00\x01"), "not of the form"},
		{"TSCAL on A", primary + table(1, 4, []string{"TFORM1  = '4A'", "TSCAL1  = 2"}, "abcd"), "cannot be scaled"},
		{"TNULL", primary + table(1, 4, []string{"TFORM1  = 'J'", "TNULL1  = 'x'"}, "abcd"), "TNULL1 is not an integer"},
		{"short data", primary + header("XTENSION= 'BINTABLE'", "BITPIX  =                    8", "NAXIS   =                    2",
			"NAXIS1  =                    4", "NAXIS2  =                    3", "PCOUNT  =                    0", "GCOUNT  =                    1",
			"TFIELDS =                    1", "TFORM1  = 'J'") + "\x00\x00\x00\x01\x00\x00", "ends inside row 1 of 3"},
		{"huge", primary + header("XTENSION= 'IMAGE'", "BITPIX  =                  -64", "NAXIS   =                    2",
			"NAXIS1  =  9223372036854775807", "NAXIS2  =  9223372036854775807", "PCOUNT  =                    0", "GCOUNT  =                    1"), "overflows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(c.doc), Options{MaxHeaderCards: 100})
			var err error
			for err == nil {
				_, err = r.NextHDU()
				for err == nil && r.Next() {
				}
				if err == nil {
					err = r.Err()
				}
			}
			if err == io.EOF || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error", err)
			}
		})
	}
}

func TestCardParsing(t *testing.T) {
	for _, c := range []struct {
		in       string
		kw, val  string
		str      bool
		comment  string
		hasValue bool
	}{
		{"OBJECT  = 'O''Brien  '  / a name", "OBJECT", "O'Brien", true, "a name", true},
		{"EXPTIME =              1.5D+01 / seconds", "EXPTIME", "1.5D+01", false, "seconds", true},
		{"COMMENT   = not a value", "COMMENT", "", false, "  = not a value", false},
		{"HISTORY written", "HISTORY", "", false, "written", false},
		{"UNDEF   =                      / undefined", "UNDEF", "", false, "undefined", true},
		{"", "", "", false, "", false},
	} {
		got, err := parseCard([]byte(card(c.in)))
		if err != nil || got.Keyword != c.kw || got.Value != c.val || got.IsString != c.str || got.Comment != c.comment || got.HasValue != c.hasValue {
			t.Errorf("%q: %+v, %v", c.in, got, err)
		}
	}
	h := Header{Cards: []Card{{Keyword: "X", HasValue: true, Value: "1.5D+01"}, {Keyword: "B", HasValue: true, Value: "T"}}}
	if v, ok := h.Float("X"); !ok || v != 15 {
		t.Errorf("Float = %v %v", v, ok)
	}
	if v, ok := h.Bool("B"); !ok || !v {
		t.Errorf("Bool = %v %v", v, ok)
	}
	if _, ok := h.Int("X"); ok {
		t.Error("Int of a float")
	}
}

// Missing final padding after complete data is accepted (the data is all
// there); a missing data byte is not.
func TestMissingPadding(t *testing.T) {
	doc := primary + table(1, 4, []string{"TFORM1  = 'J'"}, "\x00\x00\x00\x07")
	doc = doc[:len(doc)-BlockSize+4]
	r := NewReader(bytes.NewReader([]byte(doc)), Options{})
	r.NextHDU()
	r.NextHDU()
	if !r.Next() {
		t.Fatal(r.Err())
	}
	if _, err := r.NextHDU(); err != io.EOF {
		t.Fatalf("after the last row: %v", err)
	}
}
