package obscore

import (
	"os"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// FuzzParseReply feeds arbitrary bytes to the VOTable and CSV paths: any
// input gives activities that validate, or an error, never a panic.
func FuzzParseReply(f *testing.F) {
	if b, err := os.ReadFile("testdata/obscore-image.xml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("obs_id,t_min,t_max,s_ra,s_dec,s_region,facility_name\na,58000.5,58000.6,10,-20,POLYGON ICRS 1 2 3 4 5 6,X\n"))
	f.Add([]byte("obs_id,t_min,s_ra,s_dec\n\"a,1e300,nan,-inf\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseReply(b, &Converter{Source: "fz", Facility: "F"})
		archivetest.Check(t, res, err)
	})
}
