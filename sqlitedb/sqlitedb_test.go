package sqlitedb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

// TestOpenSettings checks the one durability setting on every connection
// of the pool, not only the first.
func TestOpenSettings(t *testing.T) {
	db, err := sqlitedb.Open(filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "busy_timeout": "10000", "foreign_keys": "1"}
	for i, c := range conns {
		for name, w := range want {
			var v string
			if err := c.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
				t.Fatal(err)
			}
			if v != w {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, name, v, w)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestOpenMemory(t *testing.T) {
	db, err := sqlitedb.Open(sqlitedb.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := pragma(t, db, "synchronous"); got != "2" {
		t.Errorf("synchronous = %s, want 2 (FULL)", got)
	}
	// One shared database: a table made on one use is seen by the next.
	if _, err := db.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
}

// TestImmediateTransactions checks that a transaction takes the write lock
// when it begins: a second BeginTx waits for the first to end. With
// deferred transactions both would begin at once.
func TestImmediateTransactions(t *testing.T) {
	db, err := sqlitedb.Open(filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tx1, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	begun := make(chan error, 1)
	go func() {
		tx2, err := db.BeginTx(ctx, nil)
		if err == nil {
			tx2.Rollback()
		}
		begun <- err
	}()
	select {
	case err := <-begun:
		t.Fatalf("a second transaction began (err %v) while the first held the database", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-begun; err != nil {
		t.Fatalf("second transaction after the first committed: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"", "empty database path"},
		{"a?mode=ro", "'?'"},
		{"a#b", "'#'"},
		{"a%41", "'%'"},
		{filepath.Join(t.TempDir(), "missing", "x.db"), "missing"},
	} {
		db, err := sqlitedb.Open(c.path)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", c.path)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%q) = %v, want an error naming %s", c.path, err, c.want)
		}
	}
}
