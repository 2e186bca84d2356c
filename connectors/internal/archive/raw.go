package archive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// Fields reads typed values out of undecoded JSON fields (already checked
// for syntax by encoding/json), remembering the first type error as a
// *connectors.SchemaError naming the column.
type Fields struct {
	Source string
	Err    error
}

func (f *Fields) fail(col, want string, v json.RawMessage) {
	if f.Err == nil {
		f.Err = &connectors.SchemaError{Source: f.Source, Column: col, Reason: fmt.Sprintf("want %s, got %.40s", want, v)}
	}
}

// String returns a JSON string ("" for null or absent), trimmed.
func (f *Fields) String(col string, v json.RawMessage) string {
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		return strings.TrimSpace(string(v[1 : len(v)-1]))
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		f.fail(col, "a string", v)
		return ""
	}
	return strings.TrimSpace(s)
}

// Float returns a JSON number, and false for null or absent.
func (f *Fields) Float(col string, v json.RawMessage) (float64, bool) {
	if len(v) == 0 || string(v) == "null" {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(v), 64)
	if err != nil || v[0] == '"' {
		f.fail(col, "a number", v)
		return 0, false
	}
	return x, true
}
