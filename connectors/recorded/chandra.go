package recorded

import (
	"bytes"

	"github.com/arcsecond-go/arcsecond/connectors/chandra"
)

// The chandra format: a CXC TAP reply of the cxc.observation query.
func init() {
	Register(Parser{
		Name: chandra.Name, Help: "Chandra CXC TAP reply (VOTable) of scheduled cxc.observation rows",
		Parse: fromResult(chandra.ParseObservations),
		Recognize: func(p string, head []byte) bool {
			return isTable(p) && bytes.Contains(head, []byte(`name="obsid"`)) && bytes.Contains(head, []byte(`name="exposure_mode"`))
		},
	})
}
