package votable

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// benchDoc writes an ObsCore-like table of n rows with the Writer.
func benchDoc(b *testing.B, n int, format Format) []byte {
	t := &Table{Fields: []Field{
		{Name: "obs_id", Datatype: "char", Arraysize: "*"},
		{Name: "s_ra", Datatype: "double"}, {Name: "s_dec", Datatype: "double"},
		{Name: "t_min", Datatype: "double"}, {Name: "t_exptime", Datatype: "float"},
		{Name: "calib_level", Datatype: "short"}, {Name: "instrument_name", Datatype: "char", Arraysize: "*"},
		{Name: "access_url", Datatype: "char", Arraysize: "*"},
	}}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, t, WriterOptions{Format: format})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("ADP.2024-%08d", i)
		if err := w.WriteRow(id, float64(i%360)+0.1234567, -45.5+float64(i%90), 60000.5+float64(i)/1000, float32(i%1800),
			i%4, "MUSE", "https://archive.example.org/datalink/links?ID=ivo://example/ID?"+id); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchRead(b *testing.B, format Format) {
	doc := benchDoc(b, 20000, format)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r := NewReader(bytes.NewReader(doc), Options{})
		t, err := r.NextTable()
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for row, err := range r.Rows() {
			if err != nil {
				b.Fatal(err)
			}
			for i := range t.Fields {
				_, _ = row.Float(i)
			}
			rows++
		}
		if err := r.Close(); err != nil && err != io.EOF {
			b.Fatal(err)
		}
		if rows != 20000 {
			b.Fatalf("%d rows", rows)
		}
	}
}

func BenchmarkReadTabledata(b *testing.B) { benchRead(b, FormatTabledata) }
func BenchmarkReadBinary2(b *testing.B)   { benchRead(b, FormatBinary2) }
