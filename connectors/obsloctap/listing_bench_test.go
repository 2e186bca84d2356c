package obsloctap

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// BenchmarkListing runs connectortest.Benchmark on the replayed cassette:
// a whole listing (TAP query, VOTable parsing, normalization, collapsing)
// per iteration.
func BenchmarkListing(b *testing.B) {
	s, err := New(Options{URL: cassetteURL, HTTPOptions: connectors.HTTPOptions{
		Transport: vcrtest.Replay(b, cassette, vcrtest.Repeatable()), Retries: -1, RatePerHost: -1}})
	if err != nil {
		b.Fatal(err)
	}
	connectortest.Benchmark(b, s, chandraWindow)
}
