package gcn

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// fakeOIDC is an in-process OAuth 2.0 token endpoint (client-credentials
// grant, client authentication by HTTP Basic) that issues opaque tokens
// with a fixed lifetime and remembers them, so that the fake broker can
// check the tokens it is shown.
type fakeOIDC struct {
	srv        *httptest.Server
	id, secret string
	ttl        time.Duration

	mu     sync.Mutex
	tokens map[string]time.Time
	issued int
}

func newFakeOIDC(t testing.TB, ttl time.Duration) *fakeOIDC {
	o := &fakeOIDC{id: "arcsecond-test-client", secret: "s3cret-do-not-log", ttl: ttl, tokens: map[string]time.Time{}}
	o.srv = httptest.NewServer(http.HandlerFunc(o.serve))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *fakeOIDC) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	u, p, ok := r.BasicAuth()
	u, _ = url.QueryUnescape(u)
	p, _ = url.QueryUnescape(p)
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"unsupported_grant_type"}`)
		return
	}
	if !ok || u != o.id || p != o.secret {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_client","error_description":"bad client credentials"}`)
		return
	}
	o.mu.Lock()
	o.issued++
	tok := fmt.Sprintf("tok-%d-%d", o.issued, time.Now().UnixNano())
	o.tokens[tok] = time.Now().Add(o.ttl)
	o.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": o.ttl.Seconds()})
}

// valid reports how long tok remains valid, and whether it is.
func (o *fakeOIDC) valid(tok string) (time.Duration, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	exp, ok := o.tokens[tok]
	if !ok {
		return 0, false
	}
	rem := time.Until(exp)
	return rem, rem > 0
}

func (o *fakeOIDC) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.issued
}

// brokerAuth makes a kfake cluster check SASL/OAUTHBEARER (RFC 7628):
// the handshake accepts only OAUTHBEARER, and the authentication accepts
// only a token the fake OIDC endpoint issued and that has not expired; the
// session lasts as long as the token (KIP-368), so the client must
// re-authenticate with a fresh token mid-stream.
type brokerAuth struct {
	ok, refused atomic.Int64
}

func (b *brokerAuth) install(c *kfake.Cluster, o *fakeOIDC) {
	c.ControlKey(int16(kmsg.SASLHandshake), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req := kr.(*kmsg.SASLHandshakeRequest)
		resp := req.ResponseKind().(*kmsg.SASLHandshakeResponse)
		resp.SupportedMechanisms = []string{"OAUTHBEARER"}
		if req.Mechanism != "OAUTHBEARER" {
			resp.ErrorCode = kerr.UnsupportedSaslMechanism.Code
		}
		return resp, nil, true
	})
	c.ControlKey(int16(kmsg.SASLAuthenticate), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req := kr.(*kmsg.SASLAuthenticateRequest)
		resp := req.ResponseKind().(*kmsg.SASLAuthenticateResponse)
		msg := string(req.SASLAuthBytes)
		tok := ""
		if i := strings.Index(msg, "auth=Bearer "); i >= 0 {
			tok, _, _ = strings.Cut(msg[i+len("auth=Bearer "):], "\x01")
		}
		rem, ok := o.valid(tok)
		if !ok {
			b.refused.Add(1)
			resp.ErrorCode = kerr.SaslAuthenticationFailed.Code
			m := "invalid or expired token"
			resp.ErrorMessage = &m
			return resp, nil, true
		}
		b.ok.Add(1)
		resp.SessionLifetimeMillis = rem.Milliseconds()
		return resp, nil, true
	})
}

const (
	topicPoint = "gcn.classic.binary.SWIFT_POINTDIR"
	topicMaxi  = "gcn.notices.maxi.gsc.unknown"
)

// testCluster starts a kfake cluster with the test topics and the OAUTHBEARER
// check; extra options (DataDir, Ports) come first.
func testCluster(t testing.TB, o *fakeOIDC, auth *brokerAuth, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	opts = append(opts, kfake.NumBrokers(1), kfake.SeedTopics(4, topicPoint, topicMaxi, DefaultHeartbeatTopic))
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	auth.install(c, o)
	return c
}

