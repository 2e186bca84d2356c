// Package sqlitedb opens the embedded SQLite databases of arcsecond: the
// durable feed store (activities/sqlitestore) and the subscription outbox
// (subscribe/sqliteoutbox), which may share one file.
//
// There is one opener, [Open], and one durability setting for everything:
// WAL journal with synchronous=FULL, so a committed transaction survives a
// crash of the process or of the machine; a busy timeout, so that writers
// of one file wait for each other; foreign keys on; and transactions that
// take the write lock when they begin (BEGIN IMMEDIATE), so that two
// writers queue instead of failing with SQLITE_BUSY when one of them
// upgrades a read transaction.
//
// Ownership: whoever opens a *sql.DB closes it. The stores built on a
// database (sqlitestore.New, sqliteoutbox.New) never close the *sql.DB they
// are given; their Close only stops them from being used.
//
//	db, err := sqlitedb.Open("node.db")
//	if err != nil { ... }
//	defer db.Close()
//	feedStore, err := sqlitestore.New(db)
//	outbox, err := sqliteoutbox.New(db)
//
// The driver is modernc.org/sqlite (pure Go, no cgo). Only programs that
// import this package (directly or through a store) link it.
package sqlitedb

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Memory is the path of a private in-memory database (one connection, so
// every user of the *sql.DB sees the same data).
const Memory = ":memory:"

// BusyTimeout is how long a connection waits for another writer's lock
// before it fails with SQLITE_BUSY.
const BusyTimeout = 10 * time.Second

// pragmas are applied to every connection the pool opens.
var pragmas = []string{
	"journal_mode(WAL)",
	"synchronous(FULL)",
	fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()),
	"foreign_keys(1)",
}

// Open opens (creating it if needed) the SQLite database file at path with
// the settings described in the package documentation. [Memory] opens a
// private in-memory database. The caller closes the returned database,
// after every store built on it is done.
func Open(path string) (*sql.DB, error) {
	dsn, err := dsnFor(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitedb: opening %s: %w", path, err)
	}
	if path == Memory {
		// Every connection to ":memory:" is a database of its own.
		db.SetMaxOpenConns(1)
	}
	// sql.Open connects lazily: connect now so that an unusable path
	// (missing directory, not a database) fails here, naming the file.
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitedb: opening %s: %w", path, err)
	}
	return db, nil
}

// dsnFor builds the driver's data source name (an SQLite URI) for path.
func dsnFor(path string) (string, error) {
	if path == "" {
		return "", errors.New("sqlitedb: empty database path")
	}
	// The path goes into an SQLite URI: '?' and '#' would end it and '%'
	// would be decoded, opening another file than the one named.
	if i := strings.IndexAny(path, "?#%"); i >= 0 {
		return "", fmt.Errorf("sqlitedb: database path %q: the character %q is not supported", path, path[i])
	}
	var q []string
	for _, p := range pragmas {
		if path == Memory && strings.HasPrefix(p, "journal_mode") {
			continue // an in-memory database has no WAL
		}
		q = append(q, "_pragma="+p)
	}
	q = append(q, "_txlock=immediate")
	name := path
	if path == Memory {
		name = ":memory:"
	}
	return "file:" + name + "?" + strings.Join(q, "&"), nil
}
