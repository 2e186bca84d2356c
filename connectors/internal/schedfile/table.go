package schedfile

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Table is a header and rows of text cells, read from an HTML table or a
// CSV file.
type Table struct {
	Cols obscore.Columns
	Rows [][]string
}

// Need returns the positions of the named columns; a missing one is an
// *connectors.SchemaError naming it.
func (t Table) Need(source string, names []string) (map[string]int, error) {
	ix := map[string]int{}
	for _, n := range names {
		if ix[n] = t.Cols.Index(n); ix[n] < 0 {
			return nil, &connectors.SchemaError{Source: source, Column: n, Reason: "column missing"}
		}
	}
	return ix, nil
}

// ReadTable reads a schedule table as a page serves it — the first HTML
// <table>, its first row the header — or as it was re-serialized (CSV, a
// first unnamed index column as pandas writes it being ignored by name).
// A page with no table is an *connectors.HTMLError naming its title.
func ReadTable(source string, b []byte) (Table, error) {
	head := bytes.ToLower(b[:min(len(b), 4096)])
	if _, ok := archive.LooksLikeHTML(b); ok || bytes.Contains(head, []byte("<table")) {
		return htmlTable(source, b)
	}
	cols, rows, err := obscore.ReadCSV(bytes.NewReader(b))
	if err != nil {
		return Table{}, fmt.Errorf("%s: %w", source, err)
	}
	t := Table{Cols: cols}
	for r, err := range rows {
		if err != nil {
			return Table{}, fmt.Errorf("%s: %w", source, err)
		}
		cells := make([]string, len(cols.Names()))
		for i := range cells {
			cells[i] = r.Text(i)
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, nil
}

func htmlTable(source string, b []byte) (Table, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		return Table{}, fmt.Errorf("%s: HTML: %w", source, err)
	}
	tb := doc.Find("table").First()
	if tb.Length() == 0 {
		title, _ := archive.LooksLikeHTML(b)
		return Table{}, &connectors.HTMLError{Source: source, What: "the schedule table (a page without a <table>)", Title: title}
	}
	var t Table
	header := true
	tb.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("th, td").Each(func(_ int, c *goquery.Selection) {
			cells = append(cells, strings.Join(strings.Fields(c.Text()), " "))
		})
		if header {
			t.Cols, header = obscore.NewColumns(cells), false
			return
		}
		t.Rows = append(t.Rows, cells)
	})
	return t, nil
}
