package votable

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnsupported is wrapped by errors for valid VOTable features this
// package does not decode (the FITS serialization, remote hrefs without an
// Options.OpenHref hook).
var ErrUnsupported = errors.New("unsupported")

// Error is a problem found in a document. It says where: the line and
// column (from 1), and for a cell the table, row (from 0) and field.
type Error struct {
	Line, Col int
	// Table is the table's index in the document, or -1.
	Table int
	// Row is the row number within the table from 0, or -1.
	Row int64
	// Field is the name of the field, or "".
	Field string
	// Code is the warning code when a warning was turned into an error by
	// strict mode.
	Code WarningCode
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("votable: ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d col %d: ", e.Line, e.Col)
	}
	if e.Row >= 0 {
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, "[%s] ", e.Code)
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		if e.Msg != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// WarningCode identifies a kind of leniency. The codes are stable.
type WarningCode string

// Warning codes.
const (
	// WarnNamespace: the VOTABLE element is in no namespace or an unknown one.
	WarnNamespace WarningCode = "namespace"
	// WarnVersion: the version attribute is missing or unknown.
	WarnVersion WarningCode = "version"
	// WarnNullLiteral: a numeric cell holds a literal such as NULL or null,
	// read as a null.
	WarnNullLiteral WarningCode = "null-literal"
	// WarnInvalidUTF8: a char cell holds bytes that are not valid UTF-8; they
	// are kept as they are (String replaces them by U+FFFD).
	WarnInvalidUTF8 WarningCode = "invalid-utf8"
	// WarnNonASCII: a char cell holds non-ASCII characters, which VOTable
	// reserves for unicodeChar.
	WarnNonASCII WarningCode = "non-ascii-char"
	// WarnUnknownEntity: an entity reference other than the five XML ones
	// and character references; kept literally.
	WarnUnknownEntity WarningCode = "unknown-entity"
	// WarnArraySize: a cell has a number of elements different from its
	// fixed arraysize (including an empty fixed array, read as a null).
	WarnArraySize WarningCode = "arraysize"
	// WarnBadValue: a cell could not be parsed for its datatype and was read
	// as a null.
	WarnBadValue WarningCode = "bad-value"
	// WarnFloatInInt: an integer cell written as a float with no fraction.
	WarnFloatInInt WarningCode = "float-in-int"
	// WarnDatatype: a FIELD or PARAM has a missing or unknown datatype; it is
	// read as char.
	WarnDatatype WarningCode = "datatype"
	// WarnRowCount: a TR has more or fewer TD than the table has fields.
	WarnRowCount WarningCode = "row-width"
	// WarnNoFields: a TABLE has data but no FIELD.
	WarnNoFields WarningCode = "no-fields"
	// WarnMisplaced: an element where VOTable does not allow it (an INFO
	// inside TABLEDATA), read all the same.
	WarnMisplaced WarningCode = "misplaced"
	// WarnNRows: the nrows attribute disagrees with the rows read.
	WarnNRows WarningCode = "nrows"
	// WarnOutOfRange: an integer cell outside its datatype's range (256 in
	// an unsignedByte), read as a null.
	WarnOutOfRange WarningCode = "out-of-range"
	// WarnArraySeparator: array elements separated by commas rather than
	// white space; the commas are read as separators.
	WarnArraySeparator WarningCode = "array-separator"
	// WarnBadRef: a ref attribute (VALUES ref) names no element of the
	// document; it is ignored.
	WarnBadRef WarningCode = "bad-ref"
)

// Warning is a leniency applied while reading.
type Warning struct {
	Code      WarningCode
	Line, Col int
	Table     int
	Row       int64
	Field     string
	Msg       string
}

func (w Warning) String() string {
	e := Error{Line: w.Line, Col: w.Col, Table: w.Table, Row: w.Row, Field: w.Field, Code: w.Code, Msg: w.Msg}
	return strings.Replace(e.Error(), "votable: ", "votable warning: ", 1)
}
