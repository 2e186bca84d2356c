// Package sqlitestore keeps transient alerts in an SQLite database opened
// by [sqlitedb.Open]: every revision of each event (its updates and its
// retraction) in one table, the latest in another, indexed by trigger time
// and mission, with the declinations each localization spans so that a
// position search reads the alerts near it only.
//
//	db, err := sqlitedb.Open("node.db")
//	if err != nil { ... }
//	defer db.Close()
//	store, err := sqlitestore.New(db)
//
// With the settings of sqlitedb.Open (WAL, synchronous=FULL), an alert Put
// returned for survives a crash of the process or of the machine.
package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/alerts"
)

// Store is an [alerts.Store] in an SQLite database.
type Store struct {
	db *sql.DB
	mu sync.Mutex // serializes writers: the revision check and the write are one step
}

const schema = `
CREATE TABLE IF NOT EXISTS alert_revisions (
	id       TEXT NOT NULL,
	revision INTEGER NOT NULL,
	body     BLOB NOT NULL,
	PRIMARY KEY (id, revision)
);
CREATE TABLE IF NOT EXISTS alerts (
	id          TEXT PRIMARY KEY,
	revision    INTEGER NOT NULL,
	mission_key TEXT NOT NULL,
	event_type  TEXT NOT NULL,
	retracted   INTEGER NOT NULL,
	test        INTEGER NOT NULL,
	trigger_ns  INTEGER NOT NULL,
	dec_lo      REAL,
	dec_hi      REAL,
	body        BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_trigger ON alerts(trigger_ns, id);
CREATE INDEX IF NOT EXISTS alerts_mission ON alerts(mission_key, trigger_ns);
`

// New returns the store kept in db (opened with sqlitedb.Open), creating
// its tables (alerts, alert_revisions) if needed. The database may hold
// other tables (the node keeps its activities and outbox beside them). The
// store never closes db: whoever opened it closes it.
func New(db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, errors.New("alerts/sqlitestore: nil *sql.DB")
	}
	if _, err := db.Exec(schema); err != nil {
		return nil, fmt.Errorf("alerts/sqlitestore: creating tables: %w", err)
	}
	return &Store{db: db}, nil
}

// missionKey is the stored form of a mission, for the index; Find checks
// the exact rule (alerts.Query.Matches) on what it reads.
func missionKey(m string) string { return strings.ToLower(strings.TrimSpace(m)) }

// Put implements alerts.Store: the revision is recorded (once), and
// replaces the latest when it is higher, in one transaction.
func (s *Store) Put(ctx context.Context, a alerts.Alert) (_ bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if a.ID == "" {
		return false, errors.New("alerts/sqlitestore: cannot store an alert without an ID")
	}
	body, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("alerts/sqlitestore: encoding %s: %w", a.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("alerts/sqlitestore: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO alert_revisions(id, revision, body) VALUES (?, ?, ?)`, a.ID, a.Revision, body); err != nil {
		return false, fmt.Errorf("alerts/sqlitestore: recording %s revision %d: %w", a.ID, a.Revision, err)
	}
	var held int64
	switch err := tx.QueryRowContext(ctx, `SELECT revision FROM alerts WHERE id = ?`, a.ID).Scan(&held); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, fmt.Errorf("alerts/sqlitestore: reading %s: %w", a.ID, err)
	case held >= a.Revision:
		return false, tx.Commit()
	}
	var lo, hi sql.NullFloat64
	if l, h, ok := a.Localization.DecRange(); ok {
		lo, hi = sql.NullFloat64{Float64: l, Valid: true}, sql.NullFloat64{Float64: h, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO alerts(id, revision, mission_key, event_type, retracted, test, trigger_ns, dec_lo, dec_hi, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET revision=excluded.revision, mission_key=excluded.mission_key, event_type=excluded.event_type,
		retracted=excluded.retracted, test=excluded.test, trigger_ns=excluded.trigger_ns, dec_lo=excluded.dec_lo, dec_hi=excluded.dec_hi, body=excluded.body`,
		a.ID, a.Revision, missionKey(a.Mission), a.EventType, a.Status == alerts.StatusRetracted, a.Test, a.TriggerTime.UnixNano(), lo, hi, body); err != nil {
		return false, fmt.Errorf("alerts/sqlitestore: writing %s: %w", a.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("alerts/sqlitestore: %w", err)
	}
	return true, nil
}

func decode(id string, body []byte) (alerts.Alert, error) {
	var a alerts.Alert
	if err := json.Unmarshal(body, &a); err != nil {
		return alerts.Alert{}, fmt.Errorf("alerts/sqlitestore: stored alert %s does not decode: %w", id, err)
	}
	return a, nil
}

// Get implements alerts.Store.
func (s *Store) Get(ctx context.Context, id string) (alerts.Alert, bool, error) {
	var body []byte
	switch err := s.db.QueryRowContext(ctx, `SELECT body FROM alerts WHERE id = ?`, id).Scan(&body); {
	case errors.Is(err, sql.ErrNoRows):
		return alerts.Alert{}, false, nil
	case err != nil:
		return alerts.Alert{}, false, fmt.Errorf("alerts/sqlitestore: reading %s: %w", id, err)
	}
	a, err := decode(id, body)
	return a, err == nil, err
}

// Revisions implements alerts.Store.
func (s *Store) Revisions(ctx context.Context, id string) ([]alerts.Alert, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM alert_revisions WHERE id = ? ORDER BY revision`, id)
	if err != nil {
		return nil, fmt.Errorf("alerts/sqlitestore: reading the revisions of %s: %w", id, err)
	}
	defer rows.Close()
	var out []alerts.Alert
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("alerts/sqlitestore: reading the revisions of %s: %w", id, err)
		}
		a, err := decode(id, body)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("alerts/sqlitestore: reading the revisions of %s: %w", id, err)
	}
	return out, nil
}

// Find implements alerts.Store. The indexed columns narrow the rows read
// (trigger window, mission, event type, status, declination band of a
// position); alerts.Query.Matches decides on each.
func (s *Store) Find(ctx context.Context, q alerts.Query) ([]alerts.Alert, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	add := func(cond string, vs ...any) {
		where = append(where, cond)
		args = append(args, vs...)
	}
	if !q.From.IsZero() {
		add("trigger_ns >= ?", q.From.UnixNano())
	}
	if !q.To.IsZero() {
		add("trigger_ns < ?", q.To.UnixNano())
	}
	if q.Mission != "" {
		add("mission_key = ?", missionKey(q.Mission))
	}
	if q.EventType != "" {
		add("event_type = ?", q.EventType)
	}
	if !q.IncludeRetracted {
		add("retracted = 0")
	}
	if !q.IncludeTests {
		add("test = 0")
	}
	if q.Contains != nil {
		add("dec_lo <= ? AND dec_hi >= ?", q.Contains[1], q.Contains[1])
	}
	sqlq := `SELECT id, body FROM alerts`
	if len(where) > 0 {
		sqlq += " WHERE " + strings.Join(where, " AND ")
	}
	sqlq += " ORDER BY trigger_ns, id"
	rows, err := s.db.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return nil, fmt.Errorf("alerts/sqlitestore: finding alerts: %w", err)
	}
	defer rows.Close()
	var out []alerts.Alert
	for rows.Next() {
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("alerts/sqlitestore: finding alerts: %w", err)
		}
		a, err := decode(id, body)
		if err != nil {
			return nil, err
		}
		if !q.Matches(&a) {
			continue
		}
		out = append(out, a)
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("alerts/sqlitestore: finding alerts: %w", err)
	}
	return out, nil
}
