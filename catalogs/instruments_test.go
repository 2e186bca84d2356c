package catalogs

import (
	"errors"
	"testing"
)

func TestInstrumentLookups(t *testing.T) {
	cases := []struct{ source, name, want, site string }{
		{"HST", "WFC3/UVIS", "WFC3/UVIS", ""},
		{"hst", "wfc3_uvis", "WFC3/UVIS", ""},
		{"", "acs-wfc", "ACS/WFC", ""},
		{"ESO", "HAWK-I", "HAWKI", "cerro-paranal"},
		{"ESO", "xshooter", "XSHOOTER", "cerro-paranal"},
		{"ESO", "X-Shooter", "XSHOOTER", "cerro-paranal"},
		{"ESO", "EFOSC2", "EFOSC", "la-silla"},
		{"ESO", "omegacam", "OMEGACAM", "cerro-paranal"},
		{"Gemini", "GMOS-S", "GMOS-S", "cerro-pachon"},
		{"gemini", "gmos_n", "GMOS-N", "mauna-kea"},
		{"Gemini", "Alopeke", "'Alopeke", "mauna-kea"},
		{"Gemini", "FLAMINGOS-2", "F2", "cerro-pachon"},
		{"Swift", "uvot", "UVOT", ""},
		{"HST", "WFPC2/PC", "WFPC2", ""},
		{"HST", "HRS   ", "GHRS", ""},
		{"Gemini", "TReCS", "T-ReCS", "cerro-pachon"},
		{"Gemini", "michelle", "Michelle", "mauna-kea"},
		{"Gemini", "ALOPEKE", "'Alopeke", "mauna-kea"},
		{"ESO", "APEXHET", "APEXHET", "chajnantor"},
	}
	for _, c := range cases {
		in, err := Instrument(c.source, c.name)
		if err != nil {
			t.Errorf("Instrument(%q, %q): %v", c.source, c.name, err)
			continue
		}
		if in.Name != c.want || in.SiteID != c.site {
			t.Errorf("Instrument(%q, %q) = %s at %q", c.source, c.name, in.Name, in.SiteID)
		}
		if c.site != "" {
			s, err := in.Site()
			if err != nil || s.ID != c.site {
				t.Errorf("%s site: %v %v", in.Name, s.ID, err)
			}
		}
	}
	if _, err := Instrument("ESO", "WFC3/UVIS"); !errors.Is(err, ErrNotFound) {
		t.Errorf("WFC3 under ESO: %v", err)
	}
	if in, _ := Instrument("HST", "WFC3/UVIS"); in.FOVRadiusDeg < 0.03 || in.FOVRadiusDeg > 0.033 {
		t.Errorf("WFC3/UVIS fov radius %v", in.FOVRadiusDeg)
	}
}

// TestInstrumentTable checks every row: the names the brief lists exist,
// every site ID resolves, and every FoV figure cites its source.
func TestInstrumentTable(t *testing.T) {
	all := Instruments()
	if len(all) < 60 {
		t.Fatalf("%d instruments", len(all))
	}
	for _, in := range all {
		if in.SiteID != "" {
			if _, err := in.Site(); err != nil {
				t.Errorf("%s: %v", in.Name, err)
			}
		} else if in.FacilityType != "spacecraft" {
			t.Errorf("%s: ground instrument without a site", in.Name)
		}
		if in.FOVRadiusDeg > 0 && in.FOVSource == "" {
			t.Errorf("%s: FoV without a source", in.Name)
		}
	}
	required := map[string][]string{
		"ESO": {"MUSE", "HAWKI", "FORS2", "UVES", "XSHOOTER", "ESPRESSO", "SPHERE", "KMOS", "VIRCAM", "OMEGACAM", "GRAVITY", "MATISSE",
			"CRIRES", "NACO", "VISIR", "ERIS", "FLAMES", "SINFONI", "HARPS", "NIRPS", "SOFI", "EFOSC"},
		"Gemini": {"GMOS-N", "GMOS-S", "GNIRS", "NIRI", "NIFS", "F2", "GSAOI", "GPI", "IGRINS", "GHOST", "'Alopeke", "Zorro", "MAROON-X",
			"TEXES", "bHROS", "Michelle", "T-ReCS", "Phoenix", "NICI", "Hokupaa+QUIRC", "OSCIR", "GRACES", "IGRINS-2", "SCORPIO"},
		"HST":   {"ACS/WFC", "ACS/HRC", "ACS/SBC", "WFC3/UVIS", "WFC3/IR", "STIS", "COS", "NICMOS", "WFPC2", "FOS", "GHRS", "FOC", "FGS"},
		"Swift": {"XRT", "UVOT", "BAT"},
	}
	for src, names := range required {
		for _, n := range names {
			if _, err := Instrument(src, n); err != nil {
				t.Errorf("%s %s: %v", src, n, err)
			}
		}
	}
}

func BenchmarkInstrument(b *testing.B) {
	for b.Loop() {
		if _, err := Instrument("HST", "wfc3_uvis"); err != nil {
			b.Fatal(err)
		}
	}
}
