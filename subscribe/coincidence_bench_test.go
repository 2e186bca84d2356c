package subscribe

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/internal/loadavg"
)

// BenchmarkCoincidences: 10⁵ coincidence subscriptions (each a sky region
// of 1–11° radius; a third also a facility, a third an alert mission), 2000
// activities of the last hours kept; then b.N unseen events, alternately an
// alert (10° circle) and an activity, each timed as the index sees it
// (GC included). Reports p50 and p99 per event and the load average.
//
//	go test -run '^$' -bench Coincidences -benchtime 2000x ./subscribe
func BenchmarkCoincidences(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 5))
	x := NewCoincidences()
	facilities := []string{"VLT UT1", "VLT UT2", "VLT UT3", "VLT UT4", "Gemini North", "Gemini South", "HST", "Swift", "XMM", "Chandra"}
	for i := range benchSubs {
		// A follow-up team watches its fields: every subscription has a
		// sky region, and some a facility or an alert mission too.
		c := Criteria{
			Coincidence: &Coincidence{WithinS: float64(600 + r.IntN(86400))},
			Regions:     []Region{{RA: r.Float64() * 360, Dec: r.Float64()*180 - 90, Radius: 1 + r.Float64()*10}},
		}
		switch i % 3 {
		case 0:
			c.Facilities = []string{facilities[r.IntN(len(facilities))]}
		case 2:
			c.Alerts = &AlertCriteria{Missions: []string{[]string{"Fermi", "Swift", "MAXI"}[r.IntN(3)]}}
		}
		if err := x.Add(&Subscription{ID: "s" + strconv.Itoa(i), Criteria: c}); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	newAct := func(i int) activities.Activity {
		return obs(fmt.Sprint("act", i), facilities[r.IntN(len(facilities))], r.Float64()*360, r.Float64()*180-90, r.Float64()*0.5,
			now.Add(time.Duration(i)*2*time.Second), time.Duration(r.IntN(3600))*time.Second)
	}
	for i := range 2000 {
		x.Activity(newAct(i))
	}
	lat := make([]time.Duration, 0, b.N)
	fired := 0
	b.ResetTimer()
	for i := range b.N {
		var t0 time.Time
		if i%2 == 0 {
			al := grb(fmt.Sprint("al", i), r.Float64()*360, r.Float64()*180-90, 10, now.Add(time.Duration(r.IntN(4000))*time.Second))
			al.Mission = []string{"Fermi", "Swift", "MAXI"}[r.IntN(3)]
			t0 = time.Now()
			fired += len(x.Alert(al))
		} else {
			a := newAct(2000 + i)
			t0 = time.Now()
			fired += len(x.Activity(a))
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
	b.ReportMetric(float64(fired)/float64(b.N), "fired/event")
	if l, err := loadavg.Read(); err == nil {
		b.ReportMetric(l[0], "loadavg-1m")
	}
}

// benchSubs is how many subscriptions BenchmarkCoincidences holds.
var benchSubs = envInt("ARCSECOND_COINC_SUBS", 100_000)

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v > 0 {
		return v
	}
	return def
}
