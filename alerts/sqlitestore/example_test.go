package sqlitestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/alerts/sqlitestore"
	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func Example() {
	dir, err := os.MkdirTemp("", "alerts")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlitedb.Open(filepath.Join(dir, "node.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close() // whoever opens the database closes it
	store, err := sqlitestore.New(db)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	first := alerts.Alert{
		ID: alerts.NewID("gcn", "maxi:9995289617"), Source: "gcn", Status: alerts.StatusActive,
		Mission: "MAXI", EventType: "grb", TriggerTime: time.Date(2023, 2, 20, 8, 56, 1, 0, time.UTC),
		Revision:     alerts.Revision(alerts.SeqInitial, 1, time.Time{}),
		Localization: alerts.CircleAt(346.56, 18.61, 1.5),
	}
	retraction := first
	retraction.Status, retraction.Revision = alerts.StatusRetracted, alerts.Revision(alerts.SeqRetraction, 2, time.Time{})
	store.Put(ctx, first)
	store.Put(ctx, retraction)
	revs, _ := store.Revisions(ctx, first.ID)
	for _, r := range revs {
		fmt.Println(r.Status)
	}
	found, _ := store.Find(ctx, alerts.Query{Mission: "maxi", Contains: &[2]float64{346, 18}, IncludeRetracted: true})
	fmt.Println(len(found), found[0].Status)
	// Output:
	// active
	// retracted
	// 1 retracted
}
