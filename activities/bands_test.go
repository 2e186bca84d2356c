package activities

import "testing"

func TestNamedBands(t *testing.T) {
	for _, tc := range []struct {
		name string
		want string
		in   Wavelength // a wavelength inside the band
		out  Wavelength // one outside it
	}{
		{"X-ray", "xray", (1 * KiloElectronVolt).Wavelength(), 500 * Nanometre},
		{"soft x-ray", "soft-xray", (1 * KiloElectronVolt).Wavelength(), (50 * KiloElectronVolt).Wavelength()},
		{"hard xray", "hard-xray", (50 * KiloElectronVolt).Wavelength(), (1 * KiloElectronVolt).Wavelength()},
		{"Gamma", "gamma", (1 * GigaElectronVolt).Wavelength(), (10 * KiloElectronVolt).Wavelength()},
		{"gamma-ray", "gamma", (1 * TeraElectronVolt).Wavelength(), 1 * Nanometre},
		{"optical", "optical", 550 * Nanometre, 2 * Micrometre},
		{"visible", "optical", 400 * Nanometre, 300 * Nanometre},
		{"UV", "ultraviolet", 150 * Nanometre, 600 * Nanometre},
		{"NIR", "near-infrared", 2.2 * Micrometre, 10 * Micrometre},
		{"mid infrared", "mid-infrared", 10 * Micrometre, 2 * Micrometre},
		{"far-infrared", "far-infrared", 100 * Micrometre, 1 * Millimetre},
		{"IR", "infrared", 10 * Micrometre, 500 * Nanometre},
		{"submm", "submillimetre", 0.45 * Millimetre, 3 * Millimetre},
		{"millimeter", "millimetre", (Frequency(100 * Gigahertz)).Wavelength(), 0.5 * Millimetre},
		{"radio", "radio", (1.4 * Gigahertz).Wavelength(), 0.5 * Millimetre},
	} {
		b, ok := NamedBand(tc.name)
		if !ok || b.Name != tc.want {
			t.Errorf("NamedBand(%q) = %v, %v; want %s", tc.name, b, ok, tc.want)
			continue
		}
		if !b.Bandpass.Contains(tc.in) {
			t.Errorf("%s does not contain %v", b, tc.in)
		}
		if b.Bandpass.Contains(tc.out) {
			t.Errorf("%s contains %v", b, tc.out)
		}
		if b.Source == "" {
			t.Errorf("%s cites no source", b.Name)
		}
		if err := b.Bandpass.check(); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
	}
	for _, bad := range []string{"", "  ", "blue", "x-rays!", "radi", "x_ray", "xr ay"} {
		if b, ok := NamedBand(bad); ok {
			t.Errorf("NamedBand(%q) = %v, want none", bad, b)
		}
	}
	if n := len(BandNames()); n != len(Bands()) || n < 10 {
		t.Errorf("%d names for %d bands", n, len(Bands()))
	}
}
