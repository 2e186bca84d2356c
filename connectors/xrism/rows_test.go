package xrism

import (
	"math"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestAllRows: every row of the SYNTHETIC schedule page (no real reply
// exists; see PROVENANCE.md), read by eye from the three pages: each
// sequence gives a Resolve and an Xtend activity from its manoeuvre start
// for the exposure of the proposal table (ks, awarded_exposure) or the ToO
// table (Exp. (ks)); the CAL sequence is two counted skips.
func TestAllRows(t *testing.T) {
	res, err := ParseSchedule(archivetest.Read(t, schedPage), exposures(t))
	if err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		seq, target string
		ra, dec     float64
		start       string
		exp         float64
	}{
		{"12345", "Cygnus X-1", 299.590, 35.201, "2026-06-04T02:21:00Z", 50000},
		{"300001010", "Perseus cluster", 49.951, 41.512, "2026-06-04T17:00:00Z", 120500},
		{"901001010", "GRB 260603A", 120.5, -12.25, "2026-06-05T12:00:00Z", 30000},
	}
	ins := []struct {
		name, mode string
		lo, hi     float64 // keV, ACROSS's XRISM bands
	}{{"Resolve", "spectroscopy", 1.7, 12}, {"Xtend", "imaging", 0.4, 13}}
	if res.Records != 8 || len(res.Activities) != 6 || res.Skipped[SkipCalibration] != 2 || len(res.Warnings) != 0 {
		t.Fatalf("records %d, activities %d, skipped %v, warnings %v", res.Records, len(res.Activities), res.Skipped, res.Warnings)
	}
	i := 0
	for _, r := range rows {
		start, _ := time.Parse(time.RFC3339, r.start)
		for _, in := range ins {
			a := res.Activities[i]
			i++
			if a.ID != "xrism:"+r.seq+"-"+in.name || a.DatasetID != r.seq || a.Instrument != in.name || a.Mode != in.mode {
				t.Errorf("%s %s: %s %s %s %s", r.seq, in.name, a.ID, a.DatasetID, a.Instrument, a.Mode)
			}
			if !a.Start.Equal(start) || !a.End.Equal(start.Add(time.Duration(r.exp)*time.Second)) || a.Exposure == nil || *a.Exposure != r.exp {
				t.Errorf("%s %s: [%s, %s] %v", r.seq, in.name, a.Start, a.End, a.Exposure)
			}
			if a.Target.Name != r.target || a.Pointing == nil || a.Pointing.RA != r.ra || a.Pointing.Dec != r.dec {
				t.Errorf("%s %s: %q %v", r.seq, in.name, a.Target.Name, a.Pointing)
			}
			lo, hi := a.Bandpass.Energies()
			if math.Abs(float64(lo)/1000-in.lo) > 1e-9 || math.Abs(float64(hi)/1000-in.hi) > 1e-9 {
				t.Errorf("%s %s: band %v-%v eV", r.seq, in.name, lo, hi)
			}
			if a.Kind != activities.KindPlanned || a.Fidelity != activities.FidelityLow || a.Facility != "XRISM" {
				t.Errorf("%s %s: %s %s %s", r.seq, in.name, a.Kind, a.Fidelity, a.Facility)
			}
		}
	}
}
