package obscore

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// TestConeContract: a cone is a footprint test on s_region, as ESO's own
// client writes it (astropy/astroquery@2e8c636:astroquery/eso/utils.py
// _build_adql_string), not a point test on s_ra/s_dec.
func TestConeContract(t *testing.T) {
	s, err := New(Options{URL: "https://example.org/tap", Cone: &Cone{RA: 266.41681662, Dec: -29.00782497, Radius: 0.1775}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Query(activities.Window{})
	if err != nil {
		t.Fatal(err)
	}
	const want = "INTERSECTS(s_region, CIRCLE('ICRS', 266.41681662, (-29.00782497), 0.1775)) = 1"
	if !strings.Contains(q, want) || strings.Contains(q, "POINT(") {
		t.Fatalf("query %s\nwant the condition %s", q, want)
	}
	for _, bad := range []Cone{{Radius: 0}, {Radius: 200}, {Dec: 91, Radius: 1}, {RA: math.Inf(1), Radius: 1}, {RA: math.NaN(), Radius: 1}} {
		if _, err := ConeCondition("s_region", bad); !errors.Is(err, connectors.ErrInvalid) {
			t.Errorf("cone %+v: %v, want ErrInvalid", bad, err)
		}
	}
}
