package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

func init() {
	register(func(root *cobra.Command) {
		vot := &cobra.Command{
			Use:   "votable",
			Short: "Read VOTable files (TABLEDATA, BINARY, BINARY2, FITS)",
		}
		var format string
		var table int
		var strict, showWarnings bool
		cat := &cobra.Command{
			Use:   "cat FILE",
			Short: "Print every row of a table as JSON lines or CSV",
			Long: "Print every row of the first table of FILE (or of table N, counted from 0) as JSON lines\n" +
				"(one object per row keyed by FIELD name, nulls as null) or as CSV (nulls as empty cells).\n" +
				"Two FIELDs with the same name get distinct keys: the second takes its ID, else the name\n" +
				"suffixed _2 (then _3, ...).\n" +
				"FILE may be - for standard input; gzip-compressed input is recognised.",
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if format != "jsonl" && format != "csv" {
					return usageErrorf("--format must be csv or jsonl, not %q", format)
				}
				if table < 0 {
					return usageErrorf("--table must be 0 or more")
				}
				return votableCat(cmd, args[0], format, table, strict, showWarnings)
			},
		}
		cat.Flags().StringVar(&format, "format", "jsonl", "output format: jsonl or csv")
		cat.Flags().IntVar(&table, "table", 0, "which table to print, counted from 0")
		cat.Flags().BoolVar(&strict, "strict", false, "treat every leniency warning as an error")
		cat.Flags().BoolVar(&showWarnings, "warnings", false, "print each warning on standard error")
		var ctable int
		var cstrict bool
		count := &cobra.Command{
			Use:   "count FILE",
			Short: "Read every row of a table and print how many there are",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if ctable < 0 {
					return usageErrorf("--table must be 0 or more")
				}
				return votableCount(cmd, args[0], ctable, cstrict)
			},
		}
		count.Flags().IntVar(&ctable, "table", 0, "which table to count, counted from 0")
		count.Flags().BoolVar(&cstrict, "strict", false, "treat every leniency warning as an error")
		vot.AddCommand(cat, count)
		root.AddCommand(vot)
	})
}

// openVOTable opens a file (or standard input for "-"), un-gzipping it
// when it starts with the gzip magic bytes.
func openVOTable(cmd *cobra.Command, path string) (io.Reader, func(), error) {
	var rc io.ReadCloser
	if path == "-" {
		rc = io.NopCloser(cmd.InOrStdin())
	} else {
		f, err := os.Open(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, notFoundError{err}
			}
			return nil, nil, err
		}
		rc = f
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return zr, func() { rc.Close() }, nil
	}
	return br, func() { rc.Close() }, nil
}

func newVOTableReader(cmd *cobra.Command, path string, in io.Reader, strict bool) *votable.Reader {
	dir := "."
	if path != "-" {
		dir = filepath.Dir(path)
	}
	return votable.NewReader(in, votable.Options{Strict: strict, HrefDir: dir, Context: cmd.Context()})
}

// seekTable moves to table n.
func seekTable(r *votable.Reader, path string, n int) (*votable.Table, error) {
	for i := 0; ; i++ {
		t, err := r.NextTable()
		if errors.Is(err, io.EOF) {
			if i == 0 {
				return nil, notFoundError{fmt.Errorf("%s has no TABLE", path)}
			}
			return nil, notFoundError{fmt.Errorf("%s has %d tables; there is no table %d", path, i, n)}
		}
		if err != nil {
			return nil, err
		}
		if i == n {
			return t, nil
		}
	}
}

func votableCat(cmd *cobra.Command, path, format string, n int, strict, showWarnings bool) error {
	in, done, err := openVOTable(cmd, path)
	if err != nil {
		return err
	}
	defer done()
	r := newVOTableReader(cmd, path, in, strict)
	t, err := seekTable(r, path, n)
	if err != nil {
		return err
	}
	if err := writeRows(cmd.OutOrStdout(), t, r.Rows(), format, func(err error) error { return err }); err != nil {
		return err
	}
	return finishVOTable(cmd, r, showWarnings)
}

// finishVOTable reads the rest of the document and reports what the caller
// should know: warnings, a truncated (OVERFLOW) or failed (ERROR) query.
func finishVOTable(cmd *cobra.Command, r *votable.Reader, showWarnings bool) error {
	if err := r.Close(); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if showWarnings {
		for _, w := range r.Warnings() {
			fmt.Fprintln(stderr, w.String())
		}
	}
	if n := r.WarningCount(); n > 0 && !showWarnings {
		fmt.Fprintf(stderr, "arcsecond: %d leniency warning(s); --warnings lists them, --strict refuses them\n", n)
	}
	if st, ok := r.QueryStatus(); ok {
		switch st.Value {
		case "ERROR":
			return fmt.Errorf("the document reports QUERY_STATUS=ERROR: %s", st.Content)
		case "OVERFLOW":
			fmt.Fprintln(stderr, "arcsecond: QUERY_STATUS=OVERFLOW: the service truncated the result at its row limit")
		}
	}
	return nil
}

func votableCount(cmd *cobra.Command, path string, n int, strict bool) error {
	in, done, err := openVOTable(cmd, path)
	if err != nil {
		return err
	}
	defer done()
	r := newVOTableReader(cmd, path, in, strict)
	if _, err := seekTable(r, path, n); err != nil {
		return err
	}
	var count int64
	for _, err := range r.Rows() {
		if err != nil {
			return err
		}
		count++
	}
	fmt.Fprintln(cmd.OutOrStdout(), count)
	return finishVOTable(cmd, r, false)
}

// writeRows prints every row of a table: in JSON Lines, one object a row
// keyed by the table's column keys (votable.Table.Keys: names made
// distinct, so no column is dropped), or in CSV with a header and nulls as empty
// cells. wrap classifies the errors of the row source (a file, a service).
func writeRows(w io.Writer, t *votable.Table, rows iter.Seq2[votable.Row, error], format string, wrap func(error) error) error {
	out := bufio.NewWriterSize(w, 64<<10)
	defer out.Flush()
	var cw *csv.Writer
	if format == "csv" {
		cw = csv.NewWriter(out)
		if err := cw.Write(t.Keys()); err != nil {
			return err
		}
	}
	var line []byte
	rec := make([]string, len(t.Fields))
	for row, err := range rows {
		if err != nil {
			return wrap(err)
		}
		if cw != nil {
			for i := range rec {
				rec[i], _ = row.String(i) // "" for a null
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
			continue
		}
		line = row.AppendJSON(line[:0])
		line = append(line, '\n')
		if _, err := out.Write(line); err != nil {
			return err
		}
	}
	if cw != nil {
		cw.Flush()
		return cw.Error()
	}
	return nil
}
