package obscore

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// BenchmarkListing runs connectortest.Benchmark on the replayed cassette:
// a whole listing (HTTP layer, parsing, normalization) per iteration.
func BenchmarkListing(b *testing.B) {
	s, err := New(Options{URL: dachsCassetteURL, HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(b, "testdata/dachs_obscore", vcrtest.Repeatable()), Retries: -1, RatePerHost: -1}})
	if err != nil {
		b.Fatal(err)
	}
	connectortest.Benchmark(b, s, dachsWindow)
}