// notice i: even ones are SWIFT_POINTDIR packets (the recorded one with
// target ID 100000+i), odd ones MAXI JSON notices with ID i. key(i) is the
// ID of what it decodes to.
func testNotice(t testing.TB, i int) (topic string, value []byte, key string) {
	if i%2 == 0 {
		b, err := os.ReadFile("testdata/classic/SWIFT_POINTDIR/example.bin")
		if err != nil {
			t.Fatal(err)
		}
		binary.BigEndian.PutUint32(b[16:], uint32(100000+i))
		return topicPoint, b, fmt.Sprintf("swift:%08d000", 100000+i)
	}
	v := fmt.Sprintf(`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","alert_type":"initial","trigger_time":"2023-02-20T08:56:01Z","id":"n%06d","ra":346.56,"dec":18.61,"ra_dec_error":1.5}`, i)
	return topicMaxi, []byte(v), fmt.Sprintf("gcn:maxi.gsc.unknown:n%06d", i)
}

func produce(t testing.TB, addrs []string, recs ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.ProducerLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

func produceNotices(t testing.TB, addrs []string, from, to int) map[string]bool {
	want := map[string]bool{}
	var recs []*kgo.Record
	for i := from; i < to; i++ {
		topic, v, k := testNotice(t, i)
		want[k] = true
		recs = append(recs, &kgo.Record{Topic: topic, Value: v, Key: []byte(strconv.Itoa(i))})
	}
	produce(t, addrs, recs...)
	return want
}

// collector records what a handler saw.
type collector struct {
	mu   sync.Mutex
	seen map[string]int
	n    int
}

func (c *collector) handle(_ context.Context, m Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]int{}
	}
	for _, a := range m.Notice.Activities {
		c.seen[a.ID]++
	}
	for _, a := range m.Notice.Alerts {
		c.seen[a.ID]++
	}
	c.n++
	return nil
}

func (c *collector) unique() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

