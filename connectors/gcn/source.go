package gcn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
)

// The defaults of GCN's production Kafka service, as GCN's Python client
// sets them (nasa-gcn/gcn-kafka-python src/gcn_kafka/core.py: brokers
// kafka.<domain>, SASL_SSL, OAUTHBEARER with OIDC, token endpoint
// https://auth.<domain>/oauth2/token), and its heartbeat topic
// (nasa-gcn/gcn-classic-to-kafka gcn_classic_to_kafka/heartbeat.py: one
// message a second on gcn.heartbeat).
const (
	DefaultBroker         = "kafka.gcn.nasa.gov:9092"
	DefaultTokenURL       = "https://auth.gcn.nasa.gov/oauth2/token"
	DefaultHeartbeatTopic = "gcn.heartbeat"
	DefaultGroup          = "arcsecond-gcn"
)

// The environment variables that hold GCN client credentials when Options
// leaves them empty.
const (
	EnvClientID     = "GCN_CLIENT_ID"
	EnvClientSecret = "GCN_CLIENT_SECRET"
)

// Options configure a Source. The zero value plus Topics (and credentials
// in the environment) consumes GCN's production service.
type Options struct {
	// Brokers to bootstrap from (default DefaultBroker).
	Brokers []string
	// Topics to consume ("gcn.classic.binary.SWIFT_POINTDIR",
	// "gcn.notices.chime.frb", ...). Required.
	Topics []string
	// Group is the consumer group whose committed offsets let a restarted
	// consumer resume where it stopped (default DefaultGroup).
	Group string
	// ClientID and ClientSecret are GCN client credentials; when empty,
	// they are read from GCN_CLIENT_ID and GCN_CLIENT_SECRET. They are
	// never logged.
	ClientID, ClientSecret string
	// TokenURL is the OAuth 2.0 token endpoint (default DefaultTokenURL);
	// Scope is sent when set.
	TokenURL, Scope string
	// NoAuth connects without SASL (a local broker); Plaintext without TLS.
	NoAuth, Plaintext bool
	// TLS overrides the TLS configuration (default: system roots).
	TLS *tls.Config
	// HTTPClient fetches tokens (default: a client with a 30 s timeout).
	HTTPClient *http.Client
	// HeartbeatTopic is consumed as a health signal (default
	// DefaultHeartbeatTopic; "-" for none). HeartbeatTimeout is how old the
	// last heartbeat may be before Health reports the feed stale (default
	// 30 s).
	HeartbeatTopic   string
	HeartbeatTimeout time.Duration
	// StartAtEnd makes a group without committed offsets start at the end
	// of each partition instead of its beginning.
	StartAtEnd bool
	// MaxPollRecords bounds each poll's batch (default 500).
	MaxPollRecords int
	// Logger receives poison messages and commit failures (default
	// slog.Default()).
	Logger *slog.Logger

	extra []kgo.Opt // test hooks
}

// Message is one decoded notice as the handler receives it.
type Message struct {
	Topic     string
	Partition int32
	Offset    int64
	// Timestamp is the Kafka record's time.
	Timestamp time.Time
	// Polled is when the consumer's poll returned the record, Decoded
	// when it was decoded: with Timestamp, where a notice's latency goes
	// (broker and fetch, queueing behind earlier notices, decoding).
	Polled, Decoded time.Time
	Notice          *Notice
}

// Handler processes one notice. A nil error means the notice is done: its
// offset will be committed. An error stops Run, the notice's offset
// uncommitted, so that it is delivered again after a restart.
type Handler func(ctx context.Context, m Message) error

// Stats counts what a Source did.
type Stats struct {
	// Notices handled, poison messages skipped, heartbeats seen, commits
	// made and failed.
	Notices, Poison, Heartbeats, Commits, CommitErrors int64
	// LastHeartbeat is the time the last heartbeat carried (or its record
	// time).
	LastHeartbeat time.Time
}

// Health is the state of the feed as the heartbeat shows it.
type Health struct {
	Healthy       bool
	LastHeartbeat time.Time
	Reason        string
}

// Source consumes GCN notices from Kafka.
type Source struct {
	opts   Options
	tokens *tokenSource
	log    *slog.Logger

	notices, poison, heartbeats, commits, commitErrs atomic.Int64
	mu                                               sync.Mutex
	lastBeat                                         time.Time
}

