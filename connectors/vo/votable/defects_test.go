package votable

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readCorpusTable reads the first table of a corpus file, returning its
// metadata, its rows as JSON lines, and the reader (closed).
func readCorpusTable(t *testing.T, rel string, opts Options) (*Table, []string, *Reader, error) {
	t.Helper()
	src, done, err := openDoc(filepath.Join(sharedDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	r := NewReader(src, opts)
	tab, err := r.NextTable()
	if err != nil {
		return nil, nil, r, err
	}
	var rows []string
	for row, err := range r.Rows() {
		if err != nil {
			return tab, rows, r, err
		}
		rows = append(rows, string(row.AppendJSON(nil)))
	}
	return tab, rows, r, r.Close()
}

// VALUES ref="int_nulls" on the long column takes the null 123456789 of
// the int column's VALUES: astropy masks those cells (issue 15).
func TestValuesRefResolved(t *testing.T) {
	for _, v := range []string{"1.1", "1.3"} {
		rel := "astropy/astropy/io/votable/tests/data/regression.bin.tabledata.truth." + v + ".xml"
		t.Run(v, func(t *testing.T) {
			tab, rows, _, err := readCorpusTable(t, rel, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := &tab.Fields[tab.FieldIndex("long")]
			if !f.HasNull || f.Null != "123456789" || f.Values.Ref != "int_nulls" {
				t.Fatalf("long: HasNull %v Null %q Values %+v", f.HasNull, f.Null, f.Values)
			}
			nulls := 0
			for _, row := range rows {
				if strings.Contains(row, `"long":123456789`) {
					t.Errorf("the referenced null came out as a value: %s", row)
				}
				if strings.Contains(row, `"long":null`) {
					nulls++
				}
			}
			if nulls == 0 {
				t.Errorf("no null in the long column (astropy has them)")
			}
		})
	}
}

// A VALUES ref naming nothing is a warning, refused in strict mode.
func TestValuesRefUnknown(t *testing.T) {
	doc := `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="a" datatype="int"><VALUES ref="nowhere"/></FIELD><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`
	r := NewReader(strings.NewReader(doc), Options{})
	if _, err := r.NextTable(); err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings()) != 1 || r.Warnings()[0].Code != WarnBadRef {
		t.Fatalf("warnings %v", r.Warnings())
	}
	r = NewReader(strings.NewReader(doc), Options{Strict: true})
	if _, err := r.NextTable(); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("strict: %v", err)
	}
}

// CADC's caom2 join has two columns named metaChecksum (and three more
// pairs): every column keeps a distinct key, so none is dropped.
func TestDuplicateNamesKept(t *testing.T) {
	tab, rows, _, err := readCorpusTable(t, "VOTables.jl/test/data/vectorcol.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	keys := tab.Keys()
	if !slices.Contains(keys, "metaChecksum") || !slices.Contains(keys, "metaChecksum_2") {
		t.Fatalf("keys %v", keys)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("key %q twice", k)
		}
		seen[k] = true
	}
	if !strings.Contains(rows[0], `"metaChecksum":"md5:90ccf2732eb25677b153473f5e1062eb"`) ||
		!strings.Contains(rows[0], `"metaChecksum_2":"md5:8c8677780a45c56d5244eaf8851c4785"`) {
		t.Errorf("row 0 lost a metaChecksum: %s", rows[0])
	}
}

func TestKeysRule(t *testing.T) {
	tab := &Table{Fields: []Field{{Name: "a"}, {Name: "a", ID: "a_id"}, {Name: "a"}, {Name: "a_2"}, {ID: "x"}, {}, {}}}
	got := tab.Keys()
	want := []string{"a", "a_id", "a_2", "a_2_2", "x", "", "_2"}
	if !slices.Equal(got, want) {
		t.Fatalf("Keys() = %q, want %q", got, want)
	}
}

// 256 in an unsignedByte (astropy's regression.xml, row 1): lenient mode
// reads a null there with a warning and goes on; strict mode refuses.
func TestOutOfRangeInteger(t *testing.T) {
	const rel = "astropy/astropy/io/votable/tests/data/regression.xml"
	_, rows, r, err := readCorpusTable(t, rel, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want the 5 astropy reads", len(rows))
	}
	if !strings.Contains(rows[1], `"unsignedByte":null`) {
		t.Errorf("row 1: %s", rows[1])
	}
	found := false
	for _, w := range r.Warnings() {
		if w.Code == WarnOutOfRange && w.Row == 1 && w.Field == "unsignedByte" && strings.Contains(w.Msg, `"256"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no out-of-range warning for row 1: %v", r.Warnings())
	}
	_, _, _, err = readCorpusTable(t, rel, Options{Strict: true})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("strict: %v", err)
	}
	// strict mode stops at the first leniency of the file, which comes
	// before the rows (an unknown datatype)
	if e.Code == "" {
		t.Errorf("strict error without a warning code: %v", err)
	}
	doc := `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="b" datatype="unsignedByte"/><DATA><TABLEDATA><TR><TD>256</TD></TR><TR><TD>7</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`
	r = NewReader(strings.NewReader(doc), Options{Strict: true})
	r.NextTable()
	for range r.Rows() {
	}
	if err := r.Err(); err == nil || !errors.As(err, &e) || e.Code != WarnOutOfRange || e.Row != 0 {
		t.Fatalf("strict: %v", err)
	}
}