func (c *collector) check(t *testing.T, want map[string]bool) (dups int) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range want {
		if c.seen[k] == 0 {
			t.Errorf("notice %s was never processed", k)
		}
	}
	for k, n := range c.seen {
		if !want[k] {
			t.Errorf("processed %s, which was not produced", k)
		}
		dups += n - 1
	}
	return dups
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testSource is a Source on the cluster with the fake OIDC credentials and
// short group timeouts.
func testSource(t *testing.T, addrs []string, o *fakeOIDC, logger *slog.Logger, extra ...kgo.Opt) *Source {
	t.Helper()
	if logger == nil {
		logger = quietLogger()
	}
	s, err := NewSource(Options{
		Brokers: addrs, Topics: []string{topicPoint, topicMaxi}, Group: "test-group",
		ClientID: o.id, ClientSecret: o.secret, TokenURL: o.srv.URL, Plaintext: true,
		HTTPClient: o.srv.Client(), Logger: logger, MaxPollRecords: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.opts.extra = append([]kgo.Opt{kgo.SessionTimeout(6 * time.Second), kgo.HeartbeatInterval(300 * time.Millisecond), kgo.RebalanceTimeout(10 * time.Second)}, extra...)
	return s
}

func runSource(t *testing.T, s *Source, h Handler) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, h) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				err = fmt.Errorf("Run did not return within 30 s of cancellation")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestSourceEndToEnd: notices, heartbeats and a poison message go through
// OAUTHBEARER to the handler; the poison message is logged, counted and
// skipped with its offset committed; a restarted consumer in the same group
// receives nothing again.
func TestSourceEndToEnd(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	want := produceNotices(t, addrs, 0, 40)
	produce(t, addrs,
		&kgo.Record{Topic: topicMaxi, Value: []byte(`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","id":"x"}`)}, // poison: no trigger_time
		&kgo.Record{Topic: DefaultHeartbeatTopic, Value: []byte(`{"$schema":"https://gcn.nasa.gov/docs/schema/v4.1.0/gcn/notices/core/Alert.schema.json","alert_datetime":"` + time.Now().UTC().Format(time.RFC3339Nano) + `"}`)},
	)
	var logbuf syncBuffer
	s := testSource(t, addrs, o, slog.New(slog.NewTextHandler(&logbuf, nil)))
	if h := s.Health(time.Now()); h.Healthy {
		t.Errorf("healthy before any heartbeat: %+v", h)
	}
	var col collector
	stop := runSource(t, s, col.handle)
	waitFor(t, "40 notices and the poison message", 30*time.Second, func() bool {
		st := s.Stats()
		return col.unique() == 40 && st.Poison == 1 && st.Heartbeats == 1
	})
	if err := stop(); err != context.Canceled {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if d := col.check(t, want); d != 0 {
		t.Errorf("%d duplicates without any failure", d)
	}
	if h := s.Health(time.Now()); !h.Healthy {
		t.Errorf("unhealthy after a heartbeat: %+v", h)
	}
	if h := s.Health(time.Now().Add(time.Minute)); h.Healthy || !strings.Contains(h.Reason, "last heartbeat") {
		t.Errorf("a minute without heartbeat is healthy: %+v", h)
	}
	logs := logbuf.String()
	if !strings.Contains(logs, "does not decode") || !strings.Contains(logs, "trigger_time") || !strings.Contains(logs, "offset=") {
		t.Errorf("the poison message was not logged with its offset and reason:\n%s", logs)
	}
	if strings.Contains(logs, o.secret) {
		t.Error("the client secret appears in the logs")
	}
	if auth.ok.Load() == 0 {
		t.Error("the broker saw no OAUTHBEARER authentication")
	}
	// Restart in the same group: every offset (poison included) was
	// committed, so nothing comes again; new notices do.
	more := produceNotices(t, addrs, 40, 44)
	s2 := testSource(t, addrs, o, nil)
	var col2 collector
	stop2 := runSource(t, s2, col2.handle)
	waitFor(t, "the 4 new notices", 30*time.Second, func() bool { return col2.unique() == 4 })
	time.Sleep(300 * time.Millisecond)
	stop2()
	col2.check(t, more)
	if st := s2.Stats(); st.Poison != 0 {
		t.Errorf("the poison message came again after restart: %+v", st)
	}
}

// TestTokenExpiryMidStream: tokens live 2 s and the broker ends each
// session when its token expires; the consumer fetches new tokens and
// re-authenticates while notices keep arriving.
func TestTokenExpiryMidStream(t *testing.T) {
	o := newFakeOIDC(t, 2*time.Second)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	s := testSource(t, addrs, o, nil)
	var col collector
	stop := runSource(t, s, col.handle)
	want := map[string]bool{}
	for i := 0; i < 30; i++ {
		for k := range produceNotices(t, addrs, i, i+1) {
			want[k] = true
		}
		time.Sleep(200 * time.Millisecond)
	}
	waitFor(t, "30 notices", 30*time.Second, func() bool { return col.unique() == 30 })
	stop()
	col.check(t, want)
	if n := o.count(); n < 3 {
		t.Errorf("only %d tokens fetched over 6 s of 2 s tokens", n)
	}
	if n := auth.ok.Load(); n < 3 {
		t.Errorf("only %d authentications: the consumer did not re-authenticate", n)
	}
	t.Logf("tokens fetched %d, authentications %d, refused %d", o.count(), auth.ok.Load(), auth.refused.Load())
}

// TestBadCredentials: a refused client is a clear error naming the client,
// never the secret.
func TestBadCredentials(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	ts := &tokenSource{url: o.srv.URL, id: o.id, secret: "wrong-secret-value", hc: o.srv.Client(), now: time.Now}
	_, err := ts.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "invalid_client") || !strings.Contains(err.Error(), o.id) || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("got %v", err)
	}
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	if _, err := NewSource(Options{Topics: []string{"x"}}); err == nil || !strings.Contains(err.Error(), EnvClientSecret) {
		t.Errorf("missing credentials: %v", err)
	}
	if _, err := NewSource(Options{NoAuth: true}); err == nil || !strings.Contains(err.Error(), "Topics") {
		t.Errorf("missing topics: %v", err)
	}
	t.Setenv(EnvClientID, "env-id")
	t.Setenv(EnvClientSecret, "env-secret")
	s, err := NewSource(Options{Topics: []string{"x"}})
	if err != nil || s.tokens.id != "env-id" || s.tokens.secret != "env-secret" || s.opts.Brokers[0] != DefaultBroker || s.opts.TokenURL != DefaultTokenURL {
		t.Errorf("credentials from the environment: %v %+v", err, s)
	}
}

