package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/jwst"
)

// The jwst format: a JWST weekly observing schedule file (fixed-width
// text), without the MAST join (no positions).
func init() {
	Register(Parser{
		Name: jwst.Name, Help: "JWST weekly observing schedule (fixed-width text; no positions without MAST)",
		Parse: fromResult(jwst.ParseSchedule),
		Recognize: func(p string, head []byte) bool {
			return strings.HasSuffix(strings.ToLower(p), ".txt") && bytes.Contains(head, []byte("Visit Information for OP Package")) &&
				bytes.Contains(head, []byte("VISIT ID"))
		},
	})
}
