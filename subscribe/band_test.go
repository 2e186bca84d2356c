package subscribe

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
)

func TestBandCriterion(t *testing.T) {
	sub, err := ParseSubscription([]byte(`{"id":"x","criteria":{"bands":["xray",{"min_energy_kev":1500,"max_energy_kev":10000}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	kev := func(lo, hi float64) *activities.Bandpass {
		b, err := activities.BandpassFromEnergy(activities.Energy(lo)*activities.KiloElectronVolt, activities.Energy(hi)*activities.KiloElectronVolt)
		if err != nil {
			t.Fatal(err)
		}
		return &b
	}
	optical := &activities.Bandpass{Min: 400 * activities.Nanometre, Max: 700 * activities.Nanometre}
	for _, c := range []struct {
		name string
		bp   *activities.Bandpass
		want string // the band reason's value, "" for no match
	}{
		{"Swift XRT 0.3–10 keV", kev(0.3, 10), "xray"},
		{"INTEGRAL SPI 20 keV–8 MeV", kev(20, 8000), "xray"},
		{"Fermi LAT 20 MeV–300 GeV", kev(2e4, 3e8), ""},
		{"COMPTEL-like 2–5 MeV", kev(2000, 5000), "1500–10000 keV"},
		{"optical", optical, ""},
		{"no bandpass", nil, ""},
	} {
		a := activities.Activity{ID: "s:1", Source: "s", Kind: activities.KindPlanned, Facility: "F", Bandpass: c.bp}
		for _, ix := range []Index{NewMatcher(), NewBruteForce()} {
			if err := ix.Add(sub); err != nil {
				t.Fatal(err)
			}
			ms := ix.Match(&a)
			got := ""
			if len(ms) == 1 {
				i := slices.IndexFunc(ms[0].Reasons, func(r Reason) bool { return r.Criterion == "band" })
				if i < 0 {
					t.Fatalf("%s: %T match without a band reason: %+v", c.name, ix, ms[0].Reasons)
				}
				got = ms[0].Reasons[i].Value
			}
			if got != c.want {
				t.Errorf("%s: %T band reason %q, want %q", c.name, ix, got, c.want)
			}
		}
	}
}

func TestBandRoundTrip(t *testing.T) {
	in := `[{"min_frequency_hz":1000000000,"max_frequency_hz":2000000000},"uv",{"min_wavelength_m":1e-7,"max_wavelength_m":2e-7}]`
	var bs []Band
	if err := json.Unmarshal([]byte(in), &bs); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(bs)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip: %s, want %s", out, in)
	}
	bp, label, err := bs[0].Bandpass()
	if err != nil || label != "1e+09–2e+09 Hz" || !bp.Contains(0.2) || bp.Contains(0.1) {
		t.Errorf("1–2 GHz: %v %q %v", bp, label, err)
	}
}
