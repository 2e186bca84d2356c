package eso

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// BenchmarkListing runs connectortest.Benchmark on the replayed cassette:
// a whole listing (HTTP layer, parsing, normalization) per iteration.
func BenchmarkListing(b *testing.B) {
	s, err := New(Options{ADQL: replays[0].query, Format: "csv", Products: replays[0].products, HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(b, "testdata/"+replays[0].cassette, vcrtest.Repeatable()), Retries: -1, RatePerHost: -1}})
	if err != nil {
		b.Fatal(err)
	}
	connectortest.Benchmark(b, s, replays[0].window)
}
