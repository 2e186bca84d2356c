package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/xrism"
)

// The xrism format: XRISM's short-term schedule page (HTML), without the
// exposure tables (no ends).
func init() {
	Register(Parser{
		Name: xrism.Name, Help: "XRISM short-term schedule page (HTML; no exposures without the proposal and ToO tables)",
		Parse: fromResult(func(b []byte) (*archive.Result, error) { return xrism.ParseSchedule(b, nil) }),
		Recognize: func(p string, head []byte) bool {
			return strings.HasSuffix(strings.ToLower(p), ".html") && bytes.Contains(head, []byte("Mnv start time (UT)"))
		},
	})
}
