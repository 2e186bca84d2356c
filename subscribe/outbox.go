package subscribe

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// State is where a notification is in its delivery.
type State string

const (
	StatePending   State = "pending"   // waiting for its next attempt
	StateDelivered State = "delivered" // the receiver acknowledged it
	StateDead      State = "dead"      // attempts exhausted or refused; see Redeliver
)

// Channel is how a notification travels.
type Channel string

const (
	ChannelWebhook Channel = "webhook"
	ChannelEmail   Channel = "email"  // one message per match
	ChannelDigest  Channel = "digest" // gathered into one message per period
)

// Notification is one outbox row: a match to deliver on one channel.
type Notification struct {
	// ID is the store's row ID.
	ID int64
	// Key is the idempotency key: the same for every attempt and every
	// re-enqueueing of the same (subscription, activity, revision); it is
	// sent as the webhook-id header and the e-mail Message-ID.
	Key          string
	Channel      Channel
	Subscription string
	// Target is the URL or e-mail address.
	Target     string
	ActivityID string
	Revision   int64
	// Payload is the JSON body (see [Payload]).
	Payload   []byte
	State     State
	Attempts  int
	NextAt    time.Time
	LastError string
	Created   time.Time
}

// Store is the durable outbox. Implementations must be safe for
// concurrent use.
type Store interface {
	// Enqueue records notifications, ignoring any whose (Key, Channel) is
	// already recorded, and when cursor > 0 records it as the last feed
	// sequence handled, in the same transaction. It returns the IDs of the
	// notifications it recorded (0 for those it ignored), in order.
	Enqueue(ctx context.Context, ns []Notification, cursor uint64) ([]int64, error)
	// Cursor returns the last feed sequence recorded by Enqueue (0 if none).
	Cursor(ctx context.Context) (uint64, error)
	// Claim returns up to limit pending notifications due at now, and
	// postpones them to now+lease so that no other worker claims them
	// while they are being delivered (a crashed worker's claims expire).
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error)
	// Delivered marks a notification delivered.
	Delivered(ctx context.Context, id int64, at time.Time) error
	// Retry records a failed attempt and schedules the next one; with
	// countAttempt false (rate limiting) the attempt count is unchanged.
	Retry(ctx context.Context, id int64, next time.Time, errText string, countAttempt bool) error
	// Dead moves a notification to the dead-letter state.
	Dead(ctx context.Context, id int64, errText string) error
	// Redeliver moves a dead notification back to pending, due now, with
	// its attempt count reset.
	Redeliver(ctx context.Context, id int64, now time.Time) error
	// List returns the notifications in a state, oldest first.
	List(ctx context.Context, state State, limit int) ([]Notification, error)
}

// Count is how many notifications of one channel are in one state.
type Count struct {
	Channel Channel
	State   State
	// N is the number of notifications (at least 1).
	N int
}

// Counter is an optional interface of a [Store] that can count its
// notifications, for monitoring (a metrics gauge, a dashboard). Use it
// through a type assertion:
//
//	if c, ok := store.(subscribe.Counter); ok {
//		counts, err := c.Counts(ctx)
//		...
//	}
type Counter interface {
	// Counts returns the number of notifications by channel and state,
	// sorted by channel then state, with no entry for a (channel, state)
	// that holds none. A store that does not keep the notifications of a
	// state (see its documentation) reports none in that state.
	Counts(ctx context.Context) ([]Count, error)
}

// Inspector is an optional interface of a [Store] that can also look up
// the notifications of one match, for example to show the delivery
// history of a subscription. Use it through a type assertion, as
// [Counter]; [SQLiteOutbox] implements it.
type Inspector interface {
	Counter
	// ByKey returns the notifications recorded with an idempotency key
	// (see [IdempotencyKey]), normally one per channel, sorted by channel
	// then ID, in whatever state they are.
	// An unknown key gives an empty result and no error.
	ByKey(ctx context.Context, key string) ([]Notification, error)
}

