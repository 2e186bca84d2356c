package alerts_test

import (
	"context"
	"fmt"
	"time"

	"github.com/arcsecond-go/arcsecond/alerts"
)

func Example() {
	ctx := context.Background()
	store := alerts.NewMemoryStore()
	trig := time.Date(2023, 2, 20, 8, 56, 1, 0, time.UTC)
	first := alerts.Alert{
		ID: alerts.NewID("gcn", "maxi:9995289617"), Source: "gcn", Status: alerts.StatusActive,
		Mission: "MAXI", EventType: "grb", TriggerTime: trig,
		Revision:     alerts.Revision(alerts.SeqInitial, 1, time.Time{}),
		Localization: alerts.CircleAt(346.56, 18.61, 1.5),
	}
	store.Put(ctx, first)
	retraction := first
	retraction.Status, retraction.Revision = alerts.StatusRetracted, alerts.Revision(alerts.SeqRetraction, 2, time.Time{})
	stored, _ := store.Put(ctx, retraction)
	got, _, _ := store.Get(ctx, first.ID)
	fmt.Println(stored, got.Status)
	fmt.Println(first.Localization.Contains(346.0, 18.0), first.Localization.Contains(340.0, 18.0))
	// Output:
	// true retracted
	// true false
}
