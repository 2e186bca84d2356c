// Package votable reads and writes IVOA VOTable documents (versions 1.0 to
// 1.5) as a stream.
//
// A Reader walks a document from an io.Reader and delivers the rows of each
// TABLE one at a time, so a table of any size is read in constant memory.
// It decodes the TABLEDATA, BINARY, BINARY2 and FITS serializations (FITS
// through package connectors/vo/fits; a FIELD its FITS column cannot give
// is refused with a reason), inline or by href to a local file, every
// VOTable datatype with fixed, variable and multi-dimensional arraysize,
// and reports nulls explicitly (a VALUES ref takes the null of the VALUES
// it names). It never fetches a DTD or a schema.
//
// Two FIELDs may share a name: Table.Keys gives every column a distinct key
// (the name; else the ID; else the name suffixed _2, _3, ...), used by
// Row.AppendJSON.
//
// While rows are read, a second goroutine works ahead of them, in a few
// buffers of 128 KiB: for an inline BINARY or BINARY2 stream it decodes the
// base64 text (in chunks of whole rows when rows have a fixed size); for
// TABLEDATA it finds the rows and cells written in the plain form (<TR>,
// <TD>text</TD> or <TD/>, no entity), leaving any other row to the
// reader's own tokenizer. It ends with the rows, on an error, or at Close.
// Char cells are read in place in those buffers: a Row is valid until the
// next row (Row.Clone keeps a copy of its own).
//
// Metadata (RESOURCE, TABLE, FIELD, PARAM, GROUP, INFO, COOSYS, TIMESYS,
// LINK, DESCRIPTION) is available as soon as the rows of a table begin;
// INFO elements that appear after the rows, such as a QUERY_STATUS of
// OVERFLOW, are collected as the reader passes them, and Reader.Close reads
// to the end of the document so that none is missed.
//
// The reader is lenient by default on what real services emit (non-UTF-8
// bytes in char columns, NULL literals, a wrong namespace ...): each
// leniency is recorded as a Warning with a stable Code. Options.Strict turns
// them into errors. Errors carry the line and column, the field name and the
// row number (see *Error).
//
// A short example:
//
//	r := votable.NewReader(f, votable.Options{})
//	t, err := r.NextTable()
//	if err != nil { ... }
//	for row, err := range r.Rows() {
//		if err != nil { ... }
//		ra, ok := row.Float(t.FieldIndex("ra")) // ok is false for a null
//		...
//	}
//	if err := r.Close(); err != nil { ... } // reads INFOs after the rows
//	if r.Overflow() { ... }                // QUERY_STATUS=OVERFLOW: truncated
//
// Writer writes a table as TABLEDATA or BINARY2, for example for TAP
// uploads.
package votable
