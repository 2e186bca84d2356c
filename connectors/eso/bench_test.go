package eso

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// BenchmarkParse reports records normalized per second from the recorded
// ESO replies (raw frames from dbo.raw and ist.sinfoni, ObsCore products).
func BenchmarkParse(b *testing.B) {
	for _, r := range replays {
		body := archivetest.Read(b, "testdata/"+r.file)
		parse := ParseRaw
		if r.products[0] == Processed {
			parse = ParseProcessed
		}
		b.Run(r.cassette, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			if _, err := parse(body); err != nil { // loads the catalogs once, outside the timing
				b.Fatal(err)
			}
			archivetest.Normalize(b, body, parse)
		})
	}
}
