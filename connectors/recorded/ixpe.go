package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/ixpe"
)

// The ixpe format: IXPE's Long-Term Plan page (HTML).
func init() {
	Register(Parser{
		Name: ixpe.Name, Help: "IXPE Long-Term Plan page (HTML)",
		Parse: fromResult(ixpe.Parse),
		Recognize: func(p string, head []byte) bool {
			l := strings.ToLower(p)
			return (strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")) && bytes.Contains(head, []byte("IXPE: Long Term Plan"))
		},
	})
}
