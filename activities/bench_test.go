package activities_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/sqlitestore"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

// BenchmarkFeedFanout measures the feed's throughput: activities ingested in
// polls of 100 (half of them repeats that de-duplication must drop), and
// every new one delivered to 100 consumers. One op is one activity listed.
func BenchmarkFeedFanout(b *testing.B) {
	for _, consumers := range []int{1, 100} {
		for _, storeName := range []string{"memory", "sqlite"} {
			b.Run(fmt.Sprintf("consumers=%d/store=%s", consumers, storeName), func(b *testing.B) {
				benchFanout(b, consumers, storeName)
			})
		}
	}
}

func benchFanout(b *testing.B, consumers int, storeName string) {
	ctx := context.Background()
	var store activities.Store = activities.NewMemoryStore()
	if storeName == "sqlite" {
		db, err := sqlitedb.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		s, err := sqlitestore.New(db)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		store = s
	}
	f := activities.NewFeed(activities.FeedOptions{Store: store})
	var wg sync.WaitGroup
	subs := make([]*activities.Subscription, consumers)
	for i := range subs {
		subs[i] = f.Subscribe(activities.SubscribeOptions{Buffer: 1024, Policy: activities.Block})
		wg.Add(1)
		go func(s *activities.Subscription) {
			defer wg.Done()
			for range s.C() {
			}
		}(subs[i])
	}
	const batch = 100
	pool := make([]activities.Activity, 0, b.N+batch)
	for i := range b.N/2 + batch {
		a := act(i, 1)
		a.ID = fmt.Sprintf("t:%09d", i)
		pool = append(pool, a)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	announced := 0
	// Each poll lists 50 new activities and 50 already seen.
	for done, next := 0, 0; done < b.N; done += batch {
		polled := make([]activities.Activity, 0, batch)
		polled = append(polled, pool[next:next+batch/2]...)
		old := max(0, next-batch/2)
		polled = append(polled, pool[old:old+batch/2]...)
		next += batch / 2
		n, err := f.Ingest(ctx, polled...)
		if err != nil {
			b.Fatal(err)
		}
		announced += n
	}
	for _, s := range subs {
		s.Close()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "listed/s")
	b.ReportMetric(float64(announced)/time.Since(start).Seconds(), "announced/s")
}
