package recorded

import (
	"bytes"

	"github.com/arcsecond-go/arcsecond/connectors/tess"
)

// The tess format: tesswcs's sector pointings file by itself (one
// placeholder activity per sector; the live source joins the orbit times).
func init() {
	Register(Parser{
		Name: tess.Name, Help: "TESS sector pointings (tesswcs pointings.csv; a placeholder per sector)",
		Parse: fromResult(tess.ParsePointingsOnly),
		Recognize: func(p string, head []byte) bool {
			return isTable(p) && bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff"), []byte("Cycle,Sector,RA,Dec,Roll,Start,End"))
		},
	})
}
