package activities_test

import (
	"math"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
)

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Abs(b) }

// Reference values: h c / e = 1.239841984e-6 eV m (CODATA 2018, exact
// from the SI defining constants); the hydrogen 21 cm line at
// 1420.405751768 MHz is 21.106114054 cm.
func TestConversions(t *testing.T) {
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"1 keV in m", float64((1 * activities.KiloElectronVolt).Wavelength()), 1.239841984e-9},
		{"10 keV in m", float64((10 * activities.KiloElectronVolt).Wavelength()), 1.239841984e-10},
		{"1 GeV in m", float64((1 * activities.GigaElectronVolt).Wavelength()), 1.239841984e-15},
		{"1 eV in m", float64(activities.ElectronVolt.Wavelength()), 1.239841984e-6},
		{"21 cm line in m", float64((1420.405751768 * activities.Megahertz).Wavelength()), 0.21106114054},
		{"1 GHz in m", float64(activities.Gigahertz.Wavelength()), 0.299792458},
		{"6562.8 Å in nm", float64(6562.8*activities.Angstrom) / float64(activities.Nanometre), 656.28},
		{"500 nm in eV", float64((500 * activities.Nanometre).Energy()), 2.479683968},
		{"1 m in Hz", float64(activities.Metre.Frequency()), 299792458},
		{"2 µm in mm", float64(2*activities.Micrometre) / float64(activities.Millimetre), 0.002},
		{"1 cm in m", float64(activities.Centimetre), 0.01},
		{"1 TeV in eV", float64(activities.TeraElectronVolt), 1e12},
		{"1 THz in kHz", float64(activities.Terahertz / activities.Kilohertz), 1e9},
	}
	for _, c := range cases {
		if !near(c.got, c.want, 1e-9) {
			t.Errorf("%s = %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
}

func TestConversionsRoundTrip(t *testing.T) {
	for _, w := range []activities.Wavelength{1e-15, 3e-10, 5.5e-7, 2.1e-1, 30} {
		if back := w.Energy().Wavelength(); !near(float64(back), float64(w), 1e-12) {
			t.Errorf("%v → energy → %v", w, back)
		}
		if back := w.Frequency().Wavelength(); !near(float64(back), float64(w), 1e-12) {
			t.Errorf("%v → frequency → %v", w, back)
		}
	}
}

func TestConversionsOfImpossibleValues(t *testing.T) {
	if w := activities.Energy(-1).Wavelength(); !math.IsNaN(float64(w)) {
		t.Errorf("negative energy gave %v, want NaN", w)
	}
	if w := activities.Frequency(math.NaN()).Wavelength(); !math.IsNaN(float64(w)) {
		t.Errorf("NaN frequency gave %v", w)
	}
	if e := activities.Wavelength(-1).Energy(); !math.IsNaN(float64(e)) {
		t.Errorf("negative wavelength gave %v", e)
	}
	if f := activities.Wavelength(-1).Frequency(); !math.IsNaN(float64(f)) {
		t.Errorf("negative wavelength gave %v", f)
	}
}

func TestUnitStrings(t *testing.T) {
	cases := []struct{ got, want string }{
		{(656.3 * activities.Nanometre).String(), "656.3 nm"},
		{(1 * activities.KiloElectronVolt).Wavelength().String(), "1.24 nm"},
		{(10 * activities.KiloElectronVolt).Wavelength().String(), "1.24 Å"},
		{(2 * activities.Micrometre).String(), "2 µm"},
		{(0.21 * activities.Metre).String(), "210 mm"},
		{(3 * activities.Metre).String(), "3 m"},
		{(1 * activities.GigaElectronVolt).Wavelength().String(), "1.24 fm"},
		{(2 * 1e-12 * activities.Metre).String(), "2 pm"},
		{activities.Wavelength(0).String(), "0 m"},
		{(2.5 * activities.KiloElectronVolt).String(), "2.5 keV"},
		{(30 * activities.GigaElectronVolt).String(), "30 GeV"},
		{(3 * activities.TeraElectronVolt).String(), "3 TeV"},
		{(1.4 * activities.MegaElectronVolt).String(), "1.4 MeV"},
		{activities.Energy(5).String(), "5 eV"},
		{(1420 * activities.Megahertz).String(), "1.42 GHz"},
		{(5 * activities.Terahertz).String(), "5 THz"},
		{(5 * activities.Kilohertz).String(), "5 kHz"},
		{(2 * activities.Megahertz).String(), "2 MHz"},
		{activities.Frequency(50).String(), "50 Hz"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
