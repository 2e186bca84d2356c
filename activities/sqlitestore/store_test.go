package sqlitestore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/activities/sqlitestore"
	"github.com/arcsecond-go/arcsecond/activities/storetest"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

var _ activities.Store = (*sqlitestore.Store)(nil)

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) activities.Store {
		s, err := sqlitestore.New(openDB(t, filepath.Join(t.TempDir(), "feed.db")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feed.db")
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlitestore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, []activities.Activity{storetest.Act(1, 1), storetest.Act(2, 1)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db.Close()
	s, err = sqlitestore.New(openDB(t, path))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if e, _ := s.Put(ctx, []activities.Activity{storetest.Act(1, 1), storetest.Act(3, 1)}); len(e) != 1 || e[0].Seq != 3 {
		t.Fatalf("after reopen Put = %v", e)
	}
}

// TestDoesNotCloseDB checks the ownership rule: closing the store leaves
// the database open for its other users.
func TestDoesNotCloseDB(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "feed.db"))
	s, err := sqlitestore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Fatalf("the database was closed with the store: %v", err)
	}
}

func TestNewNil(t *testing.T) {
	if _, err := sqlitestore.New(nil); err == nil {
		t.Fatal("New(nil) succeeded")
	}
}
