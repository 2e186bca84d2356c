package mast

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// BenchmarkListing runs connectortest.Benchmark on the replayed cassette:
// a whole listing (HTTP layer, parsing, normalization) per iteration.
func BenchmarkListing(b *testing.B) {
	connectortest.Benchmark(b, open(b, vcrtest.Replay(b, "testdata/galex", vcrtest.Repeatable())), galexWindow)
}
