package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Store is an [activities.Store] in an SQLite database opened by
// [sqlitedb.Open]. Every Put is one transaction; with the settings of
// sqlitedb.Open (WAL, synchronous=FULL) what it returned survives a crash
// of the process or of the machine.
type Store struct {
	db     *sql.DB
	mu     sync.Mutex // serializes writers, so Seq order is commit order
	closed bool
}

const schema = `
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

// New returns the store kept in db (opened with [sqlitedb.Open]), creating
// its tables (activities, meta) if needed. The database may hold other
// tables, for example the subscription outbox's. The store never closes
// db: whoever opened it closes it, after the store's last use.
func New(db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlitestore: nil *sql.DB")
	}
	if _, err := db.Exec(schema); err != nil {
		return nil, fmt.Errorf("sqlitestore: creating tables: %w", err)
	}
	return &Store{db: db}, nil
}

func nanos(t interface{ UnixNano() int64 }, zero bool) int64 {
	if zero {
		return activities.UnknownStart
	}
	return t.UnixNano()
}

// Put implements activities.Store.
func (s *Store) Put(ctx context.Context, acts []activities.Activity) (out []activities.Entry, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, activities.ErrClosed
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			out = nil
		}
	}()
	var seq uint64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='seq'`).Scan(&seq); err != nil {
		return nil, fmt.Errorf("sqlitestore: reading seq: %w", err)
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
			return nil, fmt.Errorf("sqlitestore: %w", err)
		case rev >= a.Revision:
			continue
		}
		body, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: encoding %s: %w", a.ID, err)
		}
		seq++
		if _, err := put.ExecContext(ctx, a.ID, int64(seq), a.Revision, a.Source, a.Facility, a.Instrument, string(a.Kind),
			nanos(a.Start, a.Start.IsZero()), nanos(a.End, a.End.IsZero()), body); err != nil {
			return nil, fmt.Errorf("sqlitestore: writing %s: %w", a.ID, err)
		}
		out = append(out, activities.Entry{Seq: seq, Activity: *a})
	}
	if len(out) == 0 {
		return nil, tx.Rollback()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'seq'`, int64(seq)); err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlitestore: commit: %w", err)
	}
	return out, nil
}

func decodeBody(b []byte) (activities.Activity, error) {
	var a activities.Activity
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("sqlitestore: corrupt record: %w", err)
	}
	return a, nil
}

// Get implements activities.Store.
func (s *Store) Get(ctx context.Context, id string) (activities.Activity, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT body FROM activities WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return activities.Activity{}, activities.ErrNotFound
	}
	if err != nil {
		return activities.Activity{}, fmt.Errorf("sqlitestore: %w", err)
	}
	return decodeBody(b)
}

// Since implements activities.Store.
func (s *Store) Since(ctx context.Context, after uint64, limit int) ([]activities.Entry, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, body FROM activities WHERE seq > ? ORDER BY seq LIMIT ?`, int64(after), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	defer rows.Close()
	var out []activities.Entry
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
		out = append(out, activities.Entry{Seq: uint64(seq), Activity: a})
	}
	return out, rows.Err()
}

// LastSeq implements activities.Store.
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='seq'`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("sqlitestore: %w", err)
	}
	return uint64(seq), nil
}

// Find implements Store. Attribute and time filters run in SQL; the cone,
// band and point filters (spherical trigonometry, footprint polygons and
// bandpasses kept in the row's body) run on the rows SQL returns, through
// Query.Match.
func (s *Store) Find(ctx context.Context, q activities.Query) (activities.Page, error) {
	if err := q.Validate(); err != nil {
		return activities.Page{}, err
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
		add("start_ns != ?", int64(activities.UnknownStart))
		if !q.Window.End.IsZero() {
			add("start_ns < ?", q.Window.End.UnixNano())
		}
		if !q.Window.Start.IsZero() {
			add("max(start_ns, end_ns) >= ?", q.Window.Start.UnixNano())
		}
	}
	if q.Cursor != "" {
		k, err := activities.ParseCursor(q.Cursor)
		if err != nil {
			return activities.Page{}, err
		}
		add("(start_ns < ? OR (start_ns = ? AND id > ?))", k.Start, k.Start, k.ID)
	}
	sqlq := `SELECT body FROM activities`
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += " ORDER BY start_ns DESC, id"
	rows, err := s.db.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return activities.Page{}, fmt.Errorf("sqlitestore: %w", err)
	}
	defer rows.Close()
	var p activities.Page
	n := q.PageSize()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return activities.Page{}, err
		}
		a, err := decodeBody(b)
		if err != nil {
			return activities.Page{}, err
		}
		if !q.Match(&a) { // SQL selected a superset; the cone, band and point are left to Match
			continue
		}
		if len(p.Activities) == n {
			p.Next = activities.SortKeyOf(&p.Activities[n-1]).Cursor()
			break
		}
		p.Activities = append(p.Activities, a)
	}
	return p, rows.Err()
}

// Close implements activities.Store. It does not close the database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return nil
}
