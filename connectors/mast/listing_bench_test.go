package mast

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// BenchmarkListing runs connectortest.Benchmark on the replayed cassette:
// a whole listing (HTTP layer, parsing, normalization) per iteration.
func BenchmarkListing(b *testing.B) {
	connectortest.Benchmark(b, archivetest.Replay(b, open, "testdata/galex"), galexWindow)
}
