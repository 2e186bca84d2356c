package activities_test

import (
	"math"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
)

func TestBandpassFromEnergyOrdersByWavelength(t *testing.T) {
	// NuSTAR's 3–79 keV band: 79 keV is the short end.
	b, err := activities.BandpassFromEnergy(3*activities.KiloElectronVolt, 79*activities.KiloElectronVolt)
	if err != nil {
		t.Fatal(err)
	}
	if !near(float64(b.Min), 1.239841984e-9/79, 1e-9) || !near(float64(b.Max), 1.239841984e-9/3, 1e-9) {
		t.Fatalf("got %v", b)
	}
	lo, hi := b.Energies()
	if !near(float64(lo), 3000, 1e-12) || !near(float64(hi), 79000, 1e-12) {
		t.Fatalf("Energies() = %v, %v", lo, hi)
	}
	swapped, _ := activities.BandpassFromEnergy(79*activities.KiloElectronVolt, 3*activities.KiloElectronVolt)
	if swapped != b {
		t.Fatalf("order of arguments matters: %v vs %v", swapped, b)
	}
}

func TestBandpassFromFrequency(t *testing.T) {
	b, err := activities.BandpassFromFrequency(1*activities.Gigahertz, 2*activities.Gigahertz)
	if err != nil {
		t.Fatal(err)
	}
	if !near(float64(b.Min), 0.149896229, 1e-9) || !near(float64(b.Max), 0.299792458, 1e-9) {
		t.Fatalf("got %v", b)
	}
	lo, hi := b.Frequencies()
	if !near(float64(lo), 1e9, 1e-12) || !near(float64(hi), 2e9, 1e-12) {
		t.Fatalf("Frequencies() = %v, %v", lo, hi)
	}
}

func TestBandpassRefusesImpossibleRanges(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func() (activities.Bandpass, error)
		want string
	}{
		{"zero energy", func() (activities.Bandpass, error) { return activities.BandpassFromEnergy(0, 1) }, "positive"},
		{"infinite energy", func() (activities.Bandpass, error) {
			return activities.BandpassFromEnergy(1, activities.Energy(math.Inf(1)))
		}, "finite"},
		{"negative frequency", func() (activities.Bandpass, error) { return activities.BandpassFromFrequency(-1, 1) }, "positive"},
		{"NaN wavelength", func() (activities.Bandpass, error) {
			return activities.BandpassFromWavelength(activities.Wavelength(math.NaN()), 1)
		}, "finite"},
		{"negative wavelength", func() (activities.Bandpass, error) { return activities.BandpassFromWavelength(-1, 1) }, "positive"},
	} {
		_, err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

func TestNamedFilter(t *testing.T) {
	// Bessell V: λ_eff 545.6 nm, Δλ_eff 80.7 nm (bd-j/sedpy@9b4b456:sedpy/data/filters/README.md).
	for _, name := range []string{"V", "Bessell V", "Johnson V", " Johnson.V "} {
		b, ok := activities.NamedFilter(name)
		if !ok {
			t.Fatalf("%q unknown", name)
		}
		if !near(float64(b.Min), 505.25e-9, 1e-9) || !near(float64(b.Max), 585.95e-9, 1e-9) {
			t.Fatalf("%q = %v", name, b)
		}
		if !b.Contains(550 * activities.Nanometre) {
			t.Fatalf("%q does not contain 550 nm", name)
		}
	}
	if _, ok := activities.NamedFilter("v"); ok {
		t.Fatal("lower-case v accepted: filter names are case-sensitive")
	}
	if got := strings.Join(activities.NamedFilters(), ","); got != "U,B,V,R,I,LSST u,LSST g,LSST r,LSST i,LSST z,LSST y" {
		t.Fatalf("NamedFilters() = %q", got)
	}
	// LSST r: 552-691 nm (lsst-dm/obsloctap@1ef03bd:src/obsloctap/models.py spectral_ranges).
	if r, ok := activities.NamedFilter("LSST r"); !ok || !near(float64(r.Min), 552e-9, 1e-12) || !near(float64(r.Max), 691e-9, 1e-12) {
		t.Fatalf("LSST r = %v %v", r, ok)
	}
	if _, ok := activities.NamedFilter("LSST V"); ok {
		t.Fatal("LSST V accepted")
	}
	b, _ := activities.NamedFilter("B")
	v, _ := activities.NamedFilter("V")
	r, _ := activities.NamedFilter("R")
	if !v.Overlaps(r) || b.Overlaps(v) || b.Overlaps(r) {
		t.Fatalf("V %v overlaps R %v: %v; B %v overlaps V: %v, R: %v", v, r, v.Overlaps(r), b, b.Overlaps(v), b.Overlaps(r))
	}
	if got := v.String(); got != "505.2 nm – 585.9 nm" && got != "505.3 nm – 586 nm" {
		t.Fatalf("String() = %q", got)
	}
}