const outboxSchema = `
CREATE TABLE IF NOT EXISTS subscribe_outbox (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL,
	channel      TEXT NOT NULL,
	subscription TEXT NOT NULL,
	target       TEXT NOT NULL,
	activity     TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	payload      BLOB NOT NULL,
	state        TEXT NOT NULL DEFAULT 'pending',
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      INTEGER NOT NULL,
	last_error   TEXT NOT NULL DEFAULT '',
	created      INTEGER NOT NULL,
	delivered_at INTEGER,
	UNIQUE (key, channel)
);
CREATE INDEX IF NOT EXISTS subscribe_outbox_due ON subscribe_outbox(state, next_at);
CREATE TABLE IF NOT EXISTS subscribe_cursor (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL
);
`

// SQLiteOutbox is the outbox in an SQLite database opened by
// sqlitedb.Open (tables subscribe_outbox and subscribe_cursor), which may
// be the database of the feed store (activities/sqlitestore): then
// [Dispatcher] saves the feed cursor in the transaction that records the
// notifications. The package itself links no SQLite driver; sqlitedb does.
type SQLiteOutbox struct {
	db *sql.DB
	// wmu serializes the outbox's writers in the process: they queue here
	// and start as soon as the previous one commits, instead of polling
	// SQLite's lock with the busy handler's growing sleeps.
	wmu sync.Mutex
}

var _ Inspector = (*SQLiteOutbox)(nil)

// NewSQLiteOutbox returns the outbox kept in db (opened with
// sqlitedb.Open, which gives every user of the file the same durability:
// WAL, synchronous=FULL, BEGIN IMMEDIATE), creating its tables if needed.
// The outbox never closes db: whoever opened it closes it, after the
// outbox's last use.
//
//	db, err := sqlitedb.Open("node.db")
//	if err != nil { ... }
//	defer db.Close()
//	outbox, err := subscribe.NewSQLiteOutbox(db)
func NewSQLiteOutbox(db *sql.DB) (*SQLiteOutbox, error) {
	if db == nil {
		return nil, errors.New("subscribe: NewSQLiteOutbox: nil *sql.DB")
	}
	if _, err := db.Exec(outboxSchema); err != nil {
		return nil, fmt.Errorf("subscribe: creating outbox tables: %w", err)
	}
	return &SQLiteOutbox{db: db}, nil
}

