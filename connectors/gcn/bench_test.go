package gcn

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/arcsecond-go/arcsecond/internal/loadavg"
)

// BenchmarkNoticeToDecoded measures the latency from a notice produced on
// the broker (the produce call on an in-process kfake cluster, over
// loopback TCP with SASL/OAUTHBEARER) to the decoded activity or alert in
// the Source's handler: one pass over b.N distinct notices, alternately
// GCN Classic SWIFT_POINTDIR packets and JSON MAXI notices, produced one
// every 2 ms. It reports p50 and p99 (GC included) and the load average.
//
//	go test -run '^$' -bench NoticeToDecoded -benchtime 2000x ./connectors/gcn
func BenchmarkNoticeToDecoded(b *testing.B) {
	o := newFakeOIDC(b, time.Hour)
	var auth brokerAuth
	c := testCluster(b, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()

	s, err := NewSource(Options{
		Brokers: addrs, Topics: []string{topicPoint, topicMaxi}, Group: "bench",
		ClientID: o.id, ClientSecret: o.secret, TokenURL: o.srv.URL, Plaintext: true,
		HTTPClient: o.srv.Client(), Logger: quietLogger(),
	})
	if err != nil {
		b.Fatal(err)
	}
	// Warm up: the group is joined and the partitions assigned before timing.
	warm := make(chan struct{})
	var once sync.Once
	type stamp struct {
		sent time.Time
		got  time.Time
	}
	n := b.N
	stamps := make([]stamp, n)
	keys := make(map[string]int, n)
	payloads := make([]*kgo.Record, n)
	for i := range n {
		topic, v, k := testNotice(b, i)
		keys[k] = i
		payloads[i] = &kgo.Record{Topic: topic, Value: v}
	}
	var mu sync.Mutex
	left := n
	all := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx, func(_ context.Context, m Message) error {
		now := time.Now()
		id := ""
		if len(m.Notice.Activities) > 0 {
			id = m.Notice.Activities[0].ID
		} else if len(m.Notice.Alerts) > 0 {
			id = m.Notice.Alerts[0].ID
		}
		if id == "warmup" || strings.HasSuffix(id, ":warm") {
			once.Do(func() { close(warm) })
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if i, ok := keys[id]; ok && stamps[i].got.IsZero() {
			stamps[i].got = now
			if left--; left == 0 {
				close(all)
			}
		}
		return nil
	})
	prod, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.ProducerLinger(0))
	if err != nil {
		b.Fatal(err)
	}
	defer prod.Close()
	warmV := `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","trigger_time":"2023-02-20T08:56:01Z","id":"warm"}`
	for {
		prod.ProduceSync(ctx, &kgo.Record{Topic: topicMaxi, Value: []byte(warmV)})
		select {
		case <-warm:
		case <-time.After(500 * time.Millisecond):
			continue
		}
		break
	}
	b.ResetTimer()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for i := range n {
		<-tick.C
		mu.Lock()
		stamps[i].sent = time.Now()
		mu.Unlock()
		prod.Produce(ctx, payloads[i], func(_ *kgo.Record, err error) {
			if err != nil {
				b.Error(err)
			}
		})
	}
	select {
	case <-all:
	case <-time.After(60 * time.Second):
		b.Fatalf("only %d of %d notices arrived", n-left, n)
	}
	b.StopTimer()
	lat := make([]time.Duration, n)
	for i, s := range stamps {
		lat[i] = s.got.Sub(s.sent)
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	b.ReportMetric(float64(p(0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(p(0.99).Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
	if l, err := loadavg.Read(); err == nil {
		b.ReportMetric(l[0], "loadavg-1m")
	}
}
