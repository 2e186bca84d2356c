package obscore

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// Columns maps the column names of a TAP reply to their positions. Names
// are compared case-insensitively, as ADQL identifiers are.
type Columns struct {
	names []string
	idx   map[string]int
}

// NewColumns indexes names. Empty names (the index column a data-frame
// library writes first in a CSV file) are kept but never matched.
func NewColumns(names []string) Columns {
	c := Columns{names: names, idx: make(map[string]int, len(names))}
	for i, n := range names {
		k := strings.ToLower(strings.TrimSpace(n))
		if k == "" {
			continue
		}
		if _, dup := c.idx[k]; !dup {
			c.idx[k] = i
		}
	}
	return c
}

// Index returns the position of the named column, or -1.
func (c Columns) Index(name string) int {
	if i, ok := c.idx[strings.ToLower(name)]; ok {
		return i
	}
	return -1
}

// Names returns the column names in reply order.
func (c Columns) Names() []string { return c.names }

// Record is one row of a TAP reply, CSV or VOTable, read by column
// position. A negative position reads as null, so that an absent optional
// column needs no special case.
type Record struct {
	cells []string
	row   votable.Row
	vot   bool
}

// CSVRecord wraps the cells of a CSV line.
func CSVRecord(cells []string) Record { return Record{cells: cells} }

// VOTableRecord wraps a VOTable row.
func VOTableRecord(r votable.Row) Record { return Record{row: r, vot: true} }

// Text returns the cell as text, "" for a null or an absent column.
func (r Record) Text(i int) string {
	if i < 0 {
		return ""
	}
	if !r.vot {
		if i >= len(r.cells) {
			return ""
		}
		return strings.TrimSpace(r.cells[i])
	}
	if i >= r.row.Len() || r.row.IsNull(i) {
		return ""
	}
	if s, ok := r.row.String(i); ok {
		return strings.TrimSpace(s)
	}
	if f, ok := r.row.Float(i); ok {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	if v, ok := r.row.Int(i); ok {
		return strconv.FormatInt(v, 10)
	}
	return strings.TrimSpace(fmt.Sprint(r.row.Value(i)))
}

// Number returns the cell as a number; ok is false for a null, an empty
// cell or an absent column, and err is set when the cell holds something
// that is not a number (schema drift: the caller names the column).
func (r Record) Number(i int) (v float64, ok bool, err error) {
	if i < 0 {
		return 0, false, nil
	}
	if r.vot && i < r.row.Len() {
		if r.row.IsNull(i) {
			return 0, false, nil
		}
		if f, ok := r.row.Float(i); ok {
			if math.IsNaN(f) {
				return 0, false, nil
			}
			return f, true, nil
		}
		if n, ok := r.row.Int(i); ok {
			return float64(n), true, nil
		}
	}
	s := r.Text(i)
	if s == "" || strings.EqualFold(s, "nan") || strings.EqualFold(s, "null") {
		return 0, false, nil
	}
	f, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("not a number: %q", clip(s))
	}
	return f, true, nil
}

// Time reads an ISO 8601 timestamp cell ("2013-08-27T01:05:24.327Z", with
// or without the zone, or with a space for the T); ok is false for an
// empty cell, and err is set for any other format.
func (r Record) Time(i int) (t time.Time, ok bool, err error) {
	s := r.Text(i)
	if s == "" {
		return time.Time{}, false, nil
	}
	t, err = astro.ParseTimestamp(s)
	if err != nil {
		return time.Time{}, false, err
	}
	return t, true, nil
}

// mjdTime converts a Modified Julian Date (taken as UTC, as ObsCore
// services write it) to a time (astro.MJDToGo: microseconds, days of
// 86400 s). ok is false for dates outside years 1800 to 2300, which are not
// observation times.
func mjdTime(mjd float64) (time.Time, bool) {
	if math.IsNaN(mjd) || mjd < -21000 || mjd > 161000 {
		return time.Time{}, false
	}
	t, err := astro.MJDToGo(mjd)
	return t, err == nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// ReadCSV reads a TAP CSV reply (RFC 4180, a header line of column names).
// It returns the columns and an iterator over the records; an unreadable
// line ends the iteration with an error naming its line. Records are valid
// only until the next iteration.
func ReadCSV(r io.Reader) (Columns, iter.Seq2[Record, error], error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Columns{}, nil, errors.New("empty CSV reply: no header line")
		}
		return Columns{}, nil, fmt.Errorf("CSV header: %w", err)
	}
	names := make([]string, len(head))
	for i, h := range head {
		names[i] = strings.TrimPrefix(h, "\ufeff")
	}
	cols := NewColumns(names)
	seq := func(yield func(Record, error) bool) {
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(Record{}, fmt.Errorf("CSV: %w", err))
				return
			}
			if !yield(CSVRecord(rec), nil) {
				return
			}
		}
	}
	return cols, seq, nil
}

// VOTableColumns indexes the fields of a VOTable table.
func VOTableColumns(t *votable.Table) Columns {
	names := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = f.Name
	}
	return NewColumns(names)
}

// IsVOTable reports whether a reply body looks like a VOTable (XML) rather
// than CSV.
func IsVOTable(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n\ufeff")
	return bytes.HasPrefix(b, []byte("<?xml")) || bytes.HasPrefix(b, []byte("<VOTABLE")) ||
		bytes.HasPrefix(b, []byte("<votable"))
}

type prefixed struct {
	head []byte
	r    io.Reader
}

func (p *prefixed) Read(b []byte) (int, error) {
	if len(p.head) > 0 {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	return p.r.Read(b)
}

func prefixReader(head []byte, r io.Reader) io.Reader {
	return &prefixed{head: append([]byte(nil), head...), r: r}
}

// IsTableFile reports a VOTable or CSV file name (.xml, .vot, .csv).
func IsTableFile(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".xml") || strings.HasSuffix(l, ".vot") || strings.HasSuffix(l, ".csv")
}
