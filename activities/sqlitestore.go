package activities

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// SQLiteStore is a Store in an embedded SQLite database (pure Go, no cgo).
// Every Put is one transaction, committed with synchronous=FULL in WAL mode,
// so what it returned survives a crash of the process or of the machine.
type SQLiteStore struct {
	db     *sql.DB
	mu     sync.Mutex // serializes writers, so Seq order is commit order
	closed bool
}

const sqliteSchema = `
CREATE TABLE IF NOT EXISTS activities (
	id         TEXT PRIMARY KEY,
	seq        INTEGER NOT NULL UNIQUE,
	revision   INTEGER NOT NULL,
	source     TEXT NOT NULL,
	facility   TEXT NOT NULL,
	instrument TEXT NOT NULL,
	kind       TEXT NOT NULL,
	start_ns   INTEGER NOT NULL,
	end_ns     INTEGER NOT NULL,
	body       BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS activities_start ON activities(start_ns DESC, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('seq', 0);
`

// OpenSQLite opens (creating if needed) a store in the SQLite database file
// at path. Use ":memory:" for a private in-memory database.
func OpenSQLite(path string) (*SQLiteStore, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	if path == ":memory:" {
		dsn = "file::memory:"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("activities: opening %s: %w", path, err)
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	return NewSQLiteStore(db)
}

// NewSQLiteStore uses an open SQLite database (for example one shared with
// the subscription outbox), creating the store's tables if needed. Close
// closes db.
func NewSQLiteStore(db *sql.DB) (*SQLiteStore, error) {
	if _, err := db.Exec(sqliteSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("activities: creating tables: %w", err)
	}
	return &SQLiteStore{db: db}, nil
}

// DB returns the underlying database.
func (s *SQLiteStore) DB() *sql.DB { return s.db }

func nanos(t interface{ UnixNano() int64 }, zero bool) int64 {
	if zero {
		return math.MinInt64
	}
	return t.UnixNano()
}

// Put implements Store.
func (s *SQLiteStore) Put(ctx context.Context, acts []Activity) (out []Entry, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("activities: store: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			out = nil
		}
	}()
	var seq uint64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='seq'`).Scan(&seq); err != nil {
		return nil, fmt.Errorf("activities: store: reading seq: %w", err)
	}
	get, err := tx.PrepareContext(ctx, `SELECT revision FROM activities WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer get.Close()
	put, err := tx.PrepareContext(ctx, `INSERT INTO activities(id, seq, revision, source, facility, instrument, kind, start_ns, end_ns, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, revision=excluded.revision, source=excluded.source,
		facility=excluded.facility, instrument=excluded.instrument, kind=excluded.kind,
		start_ns=excluded.start_ns, end_ns=excluded.end_ns, body=excluded.body`)
	if err != nil {
		return nil, err
	}
	defer put.Close()
	for i := range acts {
		a := &acts[i]
		var rev int64
		switch err := get.QueryRowContext(ctx, a.ID).Scan(&rev); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, fmt.Errorf("activities: store: %w", err)
		case rev >= a.Revision:
			continue
		}
		body, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("activities: store: encoding %s: %w", a.ID, err)
		}
		seq++
		if _, err := put.ExecContext(ctx, a.ID, int64(seq), a.Revision, a.Source, a.Facility, a.Instrument, string(a.Kind),
			nanos(a.Start, a.Start.IsZero()), nanos(a.End, a.End.IsZero()), body); err != nil {
			return nil, fmt.Errorf("activities: store: writing %s: %w", a.ID, err)
		}
		out = append(out, Entry{Seq: seq, Activity: *a})
	}
	if len(out) == 0 {
		return nil, tx.Rollback()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'seq'`, int64(seq)); err != nil {
		return nil, fmt.Errorf("activities: store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("activities: store: commit: %w", err)
	}
	return out, nil
}

func decodeBody(b []byte) (Activity, error) {
	var a Activity
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("activities: store: corrupt record: %w", err)
	}
	return a, nil
}

// Get implements Store.
func (s *SQLiteStore) Get(ctx context.Context, id string) (Activity, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT body FROM activities WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return Activity{}, ErrNotFound
	}
	if err != nil {
		return Activity{}, fmt.Errorf("activities: store: %w", err)
	}
	return decodeBody(b)
}

// Since implements Store.
func (s *SQLiteStore) Since(ctx context.Context, after uint64, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, body FROM activities WHERE seq > ? ORDER BY seq LIMIT ?`, int64(after), limit)
	if err != nil {
		return nil, fmt.Errorf("activities: store: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var seq int64
		var b []byte
		if err := rows.Scan(&seq, &b); err != nil {
			return nil, err
		}
		a, err := decodeBody(b)
		if err != nil {
			return nil, err
		}
		out = append(out, Entry{Seq: uint64(seq), Activity: a})
	}
	return out, rows.Err()
}

// LastSeq implements Store.
func (s *SQLiteStore) LastSeq(ctx context.Context) (uint64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='seq'`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("activities: store: %w", err)
	}
	return uint64(seq), nil
}

// Find implements Store. Attribute and time filters run in SQL; the cone
// filter, which needs spherical trigonometry, runs on the rows SQL returns.
func (s *SQLiteStore) Find(ctx context.Context, q Query) (Page, error) {
	if err := checkQuery(&q); err != nil {
		return Page{}, err
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if q.Source != "" {
		add("source = ?", q.Source)
	}
	if q.Facility != "" {
		add("facility = ? COLLATE NOCASE", q.Facility)
	}
	if q.Instrument != "" {
		add("instrument = ? COLLATE NOCASE", q.Instrument)
	}
	if q.Kind != "" {
		add("kind = ?", string(q.Kind))
	}
	if !q.Window.Start.IsZero() || !q.Window.End.IsZero() {
		add("start_ns != ?", int64(math.MinInt64))
		if !q.Window.End.IsZero() {
			add("start_ns < ?", q.Window.End.UnixNano())
		}
		if !q.Window.Start.IsZero() {
			add("max(start_ns, end_ns) >= ?", q.Window.Start.UnixNano())
		}
	}
	if q.Cursor != "" {
		k, err := parseCursor(q.Cursor)
		if err != nil {
			return Page{}, err
		}
		add("(start_ns < ? OR (start_ns = ? AND id > ?))", k.start, k.start, k.id)
	}
	sqlq := `SELECT body FROM activities`
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += " ORDER BY start_ns DESC, id"
	rows, err := s.db.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return Page{}, fmt.Errorf("activities: store: %w", err)
	}
	defer rows.Close()
	var p Page
	n := q.limit()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return Page{}, err
		}
		a, err := decodeBody(b)
		if err != nil {
			return Page{}, err
		}
		if !q.Match(&a) { // SQL selected a superset; the cone, for one, is left to Match
			continue
		}
		if len(p.Activities) == n {
			p.Next = keyOf(&p.Activities[n-1]).cursor()
			break
		}
		p.Activities = append(p.Activities, a)
	}
	return p, rows.Err()
}

// Close implements Store.
func (s *SQLiteStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.db.Close()
}
