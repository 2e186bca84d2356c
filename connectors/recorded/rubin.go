package recorded

import (
	"bytes"

	"github.com/arcsecond-go/arcsecond/connectors/rubin"
)

// The rubin format: a reply of Rubin's /obsloctap/schedule (JSON rows).
func init() {
	Register(Parser{
		Name: rubin.Name, Help: "Rubin ObsLocTAP /obsloctap/schedule reply (JSON array of obsplan rows)",
		Parse: fromResult(rubin.ParseSchedule),
		Recognize: func(p string, head []byte) bool {
			return isJSON(p) && startsWith(head, '[') && bytes.Contains(head, []byte(`"execution_status"`)) &&
				bytes.Contains(head, []byte(`"rubin_`))
		},
	})
}
