package arcsecond

import (
	"github.com/arcsecond-go/arcsecond/activities"
)

// This file is the only one of the package that names the SQLite
// constructors of the stores.

// openSQLiteActivities opens an activity store in the SQLite file at path.
func openSQLiteActivities(path string) (activities.Store, error) {
	return activities.OpenSQLite(path)
}
