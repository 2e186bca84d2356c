package recorded

import (
	"bytes"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/nustar"
)

// The nustar-planned and nustar-asflown formats: the SOC's planned table
// (HTML, or re-serialized as CSV) and numaster rows (TAP VOTable, or
// astropy ASCII).
func init() {
	Register(Parser{
		Name: "nustar-planned", Help: "NuSTAR SOC planned schedule table (HTML page, or CSV)",
		Parse: fromResult(nustar.ParsePlanned),
		Recognize: func(p string, head []byte) bool {
			l := strings.ToLower(p)
			page := strings.HasSuffix(l, ".csv") || strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")
			return page && bytes.Contains(head, []byte("obs_start")) && bytes.Contains(head, []byte("sequenceID"))
		},
	})
	Register(Parser{
		Name: "nustar-asflown", Help: "NuSTAR as-flown rows of HEASARC numaster (VOTable, or astropy ASCII)",
		Parse: fromResult(nustar.ParseAsFlown),
		Recognize: func(p string, head []byte) bool {
			return (strings.HasSuffix(p, ".ascii") || isTable(p)) && bytes.Contains(head, []byte("observation_mode")) &&
				bytes.Contains(head, []byte("roll_angle"))
		},
	})
}
