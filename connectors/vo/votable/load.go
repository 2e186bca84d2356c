package votable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Loaded is a whole table read into memory, with what the document said
// around it.
type Loaded struct {
	*Table
	Rows []Row
	// Infos are all the INFO elements of the document, wherever they were.
	Infos []Info
	// QueryStatus is the document's QUERY_STATUS INFO, if any (see
	// Reader.QueryStatus); Overflow is true for a QUERY_STATUS of OVERFLOW.
	QueryStatus *Info
	Overflow    bool
	Warnings    []Warning
	Document    *Document
	// Tables is the number of tables in the document.
	Tables int
}

// Load reads the first table of a document whole (use a Reader to stream a
// large table in constant memory). It reads the document to its end so
// that INFO elements after the rows are seen. A document without a table
// gives a Loaded with a nil Table (an error document usually has none:
// check QueryStatus).
func Load(ctx context.Context, r io.Reader, opts Options) (*Loaded, error) {
	opts.Context = ctx
	rd := NewReader(r, opts)
	out := &Loaded{}
	t, err := rd.NextTable()
	switch {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, err
	default:
		out.Table = t
		for row, err := range rd.Rows() {
			if err != nil {
				return nil, err
			}
			out.Rows = append(out.Rows, row.Clone())
		}
	}
	if err := rd.Close(); err != nil {
		return nil, err
	}
	out.Infos = rd.Infos()
	if st, ok := rd.QueryStatus(); ok {
		out.QueryStatus = &st
	}
	out.Overflow = rd.Overflow()
	out.Warnings = rd.Warnings()
	out.Document = rd.Document()
	out.Tables = rd.ntables
	return out, nil
}

// LoadFile is Load on a file; a STREAM href may point to files in the
// same directory.
func LoadFile(ctx context.Context, path string, opts Options) (*Loaded, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("votable: %w", err)
	}
	defer f.Close()
	if opts.HrefDir == "" {
		opts.HrefDir = filepath.Dir(path)
	}
	l, err := Load(ctx, f, opts)
	if err != nil {
		return nil, fmt.Errorf("votable: %s: %w", path, err)
	}
	return l, nil
}
