package arcsecond

import (
	"database/sql"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// This file is the only one of the package that names the SQLite
// constructors of the stores.

// openSQLite opens the node's database at path and, when asked, the
// activity store and the delivery outbox in it. Closing db closes them.
func openSQLite(path string, withStore, withOutbox bool) (db *sql.DB, store activities.Store, outbox subscribe.Store, err error) {
	if db, err = subscribe.OpenDB(path); err != nil {
		return nil, nil, nil, err
	}
	if withStore {
		if store, err = activities.NewSQLiteStore(db); err != nil {
			return nil, nil, nil, err // NewSQLiteStore closed db
		}
	}
	if withOutbox {
		if outbox, err = subscribe.NewSQLiteStore(db); err != nil {
			db.Close()
			return nil, nil, nil, err
		}
	}
	return db, store, outbox, nil
}

// openSQLiteActivities opens an activity store in the SQLite file at path.
func openSQLiteActivities(path string) (activities.Store, error) {
	return activities.OpenSQLite(path)
}
