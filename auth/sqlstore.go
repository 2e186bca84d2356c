package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const sqlSchema = `CREATE TABLE IF NOT EXISTS auth_keys (
	id      TEXT PRIMARY KEY,
	hash    BLOB NOT NULL,
	owner   TEXT NOT NULL,
	role    TEXT NOT NULL,
	source  TEXT NOT NULL,
	created INTEGER NOT NULL,
	expires INTEGER NOT NULL,
	revoked INTEGER NOT NULL
)`

// SQLStore keeps keys in an SQLite database (table auth_keys), such as
// one opened by sqlitedb.Open. It does not close the database.
type SQLStore struct{ db *sql.DB }

// NewSQLStore creates the table if needed and returns the store.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	if _, err := db.ExecContext(ctx, sqlSchema); err != nil {
		return nil, fmt.Errorf("auth: creating table auth_keys: %w", err)
	}
	return &SQLStore{db}, nil
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func timeOrZero(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Create implements Store.
func (s *SQLStore) Create(ctx context.Context, k Key) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO auth_keys (id, hash, owner, role, source, created, expires, revoked)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.ID, k.Hash, k.Owner, string(k.Role), k.Source,
		k.Created.UnixNano(), unixOrZero(k.Expires), unixOrZero(k.Revoked))
	if err != nil {
		return fmt.Errorf("auth: storing key %s: %w", k.ID, err)
	}
	return nil
}

const sqlColumns = `id, hash, owner, role, source, created, expires, revoked`

func scanKey(sc interface{ Scan(...any) error }) (Key, error) {
	var k Key
	var role string
	var created, expires, revoked int64
	if err := sc.Scan(&k.ID, &k.Hash, &k.Owner, &role, &k.Source, &created, &expires, &revoked); err != nil {
		return Key{}, err
	}
	k.Role = Role(role)
	k.Created, k.Expires, k.Revoked = time.Unix(0, created).UTC(), timeOrZero(expires), timeOrZero(revoked)
	return k, nil
}

// Get implements Store.
func (s *SQLStore) Get(ctx context.Context, id string) (Key, error) {
	k, err := scanKey(s.db.QueryRowContext(ctx, `SELECT `+sqlColumns+` FROM auth_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrNotFound
	}
	if err != nil {
		return Key{}, fmt.Errorf("auth: reading key %s: %w", id, err)
	}
	return k, nil
}

// List implements Store.
func (s *SQLStore) List(ctx context.Context) ([]Key, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sqlColumns+` FROM auth_keys ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("auth: listing keys: %w", err)
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("auth: listing keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Revoke implements Store.
func (s *SQLStore) Revoke(ctx context.Context, id string, t time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE auth_keys SET revoked = CASE WHEN revoked = 0 THEN ? ELSE revoked END WHERE id = ?`, t.UnixNano(), id)
	if err != nil {
		return fmt.Errorf("auth: revoking key %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
