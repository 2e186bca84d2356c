package votable

import (
	"fmt"
	"strconv"
	"strings"
)

// Datatype is a VOTable primitive datatype.
type Datatype uint8

// The VOTable datatypes.
const (
	TypeUnknown Datatype = iota
	TypeBoolean
	TypeBit
	TypeUnsignedByte
	TypeShort
	TypeInt
	TypeLong
	TypeChar
	TypeUnicodeChar
	TypeFloat
	TypeDouble
	TypeFloatComplex
	TypeDoubleComplex
)

var datatypeNames = [...]string{"", "boolean", "bit", "unsignedByte", "short", "int", "long", "char",
	"unicodeChar", "float", "double", "floatComplex", "doubleComplex"}

// String returns the datatype's name as written in a VOTable.
func (d Datatype) String() string {
	if int(d) < len(datatypeNames) {
		return datatypeNames[d]
	}
	return "Datatype(" + strconv.Itoa(int(d)) + ")"
}

// ParseDatatype returns the datatype for its VOTable name.
func ParseDatatype(s string) (Datatype, bool) {
	for i, n := range datatypeNames {
		if i > 0 && n == s {
			return Datatype(i), true
		}
	}
	return TypeUnknown, false
}

// binSize is the size in bytes of one element in the binary serializations
// (bits are handled apart).
func (d Datatype) binSize() int {
	switch d {
	case TypeBoolean, TypeUnsignedByte, TypeChar:
		return 1
	case TypeShort, TypeUnicodeChar:
		return 2
	case TypeInt, TypeFloat:
		return 4
	case TypeLong, TypeDouble, TypeFloatComplex:
		return 8
	case TypeDoubleComplex:
		return 16
	}
	return 0
}

func (d Datatype) isInt() bool {
	return d == TypeUnsignedByte || d == TypeShort || d == TypeInt || d == TypeLong || d == TypeBit
}
func (d Datatype) isFloat() bool   { return d == TypeFloat || d == TypeDouble }
func (d Datatype) isComplex() bool { return d == TypeFloatComplex || d == TypeDoubleComplex }
func (d Datatype) isChar() bool    { return d == TypeChar || d == TypeUnicodeChar }

// Field describes a column of a TABLE (a FIELD element) or, embedded in a
// Param, a PARAM.
type Field struct {
	Name, ID  string
	Datatype  string // as written
	Arraysize string // as written, "" for a scalar
	Unit      string
	UCD       string
	Utype     string
	Xtype     string
	Ref       string
	Precision string
	Width     string
	// Description is the text of the DESCRIPTION child.
	Description string
	// Null is the null attribute of the VALUES child, if any.
	Null    string
	HasNull bool
	Values  *Values
	Links   []Link

	// Type is the parsed Datatype.
	Type Datatype
	// Shape is the parsed arraysize, first dimension first; a variable last
	// dimension is -1. A scalar has a nil Shape. For char and unicodeChar the
	// first dimension is the string length.
	Shape []int

	// key is the field's column key (see Table.Keys)
	key string
	// parsed null value for integer types
	nullInt    int64
	hasNullInt bool
	// parsed null value for float types (arrays: elements equal to it are
	// nulls in JSON)
	nullFlt    float64
	hasNullFlt bool
	autoNull   bool // the writer chose the null value
	// acc is the accessor class, set by the reader (see Row.Float)
	acc accClass
}

// Key returns the name by which the field is known: its name, or its ID
// when it has no name.
func (f *Field) Key() string {
	if f.Name != "" {
		return f.Name
	}
	return f.ID
}

// columnKey is the key set by the reader (Table.Keys), or Key for a
// field the reader did not prepare.
func (f *Field) columnKey() string {
	if f.key != "" {
		return f.key
	}
	return f.Key()
}

// IsArray reports whether a cell of the field holds more than one element.
// A char field with a one-dimensional arraysize is a string, not an array.
func (f *Field) IsArray() bool {
	if f.Type.isChar() {
		return len(f.Shape) > 1
	}
	return len(f.Shape) > 0
}

// Variable reports whether the last dimension of the arraysize is variable.
func (f *Field) Variable() bool { return len(f.Shape) > 0 && f.Shape[len(f.Shape)-1] < 0 }

// fixedCount is the number of elements of a fixed-size field (1 for a
// scalar), or -1 when the size is variable.
func (f *Field) fixedCount() int {
	n := 1
	for _, d := range f.Shape {
		if d < 0 {
			return -1
		}
		n *= d
	}
	return n
}

// accClass says which scalar accessor a field answers, so that the hot
// accessors need no type switch.
type accClass uint8

const (
	accUnset accClass = iota
	accOther
	accFloat // scalar float or double
	accInt   // scalar integer (bit, unsignedByte, short, int, long)
	accChar  // char or unicodeChar, scalar or array (see Row.Bytes)
)

