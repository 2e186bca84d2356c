package astro

import (
	"math"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/astro/internal/astrotest"
)

type riseRow struct {
	line               int
	body               Body
	date               string
	lon, lat           float64
	rise, transit, set string
}

func readRiseRows(t testing.TB, dir string) []riseRow {
	recs := astrotest.ReadCSV(t, filepath.Join(dir, "rise_set.csv"))
	var rows []riseRow
	for i, r := range recs[1:] {
		b, err := ParseBody(r[0])
		if err != nil {
			t.Fatalf("line %d: %v", i+2, err)
		}
		lon, err1 := strconv.ParseFloat(r[2], 64)
		lat, err2 := strconv.ParseFloat(r[3], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("line %d: bad site", i+2)
		}
		rows = append(rows, riseRow{i + 2, b, r[1], lon, lat, r[5], r[6], r[7]})
	}
	return rows
}

// riseErrors compares RiseTransitSet with every row of rise_set.csv and
// returns the worst absolute error (s) per body; a missing/extra event is an
// error reported through t.
func checkRiseSet(t testing.TB, dir string) map[Body]float64 {
	worst := map[Body]float64{}
	for _, r := range readRiseRows(t, dir) {
		d, err := time.Parse("2006-01-02", r.date)
		if err != nil {
			t.Fatalf("line %d: %v", r.line, err)
		}
		from, err := NewUTC(d.Year(), int(d.Month()), d.Day(), 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		site := Site{Lon: Deg(r.lon), Lat: Deg(r.lat)}
		ev, err := RiseTransitSet(r.body, site, from)
		if err != nil {
			t.Fatalf("line %d: %v", r.line, err)
		}
		tol := 5.0
		if r.body == Moon {
			tol = 10
		}
		cmp := func(name, want string, has bool, got Time) {
			if want == "" {
				if has {
					t.Errorf("line %d %v %s: got %v, want none", r.line, r.body, name, got)
				}
				return
			}
			if !has {
				t.Errorf("line %d %v %s: got none, want %s", r.line, r.body, name, want)
				return
			}
			w, err := ParseTime(want)
			if err != nil {
				t.Fatalf("line %d: %v", r.line, err)
			}
			e := math.Abs(got.Sub(w))
			if e > worst[r.body] {
				worst[r.body] = e
			}
			if e > tol {
				t.Errorf("line %d %v %s: got %v, want %s (%.1f s)", r.line, r.body, name, got, want, e)
			}
		}
		cmp("rise", r.rise, ev.HasRise, ev.Rise)
		cmp("transit", r.transit, ev.HasTransit, ev.Transit)
		cmp("set", r.set, ev.HasSet, ev.Set)
	}
	return worst
}

func TestRiseSetVsSwissEphemeris(t *testing.T) {
	w := checkRiseSet(t, filepath.Join("testdata", "vectors"))
	t.Logf("worst: Sun %.2f s, Moon %.2f s", w[Sun], w[Moon])
}
