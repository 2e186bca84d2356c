package arcsecond

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/gcn"
	"github.com/arcsecond-go/arcsecond/internal/loadavg"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

const benchTopic = "gcn.notices.maxi.gsc.unknown"

// benchSubscriptions makes n subscriptions, all with webhooks to url:
// "bench" (Swift activities inside a MAXI alert within an hour) and, for
// the rest, 60 % activity subscriptions (a 0.5° cone and one of 20
// facilities), 30 % coincidence subscriptions (a 0.5° cone, an alert
// mission among 20) and 10 % alert subscriptions (a 5° cone, an alert
// mission among 20): the other subscriptions of a busy node, a few of
// which match too.
func benchSubscriptions(n int, url, secret string) []*subscribe.Subscription {
	r := rand.New(rand.NewPCG(1, 2))
	missions := []string{"MAXI", "Fermi", "Swift", "IceCube", "LVK", "CHIME", "SVOM", "Einstein Probe", "INTEGRAL", "AGILE"}
	for i := len(missions); i < 20; i++ {
		missions = append(missions, fmt.Sprintf("Mission %d", i))
	}
	facilities := []string{"Swift", "HST", "JWST", "VLT UT1", "Gemini North", "Keck I", "Subaru", "ALMA", "Chandra", "XMM-Newton"}
	for i := len(facilities); i < 20; i++ {
		facilities = append(facilities, fmt.Sprintf("Telescope %d", i))
	}
	cone := func(radius float64) subscribe.Region {
		return subscribe.Region{RA: r.Float64() * 360, Dec: 90 - 180*r.Float64(), Radius: radius}
	}
	hook := subscribe.Delivery{Webhook: &subscribe.WebhookTarget{URL: url, Secrets: []string{secret}}}
	subs := []*subscribe.Subscription{{ID: "bench", Criteria: subscribe.Criteria{
		Facilities: []string{"Swift"}, Alerts: &subscribe.AlertCriteria{Missions: []string{"MAXI"}}, Coincidence: &subscribe.Coincidence{WithinS: 3600},
	}, Delivery: hook}}
	for i := 1; i < n; i++ {
		s := &subscribe.Subscription{ID: fmt.Sprintf("s%06d", i), Delivery: hook}
		switch k := r.IntN(10); {
		case k < 6:
			s.Criteria = subscribe.Criteria{Facilities: []string{facilities[r.IntN(len(facilities))]}, Regions: []subscribe.Region{cone(0.5)}}
		case k < 9:
			s.Criteria = subscribe.Criteria{Regions: []subscribe.Region{cone(0.5)},
				Alerts: &subscribe.AlertCriteria{Missions: []string{missions[r.IntN(len(missions))]}}, Coincidence: &subscribe.Coincidence{WithinS: 3600}}
		default:
			s.Criteria = subscribe.Criteria{Alerts: &subscribe.AlertCriteria{Missions: []string{missions[r.IntN(len(missions))]}, Regions: []subscribe.Region{cone(5)}}}
		}
		subs = append(subs, s)
	}
	return subs
}

// benchPosition is the i-th point of a 4° grid between declinations −40°
// and +40°: a 1.5° alert circle around one holds no other.
func benchPosition(i int) (ra, dec float64) {
	return float64(i%90) * 4, -40 + float64((i/90)%21)*4
}

