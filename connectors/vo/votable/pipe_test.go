package votable

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func binary2Doc(t *testing.T, n int, text string) []byte {
	t.Helper()
	tab := &Table{Fields: []Field{{Name: "i", Datatype: "int"}, {Name: "s", Datatype: "char", Arraysize: "*"}}}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, tab, WriterOptions{Format: FormatBinary2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		s := "row"
		if i == n/2 {
			s = text
		}
		if err := w.WriteRow(i, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// settled waits for the number of goroutines to come back to n.
func settled(t *testing.T, n int) {
	t.Helper()
	for range 200 {
		if runtime.NumGoroutine() <= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%d goroutines, %d before: the read-ahead goroutine is still running", runtime.NumGoroutine(), n)
}

// The read-ahead goroutine of an inline BINARY2 stream ends with the
// stream, at Close after a partial read, and on an error.
func TestReadAheadEnds(t *testing.T) {
	base := runtime.NumGoroutine()
	doc := binary2Doc(t, 50000, "row")

	r := NewReader(bytes.NewReader(doc), Options{})
	r.NextTable()
	n := 0
	for range r.Rows() {
		n++
	}
	if err := r.Close(); err != nil || n != 50000 {
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

	// a strict-mode warning half-way: the error names the STREAM's line
	bad := binary2Doc(t, 50000, "caf\xc3\xa9")
	r = NewReader(bytes.NewReader(bad), Options{Strict: true})
	r.NextTable()
	for range r.Rows() {
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "row 25000") || !strings.Contains(err.Error(), "non-ASCII") {
		t.Fatalf("strict: %v", err)
	}
	settled(t, base)
	r.Close()
}

// Fixed-size rows (decoded a whole row at a time) read correctly across
// every buffer and read-ahead chunk boundary: 7-byte strings, odd row size.
func TestFixedRowsAcrossChunks(t *testing.T) {
	tab := &Table{Fields: []Field{{Name: "i", Datatype: "int"}, {Name: "x", Datatype: "double"},
		{Name: "s", Datatype: "char", Arraysize: "7"}, {Name: "b", Datatype: "unsignedByte"}}}
	for _, format := range []Format{FormatBinary2, FormatTabledata} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, tab, WriterOptions{Format: format})
		if err != nil {
			t.Fatal(err)
		}
		const n = 60000
		for i := range n {
			if err := w.WriteRow(i, float64(i)*0.5, fmt.Sprintf("r%d", i%100000), i%251); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r := NewReader(bytes.NewReader(buf.Bytes()), Options{})
		r.NextTable()
		k := 0
		for row, err := range r.Rows() {
			if err != nil {
				t.Fatal(err)
			}
			i, _ := row.Int(0)
			x, _ := row.Float(1)
			s, _ := row.String(2)
			b, _ := row.Int(3)
			if i != int64(k) || x != float64(k)*0.5 || s != fmt.Sprintf("r%d", k) || b != int64(k%251) {
				t.Fatalf("%s row %d: %d %v %q %d", format, k, i, x, s, b)
			}
			k++
		}
		if err := r.Close(); err != nil || k != n {
			t.Fatalf("%s: %d rows, %v", format, k, err)
		}
	}
}