// TestTokenRefreshBeforeExpiry: a cached token is reused until a fifth of
// its lifetime remains, then replaced.
func TestTokenRefreshBeforeExpiry(t *testing.T) {
	o := newFakeOIDC(t, 100*time.Second)
	now := time.Now()
	ts := &tokenSource{url: o.srv.URL, id: o.id, secret: o.secret, hc: o.srv.Client(), now: func() time.Time { return now }}
	t1, err := ts.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(79 * time.Second)
	if t2, _ := ts.Token(context.Background()); t2 != t1 {
		t.Error("token replaced before 80% of its lifetime")
	}
	now = now.Add(2 * time.Second)
	if t3, _ := ts.Token(context.Background()); t3 == t1 {
		t.Error("token not replaced after 80% of its lifetime")
	}
	if ts.fetches != 2 {
		t.Errorf("%d fetches", ts.fetches)
	}
}

// TestBrokerRestart: the broker stops mid-stream and comes back on the same
// port with its data; the consumer resumes and loses nothing.
func TestBrokerRestart(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	dir := t.TempDir()
	c := testCluster(t, o, &auth, kfake.DataDir(dir), kfake.SyncWrites())
	addrs := c.ListenAddrs()
	_, portStr, _ := net.SplitHostPort(addrs[0])
	port, _ := strconv.Atoi(portStr)
	want := produceNotices(t, addrs, 0, 50)
	s := testSource(t, addrs, o, nil)
	var col collector
	stop := runSource(t, s, col.handle)
	waitFor(t, "the first 50 notices", 30*time.Second, func() bool { return col.unique() == 50 })
	c.Close()
	time.Sleep(500 * time.Millisecond)
	c2 := testCluster(t, o, &auth, kfake.DataDir(dir), kfake.SyncWrites(), kfake.Ports(port))
	defer c2.Close()
	for k := range produceNotices(t, c2.ListenAddrs(), 50, 100) {
		want[k] = true
	}
	waitFor(t, "100 notices across the restart", 60*time.Second, func() bool { return col.unique() == 100 })
	stop()
	dups := col.check(t, want)
	t.Logf("duplicates after the broker restart: %d", dups)
}

// TestRebalance: a second consumer joins the group mid-stream, then the
// first leaves; every notice is processed, and exactly once after
// de-duplication.
func TestRebalance(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	var col collector // shared: de-duplication across members
	s1 := testSource(t, addrs, o, nil)
	stop1 := runSource(t, s1, col.handle)
	want := produceNotices(t, addrs, 0, 100)
	waitFor(t, "first member processing", 30*time.Second, func() bool { return col.unique() >= 100 })
	s2 := testSource(t, addrs, o, nil)
	stop2 := runSource(t, s2, col.handle)
	if _, err := c.WaitGroupStable(t.Context(), "test-group", 2); err != nil {
		t.Fatalf("group did not stabilize with two members: %v", err)
	}
	for k := range produceNotices(t, addrs, 100, 200) {
		want[k] = true
	}
	waitFor(t, "200 notices with two members", 60*time.Second, func() bool { return col.unique() == 200 })
	stop1()
	for k := range produceNotices(t, addrs, 200, 300) {
		want[k] = true
	}
	waitFor(t, "300 notices after the first member left", 60*time.Second, func() bool { return col.unique() == 300 })
	stop2()
	if s2.Stats().Notices == 0 {
		t.Error("the second member processed nothing: no rebalance happened")
	}
	dups := col.check(t, want)
	t.Logf("member 1: %d notices, member 2: %d, duplicates %d", s1.Stats().Notices, s2.Stats().Notices, dups)
}