// BenchmarkNoticeToWebhook measures the latency from a GCN notice produced
// on a Kafka broker to the signed webhook of the coincidence it makes,
// received by a loopback receiver, through a whole node holding 10⁵
// subscriptions (BENCH_SUBS overrides): the in-process kfake broker, the
// node's GCN source (franz-go, consumer group), the decoder, the alert
// store, subscribe.Coincidences, the outbox (SQLite) and the dispatcher's
// webhook sender. The Swift observations are ingested first; then one
// pass over b.N distinct MAXI notices (each localized on one
// observation), produced one every 5 ms (BENCH_EVERY overrides). It
// reports p50, p99 and max (GC included), where each notice's time goes —
// produced → polled by the consumer (broker, fetch, waiting behind the
// notices before it) → decoded → matched (subscribe.Coincidences) →
// outbox (its notifications committed) → received by the webhook
// receiver, with the broker's acknowledgement of the produce beside — and
// the load average. b.N is at most 1890.
//
//	go test -run '^$' -bench NoticeToWebhook -benchtime 1000x .
func BenchmarkNoticeToWebhook(b *testing.B) {
	nsubs := 100_000
	if s := os.Getenv("BENCH_SUBS"); s != "" {
		fmt.Sscan(s, &nsubs)
	}
	every := 5 * time.Millisecond
	if s := os.Getenv("BENCH_EVERY"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("BENCH_EVERY: %v", err)
		}
		every = d
	}
	n := b.N
	if n > 1890 {
		b.Fatalf("b.N = %d: at most 1890 notices (the grid of observations)", n)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, benchTopic))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	addrs := c.ListenAddrs()

	// The receiver: the first webhook of each (activity, alert) pair of
	// the bench subscription.
	secret := subscribe.NewSecret()
	var mu sync.Mutex
	got := map[string]time.Time{}
	var bad, hooks int
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		now := time.Now()
		if subscribe.Verify(r.Header, body, now, 5*time.Minute, secret) != nil {
			mu.Lock()
			bad++
			mu.Unlock()
			w.WriteHeader(400)
			return
		}
		var p subscribe.AlertPayload
		json.Unmarshal(body, &p)
		mu.Lock()
		hooks++
		if p.Type == subscribe.TypeCoincidence && p.Data.Subscription == "bench" {
			k := p.Data.Activity.ID + " " + p.Data.Alert.ID
			if _, ok := got[k]; !ok {
				got[k] = now
			}
		}
		mu.Unlock()
		w.WriteHeader(204)
	}))
	defer recv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	buildStart := time.Now()
	node, err := NewNode(ctx, NodeOptions{
		Subscriptions:        benchSubscriptions(nsubs, recv.URL, secret),
		AllowPrivateWebhooks: true, Dispatch: DispatchOptions{Workers: 8},
		GCN: &gcn.Options{Brokers: addrs, Topics: []string{benchTopic}, Group: "bench", NoAuth: true, Plaintext: true, HeartbeatTopic: "-"},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer node.Close()
	loaded := fmt.Sprintf("%d subscriptions (%d activity, %d alert/coincidence) loaded in %v", node.index.Len(), node.index.Matcher.Len(), node.index.co.Len(), time.Since(buildStart).Round(time.Millisecond))
	// Where each notice's time goes: the produce acknowledged by the
	// broker, then the node's stages (nodeAlerts.trace), then the webhook.
	stages := []string{"polled", "decoded", "matched", "outbox"}
	at := map[string]map[string]time.Time{} // by alert ID, by stage
	stamp := func(id, stage string, t time.Time) {
		mu.Lock()
		defer mu.Unlock()
		if at[id] == nil {
			at[id] = map[string]time.Time{}
		}
		at[id][stage] = t
	}
	node.alerts.trace = stamp
	ran := make(chan error, 1)
	go func() { ran <- node.Run(ctx) }()

	// The observations: warm-up (index n) and one per notice, in [t0, t0+30 min].
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	ingestObservations(b, node, n+1, t0)
	prod, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.ProducerLinger(0), kgo.DefaultProduceTopic(benchTopic))
	if err != nil {
		b.Fatal(err)
	}
	defer prod.Close()
	notice := func(i int, id string) *kgo.Record { return benchNotice(i, id, t0) }
	key := func(i int, id string) string { return fmt.Sprintf("swift:bench-%d gcn:maxi.gsc.unknown:%s", i, id) }
	// Warm-up: the group joined, the partition assigned, the path hot.
	if err := prod.ProduceSync(ctx, notice(n, "warm")).FirstErr(); err != nil {
		b.Fatal(err)
	}
	waitUntil(b, "the warm-up webhook", 2*time.Minute, func() bool {
		mu.Lock()
		defer mu.Unlock()
		_, ok := got[key(n, "warm")]
		return ok
	})

	sent := make([]time.Time, n)
	b.ResetTimer()
	for i := range n {
		id := fmt.Sprintf("b%05d", i)
		sent[i] = time.Now()
		prod.Produce(ctx, notice(i, id), func(_ *kgo.Record, err error) {
			if err != nil {
				b.Errorf("produce: %v", err)
			}
			stamp("gcn:maxi.gsc.unknown:"+id, "acked", time.Now())
		})
		time.Sleep(every)
	}
	waitUntil(b, "every webhook", 5*time.Minute, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == n+1
	})
	b.StopTimer()
	lat, acked := make([]time.Duration, n), make([]time.Duration, n)
	step := make([][]time.Duration, len(stages)+1) // from the previous stage
	mu.Lock()
	for i := range n {
		id := fmt.Sprintf("b%05d", i)
		lat[i] = got[key(i, id)].Sub(sent[i])
		prev := sent[i]
		ts := at["gcn:maxi.gsc.unknown:"+id]
		acked[i] = ts["acked"].Sub(sent[i])
		for j, st := range stages {
			t, ok := ts[st]
			if !ok {
				b.Fatalf("notice %s: no %q time", id, st)
			}
			step[j] = append(step[j], t.Sub(prev))
			prev = t
		}
		step[len(stages)] = append(step[len(stages)], got[key(i, id)].Sub(prev))
	}
	total, badSigs := hooks, bad
	mu.Unlock()
	q := func(ds []time.Duration, p float64) time.Duration {
		return ds[min(len(ds)-1, int(p*float64(len(ds))))]
	}
	slices.Sort(lat)
	b.ReportMetric(float64(q(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(q(lat, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	if n == 1 && b.N == 1 {
		// The probe run before the timed one: testing keeps only the
		// first 10 lines a benchmark logs.
		return
	}
	row := func(what string, ds []time.Duration) {
		slices.Sort(ds)
		r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
		b.Logf("%-20s p50 %9v  p99 %9v  max %9v", what, r(q(ds, 0.5)), r(q(ds, 0.99)), r(ds[len(ds)-1]))
	}
	row("produced → acked", acked)
	from := "produced"
	for j, to := range append(slices.Clone(stages), "received") {
		row(from+" → "+to, step[j])
		from = to
	}
	b.Logf("%s; %d notices one every %v, %d webhooks in all (%d bad signatures); produced → received p50 %v p99 %v max %v; load average %s",
		loaded, n, every, total, badSigs, q(lat, 0.50), q(lat, 0.99), lat[len(lat)-1], loadavg.String())
	if badSigs > 0 {
		b.Errorf("%d webhooks with bad signatures", badSigs)
	}
	cancel()
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		b.Error("the node did not stop")
	}
}

// ingestObservations ingests count Swift observations at the grid's
// points from t0, and waits until the node has matched them all.
func ingestObservations(t testing.TB, node *Node, count int, t0 time.Time) {
	t.Helper()
	ctx := context.Background()
	var acts []activities.Activity
	for i := range count {
		ra, dec := benchPosition(i)
		acts = append(acts, testActivity(fmt.Sprintf("bench-%d", i), ra, dec, t0))
	}
	if _, err := node.Feed().Ingest(ctx, acts...); err != nil {
		t.Fatal(err)
	}
	last, err := node.store.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the observations to be matched", 5*time.Minute, func() bool {
		cur, err := node.outbox.Cursor(ctx)
		return err == nil && cur >= last
	})
}

// benchNotice is a MAXI JSON notice with this ID, localized within 1.5°
// of the grid's point i, triggered 10 min after t0.
func benchNotice(i int, id string, t0 time.Time) *kgo.Record {
	ra, dec := benchPosition(i)
	v := fmt.Sprintf(`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","alert_type":"initial","trigger_time":%q,"id":%q,"ra":%g,"dec":%g,"ra_dec_error":1.5}`,
		t0.Add(10*time.Minute).Format(time.RFC3339), id, ra, dec)
	return &kgo.Record{Value: []byte(v)}
}

// waitUntil polls cond until it holds or d passes.
func waitUntil(b testing.TB, what string, d time.Duration, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(time.Millisecond)
	}
}
