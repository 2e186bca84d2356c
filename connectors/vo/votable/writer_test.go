package votable

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// roundTrip reads the first table of a file, writes it with the Writer in
// the given format and returns both JSONL renderings.
func roundTrip(t *testing.T, path string, format Format) (orig, back []string, doc []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f, Options{HrefDir: filepath.Dir(path)})
	tab, err := r.NextTable()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, tab, WriterOptions{Format: format, Infos: []Info{{Name: "QUERY_STATUS", Value: "OK"}}})
	if err != nil {
		t.Fatal(err)
	}
	for row, err := range r.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		orig = append(orig, string(row.AppendJSON(nil)))
		if err := w.WriteTableRow(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(Info{Name: "QUERY_STATUS", Value: "OVERFLOW"}); err != nil {
		t.Fatal(err)
	}
	// strict, except for UTF-8 in char, which a 1.4 document warns about
	r2 := NewReader(bytes.NewReader(buf.Bytes()), Options{Strict: !strings.Contains(path, "utf8")})
	if _, err := r2.NextTable(); err != nil {
		t.Fatalf("reading back: %v\n%s", err, buf.String())
	}
	for row, err := range r2.Rows() {
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		back = append(back, string(row.AppendJSON(nil)))
	}
	if err := r2.Close(); err != nil {
		t.Fatal(err)
	}
	if !r2.Overflow() {
		t.Error("trailing OVERFLOW INFO lost")
	}
	return orig, back, buf.Bytes()
}

func TestWriterRoundTrip(t *testing.T) {
	for _, src := range []string{"test20_all.binary2.vot", "test20_all.tabledata.vot", "test5_scalars.V10.vot", "vot_utf8_array_dt.xml"} {
		for _, format := range []Format{FormatTabledata, FormatBinary2} {
			t.Run(src+"/"+string(format), func(t *testing.T) {
				orig, back, _ := roundTrip(t, filepath.Join("testdata", src), format)
				if len(orig) == 0 || len(orig) != len(back) {
					t.Fatalf("%d rows in, %d back", len(orig), len(back))
				}
				for i := range orig {
					// TABLEDATA cannot tell an empty string or variable array from a null
					o := strings.ReplaceAll(strings.ReplaceAll(orig[i], ":[]", ":null"), `:""`, ":null")
					b := strings.ReplaceAll(strings.ReplaceAll(back[i], ":[]", ":null"), `:""`, ":null")
					if o != b {
						t.Errorf("row %d:\n in   %s\n back %s", i, o, b)
					}
				}
			})
		}
	}
}

func TestWriterValues(t *testing.T) {
	tab := &Table{Name: "obs", Fields: []Field{
		{Name: "id", Datatype: "long", Null: "-1", HasNull: true},
		{Name: "name", Datatype: "char", Arraysize: "*"},
		{Name: "when", Datatype: "char", Arraysize: "*", Xtype: "timestamp"},
		{Name: "pos", Datatype: "double", Arraysize: "2", Xtype: "point", Unit: "deg"},
		{Name: "flux", Datatype: "float"},
		{Name: "u", Datatype: "unicodeChar", Arraysize: "*"},
	}}
	when := time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC)
	for _, format := range []Format{FormatTabledata, FormatBinary2} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, tab, WriterOptions{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(int64(7), "a<b & \"c\"", when, Point{10, -20}, float32(1.5), "Görlitz"); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(nil, nil, nil, nil, math.NaN(), nil); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(1, 2, 3, 4, 5, 6); err == nil {
			t.Error("a number for a char field was accepted")
		}
		if err := w.WriteRow(1); err == nil {
			t.Error("a short row was accepted")
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r := NewReader(&buf, Options{Strict: true})
		if _, err := r.NextTable(); err != nil {
			t.Fatal(err)
		}
		var rows []Row
		for row, err := range r.Rows() {
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row.Clone())
		}
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows", format, len(rows))
		}
		if v := rows[0].Value(2); v != when {
			t.Errorf("%s: timestamp %v", format, v)
		}
		if v := rows[0].Value(3); v != (Point{10, -20}) {
			t.Errorf("%s: point %v", format, v)
		}
		if s, _ := rows[0].String(1); s != "a<b & \"c\"" {
			t.Errorf("%s: text %q", format, s)
		}
		if s, _ := rows[0].String(5); s != "Görlitz" {
			t.Errorf("%s: unicodeChar %q", format, s)
		}
		for i := 0; i < 6; i++ {
			if !rows[1].IsNull(i) {
				t.Errorf("%s: cell %d of the null row is %v", format, i, rows[1].Value(i))
			}
		}
	}
}

