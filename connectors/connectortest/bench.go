package connectortest

import (
	"context"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// Benchmark lists the window w of src b.N times (open src on replayed
// data, so that it measures the connector, not the network) and reports
// activities/op, records/op and ns/activity beside the usual figures. A
// listing that fails stops the benchmark.
//
//	func BenchmarkListing(b *testing.B) {
//		connectortest.Benchmark(b, newReplayed(b), window)
//	}
func Benchmark(b *testing.B, src activities.Source, w activities.Window) {
	if src == nil {
		b.Fatal("connectortest: no source to benchmark")
	}
	b.ReportAllocs()
	acts, recs := 0, 0
	ctx := context.Background()
	for b.Loop() {
		var st connectors.Stats
		n := 0
		for _, err := range src.Activities(connectors.WithStats(ctx, &st), w) {
			if err != nil {
				b.Fatalf("listing: %v", err)
			}
			n++
		}
		acts += n
		recs += st.Records()
	}
	if b.N > 0 {
		b.ReportMetric(float64(acts)/float64(b.N), "activities/op")
		b.ReportMetric(float64(recs)/float64(b.N), "records/op")
	}
	if acts > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(acts), "ns/activity")
	}
}
