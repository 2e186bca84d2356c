package activities_test

import (
	"context"
	"fmt"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// A feed de-duplicates what its sources list: polling the same data twice
// announces each activity once, and a new revision is announced again.
func ExampleFeed() {
	start := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	planned := activities.Activity{
		ID: activities.NewID("demo", "obs-1"), Source: "demo", Kind: activities.KindPlanned,
		Facility: "VLT UT4", Instrument: "MUSE", Start: start,
		Revision: activities.Revision(activities.KindPlanned, time.Time{}),
	}
	planned.Target.Name = "NGC 1068"
	planned.Target.SetPosition(40.669629, -0.013281)

	feed := activities.NewFeed(activities.FeedOptions{Now: func() time.Time { return start }})
	feed.Add(activities.FromSlice("demo", []activities.Activity{planned}), activities.Schedule{})
	sub := feed.Subscribe(activities.SubscribeOptions{Buffer: 8})
	defer sub.Close()

	ctx := context.Background()
	feed.Poll(ctx, "demo")
	feed.Poll(ctx, "demo") // the same data: nothing new

	done := planned
	done.Kind = activities.KindCompleted
	done.Revision = activities.Revision(activities.KindCompleted, time.Time{})
	feed.Ingest(ctx, done)

	for range 2 {
		e := <-sub.C()
		fmt.Println(e.Seq, e.Activity.ID, e.Activity.Kind, e.Activity.Target.Name)
	}
	// Output:
	// 1 demo:obs-1 planned NGC 1068
	// 2 demo:obs-1 completed NGC 1068
}

// Validate names every impossible field.
func ExampleActivity_Validate() {
	a := activities.Activity{ID: "demo:1", Source: "demo", Kind: activities.KindPlanned}
	a.Target.SetPosition(10, 95)
	fmt.Println(a.Validate())
	// Output:
	// facility: empty
	// target.dec: 95 is outside [-90, 90]
}

// A named band and the bandpasses it overlaps: Swift XRT (0.3–10 keV)
// observes in X-rays, not in the ultraviolet.
func ExampleNamedBand() {
	xrt, _ := activities.BandpassFromEnergy(0.3*activities.KiloElectronVolt, 10*activities.KiloElectronVolt)
	for _, name := range []string{"X-ray", "soft-xray", "uv"} {
		b, _ := activities.NamedBand(name)
		fmt.Printf("%s: %v, overlaps XRT: %v\n", b.Name, b.Bandpass, b.Bandpass.Overlaps(xrt))
	}
	// Output:
	// xray: 1 pm – 10 nm, overlaps XRT: true
	// soft-xray: 1 Å – 10 nm, overlaps XRT: true
	// ultraviolet: 10 nm – 400 nm, overlaps XRT: false
}
