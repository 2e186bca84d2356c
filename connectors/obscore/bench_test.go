package obscore

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// BenchmarkParse reports records normalized per second from the recorded
// DaCHS replies (VOTable and CSV, 40 rows each) and pyvo's GAVO reply.
func BenchmarkParse(b *testing.B) {
	vot := dachsBody(b)
	pyvo := archivetest.Read(b, "testdata/obscore-image.xml")
	csv := dachsCSV(b)
	for _, c := range []struct {
		name string
		body []byte
	}{{"dachs-votable", vot}, {"dachs-csv", csv}, {"gavo-votable", pyvo}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			archivetest.Normalize(b, c.body, func(body []byte) (*connectors.Reply, error) {
				return ParseReply(body, &Converter{Source: "bench"})
			})
		})
	}
}