// Enqueue implements [Store].
func (s *SQLiteOutbox) Enqueue(ctx context.Context, ns []Notification, cursor uint64) (ids []int64, err error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("subscribe: outbox: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if len(ns) > 0 {
		st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO subscribe_outbox
			(key, channel, subscription, target, activity, revision, payload, next_at, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return nil, fmt.Errorf("subscribe: outbox: %w", err)
		}
		defer st.Close()
		ids = make([]int64, len(ns))
		for i, n := range ns {
			err := st.QueryRowContext(ctx, n.Key, string(n.Channel), n.Subscription, n.Target, n.ActivityID,
				n.Revision, n.Payload, n.NextAt.UnixNano(), n.Created.UnixNano()).Scan(&ids[i])
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("subscribe: outbox: enqueueing %s: %w", n.Key, err)
			}
		}
	}
	if cursor > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO subscribe_cursor(id, seq) VALUES (1, ?)
			ON CONFLICT(id) DO UPDATE SET seq = max(seq, excluded.seq)`, int64(cursor)); err != nil {
			return nil, fmt.Errorf("subscribe: outbox: saving cursor: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("subscribe: outbox: %w", err)
	}
	return ids, nil
}

// Cursor implements [Store].
func (s *SQLiteOutbox) Cursor(ctx context.Context) (uint64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, `SELECT seq FROM subscribe_cursor WHERE id = 1`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("subscribe: outbox cursor: %w", err)
	}
	return uint64(seq), nil
}

const columns = `id, key, channel, subscription, target, activity, revision, payload, state, attempts, next_at, last_error, created`

func scanRows(rows *sql.Rows) ([]Notification, error) {
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var ch, st string
		var next, created int64
		if err := rows.Scan(&n.ID, &n.Key, &ch, &n.Subscription, &n.Target, &n.ActivityID, &n.Revision,
			&n.Payload, &st, &n.Attempts, &next, &n.LastError, &created); err != nil {
			return nil, fmt.Errorf("subscribe: outbox: %w", err)
		}
		n.Channel, n.State = Channel(ch), State(st)
		n.NextAt, n.Created = time.Unix(0, next).UTC(), time.Unix(0, created).UTC()
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscribe: outbox: %w", err)
	}
	return out, nil
}

// Claim implements [Store].
func (s *SQLiteOutbox) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	rows, err := s.db.QueryContext(ctx, `UPDATE subscribe_outbox SET next_at = ?
		WHERE id IN (SELECT id FROM subscribe_outbox WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?)
		RETURNING `+columns, now.Add(lease).UnixNano(), now.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("subscribe: outbox claim: %w", err)
	}
	return scanRows(rows)
}

func (s *SQLiteOutbox) exec(ctx context.Context, what, q string, args ...any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	r, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("subscribe: outbox %s: %w", what, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("subscribe: outbox %s: no such notification in the expected state", what)
	}
	return nil
}

// markDelivered marks one notification delivered.
const markDelivered = `UPDATE subscribe_outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = '' WHERE id = ?`

// Delivered implements [Store].
func (s *SQLiteOutbox) Delivered(ctx context.Context, id int64, at time.Time) error {
	return s.exec(ctx, "delivered", markDelivered, at.UnixNano(), id)
}

// DeliveredAll marks notifications delivered at one time, in one
// transaction: the dispatcher records the deliveries that finish together
// with one durable write. An ID that is not a notification is reported,
// the others marked.
func (s *SQLiteOutbox) DeliveredAll(ctx context.Context, ids []int64, at time.Time) (err error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("subscribe: outbox delivered: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	st, err := tx.PrepareContext(ctx, markDelivered)
	if err != nil {
		return fmt.Errorf("subscribe: outbox delivered: %w", err)
	}
	defer st.Close()
	var missing []int64
	for _, id := range ids {
		r, err := st.ExecContext(ctx, at.UnixNano(), id)
		if err != nil {
			return fmt.Errorf("subscribe: outbox delivered: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			missing = append(missing, id)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("subscribe: outbox delivered: %w", err)
	}
	if len(missing) > 0 {
		return fmt.Errorf("subscribe: outbox delivered: no notification with ID %v", missing)
	}
	return nil
}

// Retry implements [Store].
func (s *SQLiteOutbox) Retry(ctx context.Context, id int64, next time.Time, errText string, countAttempt bool) error {
	inc := 0
	if countAttempt {
		inc = 1
	}
	return s.exec(ctx, "retry", `UPDATE subscribe_outbox SET attempts = attempts + ?, next_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`, inc, next.UnixNano(), errText, id)
}

// Dead implements [Store].
func (s *SQLiteOutbox) Dead(ctx context.Context, id int64, errText string) error {
	return s.exec(ctx, "dead", `UPDATE subscribe_outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?`, errText, id)
}

// Redeliver implements [Store].
func (s *SQLiteOutbox) Redeliver(ctx context.Context, id int64, now time.Time) error {
	return s.exec(ctx, "redeliver", `UPDATE subscribe_outbox SET state = 'pending', attempts = 0, next_at = ? WHERE id = ? AND state = 'dead'`, now.UnixNano(), id)
}

// List implements [Store].
func (s *SQLiteOutbox) List(ctx context.Context, state State, limit int) ([]Notification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM subscribe_outbox WHERE state = ? ORDER BY id LIMIT ?`, string(state), limit)
	if err != nil {
		return nil, fmt.Errorf("subscribe: outbox list: %w", err)
	}
	return scanRows(rows)
}

// Counts implements [Counter].
func (s *SQLiteOutbox) Counts(ctx context.Context) ([]Count, error) {
	// SQLite's default (binary) collation orders as Go compares strings.
	rows, err := s.db.QueryContext(ctx, `SELECT channel, state, count(*) FROM subscribe_outbox GROUP BY channel, state ORDER BY channel, state`)
	if err != nil {
		return nil, fmt.Errorf("subscribe: outbox counts: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		var ch, st string
		if err := rows.Scan(&ch, &st, &c.N); err != nil {
			return nil, fmt.Errorf("subscribe: outbox counts: %w", err)
		}
		c.Channel, c.State = Channel(ch), State(st)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscribe: outbox counts: %w", err)
	}
	return out, nil
}

// ByKey implements [Inspector].
func (s *SQLiteOutbox) ByKey(ctx context.Context, key string) ([]Notification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM subscribe_outbox WHERE key = ? ORDER BY channel, id`, key)
	if err != nil {
		return nil, fmt.Errorf("subscribe: outbox lookup of %s: %w", key, err)
	}
	return scanRows(rows)
}
