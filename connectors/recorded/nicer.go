package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/nicer"
)

// The nicer format: NICER's predicted timeline CSV.
func init() {
	Register(Parser{
		Name: nicer.Name, Help: "NICER predicted observation timeline (CSV)",
		Parse: fromResult(nicer.Parse),
		Recognize: func(p string, head []byte) bool {
			return strings.HasSuffix(strings.ToLower(p), ".csv") && bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff"), []byte("ObsID,Target,TargetID,Start,Stop"))
		},
	})
}
