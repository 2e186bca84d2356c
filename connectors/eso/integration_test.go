package eso

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// The integration tests send the ADQL this connector writes to a real ADQL
// parser: the DaCHS TAP service .ci/setup.d/40-dachs.sh starts. They skip
// when ARCSECOND_TAP_URL is unset, and fail then under CI.
func dachsURL(t *testing.T) string { return archivetest.TAPURL(t) }

// TestDaCHSAcceptsESOQueries runs the processed-product query (window, and
// a cone written INTERSECTS(s_region, CIRCLE(...)) = 1) as it is, and the
// raw-frame query with its table and columns renamed to DaCHS's
// ivoa.obscore (DaCHS has no dbo.raw): every literal the connector writes
// (a timestamp, a quoted string with a quote, a parenthesized negative, an
// MJD) must be accepted by DaCHS's ADQL parser.
func TestDaCHSAcceptsESOQueries(t *testing.T) {
	u := dachsURL(t)
	cone := &Cone{RA: 299.59, Dec: -35.2, Radius: 1}
	w := activities.Window{Start: time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2019, 11, 1, 0, 0, 0, 0, time.UTC)}
	s := mustNew(t, Options{URL: u, Products: []Product{Processed}, Cone: cone})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	qs, _ := s.Query(w)
	if _, err := activities.Collect(s.Activities(ctx, w)); err != nil {
		t.Fatalf("DaCHS: the processed query failed (%v):\n%s\n%v", connectors.KindOf(err), qs[0], err)
	}
	raw, err := (&rawTable{o: &Options{Cone: cone, Instruments: []string{"MUSE", "O'NEIL"}, ScienceOnly: true}}).ADQL(w)
	if err != nil {
		t.Fatal(err)
	}
	q := strings.NewReplacer("dbo.raw", "ivoa.obscore", "exp_start", "obs_id", "instrument IN", "instrument_name IN",
		"dp_cat =", "dataproduct_type =").Replace(raw)
	o, err := obscore.New(obscore.Options{URL: u, Name: "dachs", ADQL: q})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := activities.Collect(o.Activities(ctx, activities.Window{})); err != nil {
		t.Fatalf("DaCHS refused the raw query's literals:\n%s\n%v", q, err)
	}
	t.Logf("accepted: %s", q)
}
