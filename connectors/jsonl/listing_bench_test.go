package jsonl_test

import (
	"os"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/connectors/jsonl"
)

// BenchmarkListing runs connectortest.Benchmark on the example feed served
// by a local server.
func BenchmarkListing(b *testing.B) {
	body, err := os.ReadFile("testdata/example.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	srv := serve(b, body)
	s, err := jsonl.New(jsonl.Options{Name: "example", URL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	connectortest.Benchmark(b, s, window)
}