// accessorClass computes the field's accClass from its Type and Shape.
func (f *Field) accessorClass() accClass {
	switch {
	case f.Type.isChar():
		return accChar
	case f.IsArray():
		return accOther
	case f.Type.isFloat():
		return accFloat
	case f.Type.isInt():
		return accInt
	}
	return accOther
}

// Values is the VALUES child of a FIELD or PARAM. A VALUES with a ref
// attribute takes the null, minimum, maximum and options of the VALUES
// whose ID it names (anywhere before the rows), unless it has its own.
type Values struct {
	ID      string
	Null    string
	Min     string
	Max     string
	Options []Option
	Ref     string
}

// Option is one OPTION of a VALUES element.
type Option struct {
	Name, Value string
	Options     []Option
}

// Param is a PARAM element: a field with a constant value.
type Param struct {
	Field
	Value string
}

// Info is an INFO element. QUERY_STATUS is an INFO whose Name is
// "QUERY_STATUS" and whose Value is "OK", "OVERFLOW" or "ERROR"; its
// Content is the message.
type Info struct {
	Name, ID, Value string
	Unit, UCD       string
	Utype, Xtype    string
	Ref             string
	Content         string
	// Line is where the INFO starts in the document.
	Line int
}

// Link is a LINK element.
type Link struct {
	ID, ContentRole, ContentType, Title, Value, Href, Action string
}

// Group is a GROUP element with its FIELDref and PARAMref references.
type Group struct {
	Name, ID, Ref, UCD, Utype string
	Description               string
	FieldRefs                 []string
	ParamRefs                 []string
	Params                    []Param
	Groups                    []Group
}

// CoordSys is a COOSYS element.
type CoordSys struct {
	ID, System, Equinox, Epoch, RefPosition string
}

// TimeSys is a TIMESYS element.
type TimeSys struct {
	ID, TimeOrigin, TimeScale, RefPosition string
}

// Resource is a RESOURCE element. Tables carries the tables whose rows the
// reader has reached; nested resources are in Resources.
type Resource struct {
	Name, ID, Type, Utype string
	Description           string
	Infos                 []Info
	Params                []Param
	Groups                []Group
	Links                 []Link
	CoordSys              []CoordSys
	TimeSys               []TimeSys
	Parent                *Resource
	Resources             []*Resource
	Tables                []*Table
}

// Table is the metadata of a TABLE element.
type Table struct {
	Name, ID, Ref, UCD, Utype string
	Description               string
	// NRows is the nrows attribute, or -1 when absent.
	NRows    int64
	Fields   []Field
	Params   []Param
	Groups   []Group
	Infos    []Info
	Links    []Link
	Resource *Resource
	// Index is the table's position in the document, from 0.
	Index int
	// Serialization is "TABLEDATA", "BINARY", "BINARY2", "FITS" or "" for a
	// table without DATA.
	Serialization string

	// accs holds the accessor class of each field, set by the reader
	// before the rows (see Row.Float); tdks how TABLEDATA cells are
	// decoded (see pipedCells)
	accs []accClass
	tdks []tdKind
}

// Keys returns the column keys of the table, one per field, all distinct:
// the field's Key (its name, or its ID when it has no name); when an
// earlier field already has that key, the field's ID if it is free,
// otherwise the key suffixed with "_2" (or "_3", ...: the first that is
// free). Row.AppendJSON and the CLI's CSV header use these keys, so no
// column is lost when two fields share a name (as in CADC's caom2 joins).
func (t *Table) Keys() []string {
	keys := make([]string, len(t.Fields))
	used := make(map[string]bool, len(t.Fields))
	for i := range t.Fields {
		f := &t.Fields[i]
		k := f.Key()
		if used[k] && f.ID != "" && !used[f.ID] {
			k = f.ID
		}
		if used[k] {
			base := k
			for n := 2; used[k]; n++ {
				k = base + "_" + strconv.Itoa(n)
			}
		}
		used[k] = true
		keys[i] = k
	}
	return keys
}

// FieldIndex returns the index of the field with the given name (or, when
// no name matches, ID), or -1.
func (t *Table) FieldIndex(name string) int {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return i
		}
	}
	for i := range t.Fields {
		if t.Fields[i].ID == name {
			return i
		}
	}
	return -1
}

// parseArraysize parses an arraysize such as "10", "*", "10*", "2x3*".
func parseArraysize(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, "x")
	shape := make([]int, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if strings.HasSuffix(p, "*") {
			if i != len(parts)-1 {
				return nil, fmt.Errorf("arraysize %q: only the last dimension may be variable", s)
			}
			shape[i] = -1
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("arraysize %q: bad dimension %q", s, p)
		}
		shape[i] = n
	}
	return shape, nil
}