// TestWriterVotlint checks that STILTS votlint accepts the writer's output.
func TestWriterVotlint(t *testing.T) {
	stilts, err := exec.LookPath("stilts")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("stilts is not installed (the CI setup script installs it)")
		}
		t.Skip("stilts is not installed; skipping the votlint check")
	}
	dir := t.TempDir()
	for _, format := range []Format{FormatTabledata, FormatBinary2} {
		for _, src := range []string{"test20_all.binary2.vot", "test5_scalars.V10.vot"} {
			_, _, doc := roundTrip(t, filepath.Join("testdata", src), format)
			p := filepath.Join(dir, string(format)+"-"+src)
			if err := os.WriteFile(p, doc, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(stilts, "votlint", "validate=true", "votable="+p).CombinedOutput()
			msg := strings.TrimSpace(string(out))
			if err != nil || msg != "" {
				t.Errorf("votlint on %s written as %s: %v\n%s", src, format, err, msg)
			}
		}
	}
}

func TestMultiDimCharBinary2(t *testing.T) {
	tab := &Table{Fields: []Field{
		{Name: "words", Datatype: "char", Arraysize: "5x3"},
		{Name: "uwords", Datatype: "unicodeChar", Arraysize: "4x*"},
	}}
	for _, format := range []Format{FormatBinary2, FormatTabledata} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, tab, WriterOptions{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		// multi-dimensional char cells are written as their concatenated text
		if err := w.WriteRow("ab\x00\x00\x00cdefgh\x00\x00\x00", "Görlitz\x00"); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		l, err := Load(t.Context(), &buf, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := string(l.Rows[0].AppendJSON(nil))
		want := `{"words":["ab","cdefg","h"],"uwords":["Görl","itz"]}`
		if format == FormatTabledata {
			// XML cannot carry NUL: the writer drops them, so the text shifts
			want = `{"words":["abcde","fgh"],"uwords":["Görl","itz"]}`
		}
		if got != want {
			t.Errorf("%s: got %s, want %s", format, got, want)
		}
	}
}

// Real services put UTF-8 (or Latin-1) bytes in char columns; astropy
// refuses such BINARY2 streams. We read them, with a warning.
func TestNonASCIICharInBinary2(t *testing.T) {
	tab := &Table{Fields: []Field{{Name: "name", Datatype: "char", Arraysize: "*"}}}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, tab, WriterOptions{Format: FormatBinary2})
	if err != nil {
		t.Fatal(err)
	}
	w.WriteRow("Görlitz")
	w.WriteRow([]byte{'S', 0xE3, 'o', ' ', 'P', 'a', 'u', 'l', 'o'}) // Latin-1
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	doc := buf.Bytes()
	l, err := Load(t.Context(), bytes.NewReader(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := l.Rows[0].String(0); s != "Görlitz" {
		t.Errorf("row 0: %q", s)
	}
	if s, _ := l.Rows[1].String(0); s != "S\uFFFDo Paulo" {
		t.Errorf("row 1: %q", s)
	}
	if len(l.Warnings) != 2 || l.Warnings[0].Code != WarnNonASCII || l.Warnings[1].Code != WarnInvalidUTF8 || l.Warnings[1].Row != 1 || l.Warnings[1].Field != "name" {
		t.Errorf("warnings: %v", l.Warnings)
	}
	if _, err := Load(t.Context(), bytes.NewReader(doc), Options{Strict: true}); err == nil || !strings.Contains(err.Error(), "[non-ascii-char]") {
		t.Errorf("strict: %v", err)
	}
}
