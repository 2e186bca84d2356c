package obscore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// The integration tests run against the DaCHS TAP service that
// .ci/setup.d/40-dachs.sh installs (ivoa.obscore with the 3000 rows of
// testdata/dachs). They skip when ARCSECOND_TAP_URL is unset, and fail then
// under CI.
func dachsURL(t *testing.T) string { return archivetest.TAPURL(t) }

var dachsWindow = activities.Window{
	Start: time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC),
	End:   time.Date(2019, 11, 1, 0, 0, 0, 0, time.UTC),
}

func TestDaCHSLive(t *testing.T) {
	u := dachsURL(t)
	for _, format := range []string{"votable", "csv"} {
		for _, async := range []bool{false, format == "votable"} {
			s, err := New(Options{URL: u, Name: "dachs", Format: format, Async: async})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			acts, err := activities.Collect(s.Activities(ctx, dachsWindow))
			cancel()
			if err != nil {
				t.Fatalf("%s async=%v: %v", format, async, err)
			}
			if len(acts) < 20 {
				t.Fatalf("%s async=%v: only %d activities", format, async, len(acts))
			}
			for _, a := range acts {
				if err := a.Validate(); err != nil {
					t.Fatalf("%s: %v", a.ID, err)
				}
				if !dachsWindow.Overlaps(a.Start, a.End) {
					t.Errorf("%s [%s, %s] outside the window", a.ID, a.Start, a.End)
				}
			}
			t.Logf("%s async=%v: %d activities, first %s", format, async, len(acts), acts[0])
		}
	}
}

func TestDaCHSTruncation(t *testing.T) {
	u := dachsURL(t)
	for _, format := range []string{"votable", "csv"} {
		s, err := New(Options{URL: u, MaxRec: 7, Format: format})
		if err != nil {
			t.Fatal(err)
		}
		acts, err := activities.Collect(s.Activities(context.Background(), dachsWindow))
		if !errors.Is(err, connectors.ErrTruncated) {
			t.Fatalf("%s: got %v, want a truncation error", format, err)
		}
		if len(acts) != 7 {
			t.Fatalf("%s: %d activities before the truncation error, want 7", format, len(acts))
		}
		t.Logf("%s: %v", format, err)
	}
}

func TestDaCHSCone(t *testing.T) {
	u := dachsURL(t)
	s, err := New(Options{URL: u, Cone: &Cone{RA: 299.59, Dec: 35.2, Radius: 1}})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := activities.Collect(s.Activities(context.Background(), activities.Window{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) == 0 {
		t.Fatal("no activity around Cyg X-1")
	}
	// INTERSECTS(s_region, CIRCLE(...)) = 1: the footprint meets the cone,
	// so the centre lies within the radius plus the field.
	for _, a := range acts {
		ra, dec, _ := a.Target.Position()
		if astro.Separation(astro.Deg(ra), astro.Deg(dec), astro.Deg(299.59), astro.Deg(35.2)).Deg() > 1.0001+2*a.Target.FOVRadius {
			t.Errorf("%s at (%v, %v) field %v°, does not reach the cone", a.ID, ra, dec, a.Target.FOVRadius)
		}
	}
}