// NewSource checks the options and returns a Source; it does not connect.
// A missing topic list, or missing credentials when authentication is on,
// is an error naming the option and the environment variable.
func NewSource(o Options) (*Source, error) {
	if len(o.Topics) == 0 {
		return nil, errors.New("gcn: Options.Topics is empty: name the topics to consume (for example gcn.classic.binary.SWIFT_POINTDIR)")
	}
	for _, t := range o.Topics {
		if strings.TrimSpace(t) == "" {
			return nil, errors.New("gcn: Options.Topics holds an empty topic name")
		}
	}
	if len(o.Brokers) == 0 {
		o.Brokers = []string{DefaultBroker}
	}
	if o.Group == "" {
		o.Group = DefaultGroup
	}
	if o.HeartbeatTopic == "" {
		o.HeartbeatTopic = DefaultHeartbeatTopic
	}
	if o.HeartbeatTimeout <= 0 {
		o.HeartbeatTimeout = 30 * time.Second
	}
	if o.MaxPollRecords <= 0 {
		o.MaxPollRecords = 500
	}
	if o.TokenURL == "" {
		o.TokenURL = DefaultTokenURL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	s := &Source{opts: o, log: o.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	if !o.NoAuth {
		id, secret := o.ClientID, o.ClientSecret
		if id == "" {
			id = os.Getenv(EnvClientID)
		}
		if secret == "" {
			secret = os.Getenv(EnvClientSecret)
		}
		if id == "" || secret == "" {
			return nil, fmt.Errorf("gcn: no client credentials: set Options.ClientID and Options.ClientSecret, or %s and %s", EnvClientID, EnvClientSecret)
		}
		s.tokens = &tokenSource{url: o.TokenURL, id: id, secret: secret, scope: o.Scope, hc: o.HTTPClient, now: time.Now}
	}
	return s, nil
}

// Stats returns the counters so far.
func (s *Source) Stats() Stats {
	s.mu.Lock()
	last := s.lastBeat
	s.mu.Unlock()
	return Stats{
		Notices: s.notices.Load(), Poison: s.poison.Load(), Heartbeats: s.heartbeats.Load(),
		Commits: s.commits.Load(), CommitErrors: s.commitErrs.Load(), LastHeartbeat: last,
	}
}

// Health reports whether a heartbeat arrived within HeartbeatTimeout of
// now.
func (s *Source) Health(now time.Time) Health {
	if s.opts.HeartbeatTopic == "-" {
		return Health{Healthy: true, Reason: "no heartbeat topic"}
	}
	s.mu.Lock()
	last := s.lastBeat
	s.mu.Unlock()
	switch {
	case last.IsZero():
		return Health{Reason: "no heartbeat yet on " + s.opts.HeartbeatTopic}
	case now.Sub(last) > s.opts.HeartbeatTimeout:
		return Health{LastHeartbeat: last, Reason: fmt.Sprintf("last heartbeat %s ago", now.Sub(last).Round(time.Second))}
	}
	return Health{Healthy: true, LastHeartbeat: last}
}

func (s *Source) clientOpts() []kgo.Opt {
	o := s.opts
	topics := slices.Clone(o.Topics)
	if o.HeartbeatTopic != "-" && !slices.Contains(topics, o.HeartbeatTopic) {
		topics = append(topics, o.HeartbeatTopic)
	}
	reset := kgo.NewOffset().AtStart()
	if o.StartAtEnd {
		reset = kgo.NewOffset().AtEnd()
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(o.Brokers...),
		kgo.ConsumerGroup(o.Group),
		kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(reset),
		// Offsets are committed only for notices marked done, after
		// each batch; rebalances wait until the batch is committed.
		kgo.AutoCommitMarks(),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsRevoked(func(ctx context.Context, cl *kgo.Client, _ map[string][]int32) {
			s.commit(ctx, cl)
		}),
	}
	if !o.Plaintext {
		cfg := o.TLS
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		opts = append(opts, kgo.DialTLSConfig(cfg))
	}
	if s.tokens != nil {
		opts = append(opts, kgo.SASL(oauth.Oauth(func(ctx context.Context) (oauth.Auth, error) {
			tok, err := s.tokens.Token(ctx)
			return oauth.Auth{Token: tok}, err
		})))
	}
	return append(opts, o.extra...)
}

func (s *Source) commit(ctx context.Context, cl *kgo.Client) {
	if err := cl.CommitMarkedOffsets(ctx); err != nil {
		s.commitErrs.Add(1)
		s.log.Warn("gcn: offset commit failed; it is retried", "group", s.opts.Group, "err", err)
		return
	}
	s.commits.Add(1)
}

// Run consumes until ctx ends or handle fails. Each polled batch is
// decoded and handled in order; heartbeats update Health; a record that
// does not decode (a poison message) is logged with its topic, partition
// and offset, counted and skipped. The offsets of the batch are committed
// after it is processed, so a restarted consumer in the same group resumes
// after the last committed notice: nothing is lost, and only notices
// handled after the last commit (at most one batch) are delivered twice —
// de-duplicate by alert or activity ID and revision.
func (s *Source) Run(ctx context.Context, handle Handler) error {
	return s.run(ctx, func(ctx context.Context, cl *kgo.Client, polled time.Time, recs []*kgo.Record) error {
		for _, r := range recs {
			if m, ok := s.decode(r, polled); ok {
				if err := handle(ctx, m); err != nil {
					return fmt.Errorf("gcn: handling %s[%d]@%d: %w", r.Topic, r.Partition, r.Offset, err)
				}
				s.notices.Add(1)
			}
			cl.MarkCommitRecords(r)
		}
		return nil
	})
}

// BatchHandler processes the notices of one poll, in order. A nil error
// means they are all done: their offsets will be committed. An error stops
// RunBatch with none of them committed, so that they are all delivered
// again after a restart.
type BatchHandler func(ctx context.Context, ms []Message) error

// RunBatch is Run handing the notices of each poll to handle at once, so
// that it can record them in one transaction (one durable write for a
// burst of notices instead of one each). A poll holds at most
// MaxPollRecords notices, and only those that arrived while the previous
// batch was handled: a lone notice is handled alone, without waiting.
// Offsets are committed after handle returns nil, as in Run.
func (s *Source) RunBatch(ctx context.Context, handle BatchHandler) error {
	var ms []Message
	return s.run(ctx, func(ctx context.Context, cl *kgo.Client, polled time.Time, recs []*kgo.Record) error {
		ms = ms[:0]
		for _, r := range recs {
			if m, ok := s.decode(r, polled); ok {
				ms = append(ms, m)
			}
		}
		if len(ms) > 0 {
			if err := handle(ctx, ms); err != nil {
				f, l := ms[0], ms[len(ms)-1]
				return fmt.Errorf("gcn: handling %d notices (%s[%d]@%d to %s[%d]@%d): %w", len(ms), f.Topic, f.Partition, f.Offset, l.Topic, l.Partition, l.Offset, err)
			}
			s.notices.Add(int64(len(ms)))
		}
		cl.MarkCommitRecords(recs...)
		return nil
	})
}

// run is the poll loop of Run and RunBatch: handle marks the records it
// is done with; their offsets are committed after each poll.
func (s *Source) run(ctx context.Context, handle func(ctx context.Context, cl *kgo.Client, polled time.Time, recs []*kgo.Record) error) error {
	cl, err := kgo.NewClient(s.clientOpts()...)
	if err != nil {
		return fmt.Errorf("gcn: kafka client: %w", err)
	}
	defer cl.CloseAllowingRebalance()
	for {
		fetches := cl.PollRecords(ctx, s.opts.MaxPollRecords)
		if fetches.IsClientClosed() {
			return nil
		}
		if err := ctx.Err(); err != nil {
			cl.AllowRebalance()
			return err
		}
		fetches.EachError(func(topic string, p int32, err error) {
			if !errors.Is(err, context.Canceled) {
				s.log.Warn("gcn: fetch error", "topic", topic, "partition", p, "err", err)
			}
		})
		herr := handle(ctx, cl, time.Now(), fetches.Records())
		s.commit(ctx, cl)
		cl.AllowRebalance()
		if herr != nil {
			return herr
		}
	}
}

// decode turns a record into a Message: false for a heartbeat (recorded)
// or a poison message (logged, counted, skipped).
func (s *Source) decode(r *kgo.Record, polled time.Time) (Message, bool) {
	if r.Topic == s.opts.HeartbeatTopic {
		s.heartbeat(r)
		return Message{}, false
	}
	n, err := Decode(r.Topic, r.Value)
	if err != nil {
		s.poison.Add(1)
		s.log.Warn("gcn: skipping a notice that does not decode", "topic", r.Topic, "partition", r.Partition, "offset", r.Offset, "bytes", len(r.Value), "err", err)
		return Message{}, false
	}
	return Message{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Timestamp: r.Timestamp, Polled: polled, Decoded: time.Now(), Notice: n}, true
}

// heartbeat records a gcn.heartbeat message: its alert_datetime when it
// carries one (GCN's heartbeats do), else the record's time.
func (s *Source) heartbeat(r *kgo.Record) {
	s.heartbeats.Add(1)
	t := r.Timestamp
	var hb struct {
		AlertDatetime string `json:"alert_datetime"`
	}
	if jsonUnmarshal(r.Value, &hb) == nil && hb.AlertDatetime != "" {
		for _, l := range timeLayouts {
			if p, err := time.Parse(l, hb.AlertDatetime); err == nil {
				t = p.UTC()
				break
			}
		}
	}
	s.mu.Lock()
	if t.After(s.lastBeat) {
		s.lastBeat = t
	}
	s.mu.Unlock()
}
