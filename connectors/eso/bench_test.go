package eso

import (
	"os"
	"testing"
)

// BenchmarkParse reports records normalized per second from the recorded
// ESO replies (raw frames from dbo.raw and ist.sinfoni, ObsCore products).
func BenchmarkParse(b *testing.B) {
	for _, r := range replays {
		body, err := os.ReadFile("testdata/" + r.file)
		if err != nil {
			b.Fatal(err)
		}
		parse := ParseRaw
		if r.products[0] == Processed {
			parse = ParseProcessed
		}
		b.Run(r.cassette, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			if _, err := parse(body); err != nil { // loads the catalogs once, outside the timing
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				res, err := parse(body)
				if err != nil {
					b.Fatal(err)
				}
				n += res.Records
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
