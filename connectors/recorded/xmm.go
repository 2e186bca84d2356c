package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/xmm"
)

// The xmm format: XMM-Newton's short-term schedule table (HTML page, or
// its CSV re-serialization).
func init() {
	Register(Parser{
		Name: xmm.Name, Help: "XMM-Newton short-term schedule table (HTML page, or CSV)",
		Parse: fromResult(xmm.Parse),
		Recognize: func(p string, head []byte) bool {
			l := strings.ToLower(p)
			page := strings.HasSuffix(l, ".csv") || strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")
			return page && bytes.Contains(head, []byte("UTC Obs Start yyyy-mm-dd hh:mm:ss"))
		},
	})
}
