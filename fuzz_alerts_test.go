package arcsecond

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/alerts"
)

// FuzzAlertQuery: any query string of GET /api/alerts is parsed or refused
// with the field it names, never a panic; a cursor the server makes
// decodes to what it encodes.
func FuzzAlertQuery(f *testing.F) {
	for _, s := range []string{"", "mission=Fermi&event_type=grb", "ra=10&dec=-5", "start=2026-01-01T00:00:00Z&end=2025-01-01T00:00:00Z",
		"limit=0", "cursor=MTcwMDAwMDAwMDAwMDAwMDAwMCBnY246eA", "include_tests=true&include_retracted=1", "ra=%zz", "dec=NaN&ra=1"} {
		f.Add(s, int64(1.7e18), "gcn:x:1")
	}
	f.Fuzz(func(t *testing.T, raw string, ns int64, id string) {
		r := httptest.NewRequest("GET", "/api/alerts", nil)
		r.URL.RawQuery = raw
		aq, field, err := parseAlertQuery(r)
		if err != nil && field == "" && err.Error() == "" {
			t.Fatalf("%q: an error without text", raw)
		}
		if err == nil {
			if aq.Limit < 1 || aq.Limit > 1000 {
				t.Errorf("%q: limit %d", raw, aq.Limit)
			}
			if p := aq.Contains; p != nil && !(p[0] >= 0 && p[0] < 360 && p[1] >= -90 && p[1] <= 90) {
				t.Errorf("%q: accepted the position %v", raw, *p)
			}
		}
		if id == "" {
			return
		}
		a := alerts.Alert{ID: id, TriggerTime: time.Unix(0, ns).UTC()}
		tt, gotID, err := decodeAlertCursor(encodeAlertCursor(&a))
		if err != nil || !tt.Equal(a.TriggerTime) || gotID != id {
			t.Errorf("cursor of (%v, %q) decodes to (%v, %q, %v)", a.TriggerTime, id, tt, gotID, err)
		}
	})
}
