package arcsecond

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkListActivities measures GET /api/activities?limit=100 over
// 3,000 activities through the handler, with the page cache (the same
// query while nothing new arrives: a dashboard's poll) and without it, and
// distinct queries with the cache (each a miss: its cost).
//
//	go test -run '^$' -bench ListActivities -benchtime 2000x .
func BenchmarkListActivities(b *testing.B) {
	acts := syntheticActivities(b, 3000)
	base := acts[0].Start
	for _, c := range []struct {
		name     string
		cache    int
		distinct bool
	}{{"cached", 0, false}, {"uncached", -1, false}, {"misses", 0, true}} {
		b.Run(c.name, func(b *testing.B) {
			n, err := NewNode(context.Background(), NodeOptions{Store: storeOf(b, acts), PageCacheBytes: c.cache})
			if err != nil {
				b.Fatal(err)
			}
			defer n.Close()
			h := n.Handler()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				q := "/api/activities?limit=100"
				if c.distinct {
					i++
					q += "&end=" + base.Add(4000*time.Minute+time.Duration(i)*time.Second).Format(time.RFC3339)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", q, nil))
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
