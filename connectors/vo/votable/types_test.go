package votable

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Every datatype, scalar and array, through both writer formats and back.
func TestAllDatatypesRoundTrip(t *testing.T) {
	tab := &Table{Fields: []Field{
		{Name: "bool", Datatype: "boolean"},
		{Name: "bits", Datatype: "bit", Arraysize: "10"},
		{Name: "ub", Datatype: "unsignedByte"},
		{Name: "sh", Datatype: "short", Arraysize: "2x*"},
		{Name: "in", Datatype: "int"},
		{Name: "lo", Datatype: "long"},
		{Name: "ch", Datatype: "char", Arraysize: "8"},
		{Name: "uc", Datatype: "unicodeChar", Arraysize: "*"},
		{Name: "fl", Datatype: "float", Arraysize: "3"},
		{Name: "do", Datatype: "double"},
		{Name: "fc", Datatype: "floatComplex"},
		{Name: "dc", Datatype: "doubleComplex", Arraysize: "*"},
		{Name: "bools", Datatype: "boolean", Arraysize: "*"},
		{Name: "ts", Datatype: "char", Arraysize: "*", Xtype: "timestamp"},
		{Name: "circ", Datatype: "double", Arraysize: "3", Xtype: "circle"},
		{Name: "poly", Datatype: "double", Arraysize: "*", Xtype: "polygon"},
	}}
	row := []any{true, []int{1, 0, 1, 1, 0, 0, 0, 0, 0, 1}, uint8(255), []int16{-1, 2, 3, -4}, int32(-2147483648),
		int64(9007199254740993), "abc", "ÅÄÖ→ok", []float32{1.5, 2.5, -0}, 1e-300, complex64(1 + 2i),
		[]complex128{3 - 4i, 0}, []any{true, nil, false}, time.Date(2025, 1, 2, 3, 4, 5, 600e6, time.UTC),
		Circle{Point{10, 20}, 0.5}, Polygon{[]Point{{0, 0}, {1, 0}, {0, 1}}}}
	want := `{"bool":true,"bits":[1,0,1,1,0,0,0,0,0,1],"ub":255,"sh":[-1,2,3,-4],"in":-2147483648,"lo":9007199254740993,` +
		`"ch":"abc","uc":"ÅÄÖ→ok","fl":[1.5,2.5,0],"do":1e-300,"fc":[1,2],"dc":[[3,-4],[0,0]],"bools":[true,null,false],` +
		`"ts":"2025-01-02T03:04:05.6","circ":[10,20,0.5],"poly":[0,0,1,0,0,1]}`
	nulls := `{"bool":null,"bits":null,"ub":null,"sh":null,"in":null,"lo":null,"ch":null,"uc":null,"fl":null,"do":null,"fc":null,"dc":null,"bools":null,"ts":null,"circ":null,"poly":null}`
	for _, format := range []Format{FormatTabledata, FormatBinary2} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, tab, WriterOptions{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(row...); err != nil {
			t.Fatal(err)
		}
		empty := make([]any, len(row))
		if format == FormatTabledata {
			// TABLEDATA has no null for these without a VALUES null
			empty[1], empty[2] = []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0
		}
		if err := w.WriteRow(empty...); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		l, err := Load(t.Context(), bytes.NewReader(buf.Bytes()), Options{Strict: true})
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, buf.String())
		}
		if got := string(l.Rows[0].AppendJSON(nil)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", format, got, want)
		}
		wantNull := nulls
		if format == FormatTabledata {
			wantNull = strings.Replace(strings.Replace(nulls, `"bits":null`, `"bits":[0,0,0,0,0,0,0,0,0,0]`, 1), `"ub":null`, `"ub":0`, 1)
		}
		if got := string(l.Rows[1].AppendJSON(nil)); got != wantNull {
			t.Errorf("%s nulls:\n got %s\nwant %s", format, got, wantNull)
		}
		r0 := l.Rows[0]
		if v := r0.Value(13); v != time.Date(2025, 1, 2, 3, 4, 5, 600e6, time.UTC) {
			t.Errorf("%s: timestamp %v", format, v)
		}
		if v, ok := r0.Value(14).(Circle); !ok || v.Radius != 0.5 {
			t.Errorf("%s: circle %#v", format, r0.Value(14))
		}
		if v, ok := r0.Value(15).(Polygon); !ok || len(v.Vertices) != 3 {
			t.Errorf("%s: polygon %#v", format, r0.Value(15))
		}
		if c, ok := r0.Complex(10); !ok || c != 1+2i {
			t.Errorf("%s: complex %v", format, c)
		}
		if v, ok := r0.Int(5); !ok || v != 9007199254740993 {
			t.Errorf("%s: long %v", format, v)
		}
	}
}
