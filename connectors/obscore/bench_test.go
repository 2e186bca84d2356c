package obscore

import (
	"os"
	"testing"
)

// BenchmarkParse reports records normalized per second from the recorded
// DaCHS replies (VOTable and CSV, 40 rows each) and pyvo's GAVO reply.
func BenchmarkParse(b *testing.B) {
	vot := dachsBody(b)
	pyvo, err := os.ReadFile("testdata/obscore-image.xml")
	if err != nil {
		b.Fatal(err)
	}
	csv := dachsCSV(b)
	for _, c := range []struct {
		name string
		body []byte
	}{{"dachs-votable", vot}, {"dachs-csv", csv}, {"gavo-votable", pyvo}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			n := 0
			for b.Loop() {
				res, err := ParseReply(c.body, &Converter{Source: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				n += res.Records
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
