package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/euclid"
)

// The euclid format: a Euclid planned pointing file (text).
func init() {
	Register(Parser{
		Name: euclid.Name, Help: "Euclid planned pointing file (whitespace-separated records)",
		Parse: fromResult(euclid.Parse),
		Recognize: func(p string, head []byte) bool {
			return strings.HasSuffix(strings.ToLower(p), ".txt") && bytes.Contains(head, []byte("POINTING ")) &&
				(bytes.Contains(head, []byte("SLEW ")) || bytes.Contains(head, []byte("START ")))
		},
	})
}
