package votable

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readJSONRows reads the first table of a document as JSON objects.
func readJSONRows(t *testing.T, doc string, opts Options) ([]map[string]any, error) {
	t.Helper()
	r := NewReader(strings.NewReader(doc), opts)
	if _, err := r.NextTable(); err != nil {
		return nil, err
	}
	var out []map[string]any
	for row, err := range r.Rows() {
		if err != nil {
			return out, err
		}
		var m map[string]any
		if err := json.Unmarshal(row.AppendJSON(nil), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out, r.Close()
}

func readTestdata(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The FITS serialization of STILTS's test table (inline base64 of a whole
// FITS file) gives the rows of its BINARY serialization, read and checked
// against astropy elsewhere. The v_* columns differ by declaration: the
// FITS version declares them arraysize="3" (STILTS pads the variable
// arrays to 3 in FITS), the BINARY version "*".
func TestFITSSerialization(t *testing.T) {
	got, err := readJSONRows(t, readTestdata(t, "test20_all.fits.vot"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := readJSONRows(t, readTestdata(t, "test20_all.binary.vot"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 || len(want) != 20 {
		t.Fatalf("%d rows from FITS, %d from BINARY", len(got), len(want))
	}
	compared := 0
	for i := range want {
		for k, wv := range want[i] {
			if strings.HasPrefix(k, "v_") {
				continue
			}
			if js(got[i][k]) != js(wv) {
				t.Errorf("row %d %s: FITS %s, BINARY %s", i, k, js(got[i][k]), js(wv))
			}
			compared++
		}
	}
	if compared != 20*21 {
		t.Errorf("compared %d cells", compared)
	}
	// a v_ column as stored: [2, 0, 0] is [2] padded
	if js(got[2]["v_int"]) != "[2,0,0]" {
		t.Errorf("v_int row 2: %s", js(got[2]["v_int"]))
	}
}

// fitsPayload extracts the FITS file embedded in test20_all.fits.vot.
func fitsPayload(t *testing.T) (doc string, payload []byte) {
	doc = readTestdata(t, "test20_all.fits.vot")
	const open = "<STREAM encoding='base64'>"
	i, j := strings.Index(doc, open), strings.Index(doc, "</STREAM>")
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(doc[i+len(open):j]), ""))
	if err != nil {
		t.Fatal(err)
	}
	return doc[:i] + "%s" + doc[j+len("</STREAM>"):], b
}

// The same FITS file by href: read only when Options.HrefDir allows it.
func TestFITSHref(t *testing.T) {
	tmpl, payload := fitsPayload(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.fits"), payload, 0o644); err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(tmpl, "%s", `<STREAM href="t.fits"/>`, 1)
	if _, err := readJSONRows(t, doc, Options{}); err == nil || !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "HrefDir") {
		t.Fatalf("href without HrefDir: %v", err)
	}
	rows, err := readJSONRows(t, doc, Options{HrefDir: dir})
	if err != nil || len(rows) != 20 || js(rows[4]["s_string"]) != `"four"` {
		t.Fatalf("href: %d rows, %v", len(rows), err)
	}
}

// A FIELD that its FITS column cannot give is refused, naming both.
func TestFITSRefusedColumn(t *testing.T) {
	doc := readTestdata(t, "test20_all.fits.vot")
	doc = strings.Replace(doc, `<FIELD arraysize="8" datatype="char" name="b_string"/>`, `<FIELD datatype="int" name="b_string"/>`, 1)
	_, err := readJSONRows(t, doc, Options{})
	if err == nil || !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), `field "b_string"`) || !strings.Contains(err.Error(), `TFORM "8A"`) {
		t.Fatalf("got %v", err)
	}
	// a variable-length array column (the fits package's synthetic file)
	vla, err := os.ReadFile(filepath.Join("..", "fits", "testdata", "synthetic_vla.fits"))
	if err != nil {
		t.Fatal(err)
	}
	doc = `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="id" datatype="int"/><FIELD name="vla" datatype="float" arraysize="*"/>
<DATA><FITS><STREAM encoding="base64">` + base64.StdEncoding.EncodeToString(vla) + `</STREAM></FITS></DATA></TABLE></RESOURCE></VOTABLE>`
	_, err = readJSONRows(t, doc, Options{})
	if err == nil || !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "vla") || !strings.Contains(err.Error(), "variable-length") {
		t.Fatalf("variable-length column: %v", err)
	}
	// extnum names the HDU: 2 is the table after it
	doc = strings.Replace(strings.Replace(doc, "<FITS>", `<FITS extnum="2">`, 1), `<FIELD name="id" datatype="int"/><FIELD name="vla" datatype="float" arraysize="*"/>`, `<FIELD name="after" datatype="int"/>`, 1)
	rows, err := readJSONRows(t, doc, Options{})
	if err != nil || len(rows) != 1 || js(rows[0]["after"]) != "42" {
		t.Fatalf("extnum 2: %v, %v", rows, err)
	}
}

// A FITS value the FIELD's datatype cannot hold is a null with an
// out-of-range warning (strict mode refuses it), never a wrapped value.
func TestFITSOutOfRange(t *testing.T) {
	doc := readTestdata(t, "test20_all.fits.vot")
	// s_long (K) declared as an unsignedByte: rows 1 to 9 hold small values,
	// the negative ones cannot be held
	doc = strings.Replace(doc, `<FIELD datatype="long" name="s_long">`, `<FIELD datatype="unsignedByte" name="s_long">`, 1)
	r := NewReader(strings.NewReader(doc), Options{})
	r.NextTable()
	var vals []string
	for row := range r.Rows() {
		s, _ := row.String(row.Table().FieldIndex("s_long"))
		vals = append(vals, s)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	warned := 0
	for _, w := range r.Warnings() {
		if w.Code == WarnOutOfRange && w.Field == "s_long" {
			warned++
		}
	}
	// rows 10 to 19 hold -10 to -19 (see TestFITSSerialization's BINARY rows)
	if warned == 0 || vals[10] != "" || vals[1] != "1" {
		t.Fatalf("warnings %d, values %q", warned, vals)
	}
}