// TestBurst: ten times the usual batch at once (1000 notices on 100-record
// polls) is processed completely, each notice once.
func TestBurst(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	want := produceNotices(t, addrs, 0, 1000)
	s := testSource(t, addrs, o, nil)
	var col collector
	stop := runSource(t, s, col.handle)
	waitFor(t, "1000 notices", 60*time.Second, func() bool { return col.unique() == 1000 })
	stop()
	if d := col.check(t, want); d != 0 {
		t.Errorf("%d duplicates without any failure", d)
	}
}

// TestHandlerErrorRedelivers: a handler error stops Run with the notice's
// offset uncommitted; the next run delivers it again.
func TestHandlerErrorRedelivers(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	want := produceNotices(t, addrs, 0, 10)
	_, _, failKey := testNotice(t, 5)
	var col collector
	failed := false
	h := func(ctx context.Context, m Message) error {
		for _, a := range m.Notice.Alerts {
			if a.ID == failKey && !failed {
				failed = true
				return fmt.Errorf("store unavailable")
			}
		}
		return col.handle(ctx, m)
	}
	s := testSource(t, addrs, o, nil)
	err := s.Run(t.Context(), h)
	if err == nil || !strings.Contains(err.Error(), "store unavailable") || !strings.Contains(err.Error(), topicMaxi) {
		t.Fatalf("Run returned %v", err)
	}
	s2 := testSource(t, addrs, o, nil)
	stop := runSource(t, s2, h)
	waitFor(t, "all 10 notices after the restart", 30*time.Second, func() bool { return col.unique() == 10 })
	stop()
	col.check(t, want)
}

