package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/alerts/alertstest"
	"github.com/arcsecond-go/arcsecond/alerts/sqlitestore"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func TestConformance(t *testing.T) {
	alertstest.Run(t, func(t *testing.T) alerts.Store {
		db, err := sqlitedb.Open(filepath.Join(t.TempDir(), "alerts.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		s, err := sqlitestore.New(db)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
