package arcsecond

import (
	"database/sql"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/sqlitestore"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// This file is the only one of the package that names the SQLite
// constructors of the stores.

// openSQLite opens the node's database at path (sqlitedb.Open: WAL,
// synchronous=FULL) and, when asked, the activity store and the delivery
// outbox in it. The stores never close db: the caller does, after them.
func openSQLite(path string, withStore, withOutbox bool) (db *sql.DB, store activities.Store, outbox subscribe.Store, err error) {
	if db, err = sqlitedb.Open(path); err != nil {
		return nil, nil, nil, err
	}
	if withStore {
		if store, err = sqlitestore.New(db); err != nil {
			db.Close()
			return nil, nil, nil, err
		}
	}
	if withOutbox {
		if outbox, err = subscribe.NewSQLiteOutbox(db); err != nil {
			db.Close()
			return nil, nil, nil, err
		}
	}
	return db, store, outbox, nil
}