// TestRunBatchRedeliversTheBatch: RunBatch hands each poll's notices at
// once (heartbeats and poison messages left out, with their times); an
// error stops it with none of the batch committed, so that the next run
// hands every notice of that batch again, and nothing else twice.
func TestRunBatchRedeliversTheBatch(t *testing.T) {
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	want := produceNotices(t, addrs, 0, 40)
	produce(t, addrs, &kgo.Record{Topic: topicMaxi, Value: []byte("not a notice")})
	_, _, failKey := testNotice(t, 25)
	var col collector
	var mu sync.Mutex
	var failedBatch map[string]bool // the IDs of the batch that failed
	batches := 0
	h := func(ctx context.Context, ms []Message) error {
		mu.Lock()
		defer mu.Unlock()
		batches++
		ids := map[string]bool{}
		for _, m := range ms {
			if m.Polled.IsZero() || m.Decoded.Before(m.Polled) {
				t.Errorf("%s@%d: polled %v, decoded %v", m.Topic, m.Offset, m.Polled, m.Decoded)
			}
			for _, a := range m.Notice.Alerts {
				ids[a.ID] = true
			}
			for _, a := range m.Notice.Activities {
				ids[a.ID] = true
			}
		}
		if ids[failKey] && failedBatch == nil {
			failedBatch = ids
			return fmt.Errorf("store unavailable")
		}
		for _, m := range ms {
			col.handle(ctx, m)
		}
		return nil
	}
	s := testSource(t, addrs, o, nil)
	s.opts.MaxPollRecords = 10
	err := s.RunBatch(t.Context(), h)
	if err == nil || !strings.Contains(err.Error(), "store unavailable") || !strings.Contains(err.Error(), topicMaxi) {
		t.Fatalf("RunBatch returned %v", err)
	}
	s2 := testSource(t, addrs, o, nil)
	s2.opts.MaxPollRecords = 10
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s2.RunBatch(ctx, h) }()
	waitFor(t, "all 40 notices after the restart", 30*time.Second, func() bool { return col.unique() == 40 })
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("RunBatch: %v", err)
	}
	if dups := col.check(t, want); dups != 0 {
		t.Errorf("%d notices handled twice: only the failed batch is handed again, and it was not recorded", dups)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failedBatch) == 0 || len(failedBatch) > 10 {
		t.Fatalf("the failed batch held %d notices, want 1 to MaxPollRecords", len(failedBatch))
	}
	// The poison message is skipped by the run that reaches it, and again
	// by the next one only when it was in the failed batch.
	if p1, p2 := s.Stats().Poison, s2.Stats().Poison; p1+p2 < 1 || p1 > 1 || p2 > 1 {
		t.Errorf("poison messages counted: %d then %d", p1, p2)
	}
	t.Logf("%d batches; the failed one held %d notices", batches, len(failedBatch))
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The kill test runs the consumer in a child process (this test binary,
// re-executed) that appends each processed ID to a file, and kills it with
// SIGKILL in the middle of a burst.
const envKillChild = "ARCSECOND_GCN_KILL_CHILD"

func TestKillChild(t *testing.T) {
	if os.Getenv(envKillChild) == "" {
		t.Skip("run by TestKillMidBurst as its child process")
	}
	out, err := os.OpenFile(os.Getenv("GCN_CHILD_OUT"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSource(Options{
		Brokers: []string{os.Getenv("GCN_CHILD_BROKER")}, Topics: []string{topicPoint, topicMaxi}, Group: "kill-group",
		ClientID: os.Getenv("GCN_CHILD_ID"), ClientSecret: os.Getenv("GCN_CHILD_SECRET"), TokenURL: os.Getenv("GCN_CHILD_TOKEN_URL"),
		Plaintext: true, MaxPollRecords: 50, Logger: quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.opts.extra = []kgo.Opt{kgo.SessionTimeout(6 * time.Second), kgo.HeartbeatInterval(300 * time.Millisecond)}
	handle := func(_ context.Context, m Message) error {
		var ids []string
		for _, a := range m.Notice.Activities {
			ids = append(ids, a.ID)
		}
		for _, a := range m.Notice.Alerts {
			ids = append(ids, a.ID)
		}
		// Each write reaches the kernel before the next notice: SIGKILL
		// cannot lose it. Slow enough that the kill lands mid-burst.
		_, err := out.WriteString(strings.Join(ids, "\n") + "\n")
		time.Sleep(time.Millisecond)
		return err
	}
	if os.Getenv("GCN_CHILD_BATCH") == "" {
		s.Run(context.Background(), handle)
		return
	}
	s.RunBatch(context.Background(), func(ctx context.Context, ms []Message) error {
		for _, m := range ms {
			if err := handle(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestKillMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns consumer processes")
	}
	o := newFakeOIDC(t, time.Hour)
	var auth brokerAuth
	c := testCluster(t, o, &auth)
	defer c.Close()
	addrs := c.ListenAddrs()
	const total = 2000
	want := produceNotices(t, addrs, 0, total)
	out := filepath.Join(t.TempDir(), "processed.txt")
	// The children alternate Run and RunBatch (GCN_CHILD_BATCH).
	children := 0
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envKillChild+"=1", "GCN_CHILD_OUT="+out, "GCN_CHILD_BROKER="+addrs[0],
			"GCN_CHILD_ID="+o.id, "GCN_CHILD_SECRET="+o.secret, "GCN_CHILD_TOKEN_URL="+o.srv.URL)
		if children%2 == 1 {
			cmd.Env = append(cmd.Env, "GCN_CHILD_BATCH=1")
		}
		children++
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	read := func() (lines int, seen map[string]int) {
		seen = map[string]int{}
		f, err := os.Open(out)
		if err != nil {
			return 0, seen
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if l := sc.Text(); l != "" {
				seen[l]++
				lines++
			}
		}
		return lines, seen
	}
	kills := 0
	for round := 0; round < 3; round++ {
		cmd := start()
		target := (round + 1) * total / 4
		waitFor(t, fmt.Sprintf("round %d to pass %d notices", round, target), 90*time.Second, func() bool {
			n, _ := read()
			return n >= target
		})
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kills++
	}
	cmd := start()
	waitFor(t, "every notice after the kills", 120*time.Second, func() bool {
		_, seen := read()
		return len(seen) == total
	})
	time.Sleep(time.Second) // anything processed twice now would show
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	lines, seen := read()
	for k := range want {
		if seen[k] == 0 {
			t.Errorf("notice %s lost", k)
		}
	}
	for k := range seen {
		if !want[k] {
			t.Errorf("unknown notice %s", k)
		}
	}
	t.Logf("%d kills: %d notices, %d processed (%d duplicates, removed by ID)", kills, len(seen), lines, lines-len(seen))
	if lines-len(seen) > kills*50 {
		t.Errorf("%d duplicates: more than one uncommitted batch per kill", lines-len(seen))
	}
}
