package activities

import (
	"fmt"
	"math"
	"strings"
)

// Bandpass is the range of wavelengths an activity observes, from Min (the
// shortest) to Max (the longest). Sources that give an energy range (X and
// gamma rays) or a frequency range (radio) convert it with
// [BandpassFromEnergy] and [BandpassFromFrequency]; a named filter with
// [NamedFilter].
type Bandpass struct {
	Min, Max Wavelength
}

// BandpassFromWavelength returns the bandpass [lo, hi], in either order.
// Both must be finite and positive.
func BandpassFromWavelength(lo, hi Wavelength) (Bandpass, error) {
	if lo > hi {
		lo, hi = hi, lo
	}
	b := Bandpass{Min: lo, Max: hi}
	if err := b.check(); err != nil {
		return Bandpass{}, err
	}
	return b, nil
}

// BandpassFromEnergy returns the bandpass of photons with energies between
// lo and hi (in either order): the highest energy is the shortest
// wavelength.
func BandpassFromEnergy(lo, hi Energy) (Bandpass, error) {
	if lo <= 0 || hi <= 0 || math.IsInf(float64(lo), 0) || math.IsInf(float64(hi), 0) {
		return Bandpass{}, fmt.Errorf("bandpass: energies must be finite and positive, got %v and %v", float64(lo), float64(hi))
	}
	return BandpassFromWavelength(hi.Wavelength(), lo.Wavelength())
}

// BandpassFromFrequency returns the bandpass of radiation with frequencies
// between lo and hi (in either order).
func BandpassFromFrequency(lo, hi Frequency) (Bandpass, error) {
	if lo <= 0 || hi <= 0 || math.IsInf(float64(lo), 0) || math.IsInf(float64(hi), 0) {
		return Bandpass{}, fmt.Errorf("bandpass: frequencies must be finite and positive, got %v and %v", float64(lo), float64(hi))
	}
	return BandpassFromWavelength(hi.Wavelength(), lo.Wavelength())
}

// IsZero reports an unset bandpass.
func (b Bandpass) IsZero() bool { return b.Min == 0 && b.Max == 0 }

// Contains reports whether w lies in the bandpass.
func (b Bandpass) Contains(w Wavelength) bool { return w >= b.Min && w <= b.Max }

// Overlaps reports whether the two bandpasses share a wavelength.
func (b Bandpass) Overlaps(o Bandpass) bool { return b.Min <= o.Max && o.Min <= b.Max }

// Energies returns the photon energy range of the bandpass, lowest first.
func (b Bandpass) Energies() (lo, hi Energy) { return b.Max.Energy(), b.Min.Energy() }

// Frequencies returns the frequency range of the bandpass, lowest first.
func (b Bandpass) Frequencies() (lo, hi Frequency) { return b.Max.Frequency(), b.Min.Frequency() }

// String writes the range in wavelength units ("552 nm – 691 nm").
func (b Bandpass) String() string { return b.Min.String() + " – " + b.Max.String() }

// check reports the first impossible value, as a reason.
func (b Bandpass) check() error {
	lo, hi := float64(b.Min), float64(b.Max)
	switch {
	case !finite(lo) || !finite(hi):
		return fmt.Errorf("bandpass: wavelengths must be finite, got %v and %v m", lo, hi)
	case lo <= 0 || hi <= 0:
		return fmt.Errorf("bandpass: wavelengths must be positive, got %v and %v m", lo, hi)
	case lo > hi:
		return fmt.Errorf("bandpass: min %v m is above max %v m", lo, hi)
	}
	return nil
}

// namedFilter is a filter's effective wavelength and effective width.
type namedFilter struct {
	name          string
	centre, width Wavelength
}

// namedFilters are the idealized Bessell UBVRI passbands: effective
// wavelength λ_eff and width Δλ_eff as tabulated by bd-j/sedpy
// (sedpy/data/filters/README.md at 9b4b45687d0163dde1bd0e6030dab52957cd5d06,
// "Idealized Systems / Bessell"). A filter's bandpass is λ_eff ± Δλ_eff/2.
var namedFilters = []namedFilter{
	{"U", 357.1 * Nanometre, 52.4 * Nanometre},
	{"B", 434.4 * Nanometre, 79.7 * Nanometre},
	{"V", 545.6 * Nanometre, 80.7 * Nanometre},
	{"R", 644.2 * Nanometre, 137.7 * Nanometre},
	{"I", 799.4 * Nanometre, 107.9 * Nanometre},
}

// lsstFilters are the LSSTCam u, g, r, i, z, y edges Rubin's ObsLocTAP
// service writes in em_min/em_max (spectral_ranges in
// lsst-dm/obsloctap@1ef03bd836d9ed49f6f7921fffa1082f07d0ffdc:src/obsloctap/models.py).
var lsstFilters = []struct {
	name     string
	min, max Wavelength
}{
	{"u", 330 * Nanometre, 400 * Nanometre},
	{"g", 402 * Nanometre, 552 * Nanometre},
	{"r", 552 * Nanometre, 691 * Nanometre},
	{"i", 691 * Nanometre, 818 * Nanometre},
	{"z", 818 * Nanometre, 922 * Nanometre},
	{"y", 922 * Nanometre, 1060 * Nanometre},
}

// NamedFilter returns the bandpass of a named photometric filter: the
// Johnson–Cousins U, B, V, R, I passbands (as "V", "Bessell V" or
// "Johnson V"; case matters, as "i" is another filter) and the LSSTCam
// filters ("LSST u" … "LSST y"). ok is false for a name it does not know.
func NamedFilter(name string) (b Bandpass, ok bool) {
	n := strings.TrimSpace(name)
	if l, found := strings.CutPrefix(n, "LSST "); found {
		for _, f := range lsstFilters {
			if f.name == l {
				return Bandpass{Min: f.min, Max: f.max}, true
			}
		}
		return Bandpass{}, false
	}
	for _, p := range []string{"Bessell ", "Johnson ", "Bessell.", "Johnson."} {
		n = strings.TrimPrefix(n, p)
	}
	for _, f := range namedFilters {
		if f.name == n {
			return Bandpass{Min: f.centre - f.width/2, Max: f.centre + f.width/2}, true
		}
	}
	return Bandpass{}, false
}

// NamedFilters lists the names NamedFilter knows.
func NamedFilters() []string {
	out := make([]string, 0, len(namedFilters)+len(lsstFilters))
	for _, f := range namedFilters {
		out = append(out, f.name)
	}
	for _, f := range lsstFilters {
		out = append(out, "LSST "+f.name)
	}
	return out
}
