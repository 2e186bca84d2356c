package recorded

import (
	"bytes"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obsloctap"
)

// The obsloctap format: a TAP reply (VOTable or CSV) of any service's
// ivoa.obsplan (ObsLocTAP 1.0).
func init() {
	Register(Parser{
		Name: obsloctap.Name, Help: "ObsLocTAP reply (VOTable or CSV) of any service's ivoa.obsplan",
		Parse: fromResult(func(b []byte) (*archive.Result, error) {
			return obsloctap.ParseReply(b, &obsloctap.Converter{Source: obsloctap.Name})
		}),
		Recognize: func(p string, head []byte) bool {
			return isTable(p) && bytes.Contains(head, []byte("execution_status")) && bytes.Contains(head, []byte("t_planning"))
		},
	})
}
