package activities

import (
	"fmt"
	"math"
	"strconv"
)

// This file holds every unit conversion of the activity model: wavelengths,
// photon energies and frequencies, with their unit constants. A bandpass is
// always stored as a wavelength range; energies and frequencies are
// converted here and nowhere else.

// Wavelength is a length in metres.
type Wavelength float64

// Units of wavelength: multiply a number by one of them ("656.3 *
// Nanometre") to get a Wavelength.
const (
	Metre      Wavelength = 1
	Centimetre Wavelength = 1e-2
	Millimetre Wavelength = 1e-3
	Micrometre Wavelength = 1e-6
	Nanometre  Wavelength = 1e-9
	Angstrom   Wavelength = 1e-10
)

// Energy is a photon energy in electronvolts.
type Energy float64

// Units of photon energy.
const (
	ElectronVolt     Energy = 1
	KiloElectronVolt Energy = 1e3
	MegaElectronVolt Energy = 1e6
	GigaElectronVolt Energy = 1e9
	TeraElectronVolt Energy = 1e12
)

// Frequency is a frequency in hertz.
type Frequency float64

// Units of frequency.
const (
	Hertz     Frequency = 1
	Kilohertz Frequency = 1e3
	Megahertz Frequency = 1e6
	Gigahertz Frequency = 1e9
	Terahertz Frequency = 1e12
)

// The exact SI defining constants (SI Brochure, 9th edition, 2019, table 1):
// the speed of light, Planck's constant and the elementary charge.
const (
	SpeedOfLight     = 299792458       // m s⁻¹
	PlanckConstant   = 6.62607015e-34  // J s
	ElementaryCharge = 1.602176634e-19 // C (so 1 eV = 1.602176634e-19 J)
	// planckEVMetre is h c / e = 1.239841984...e-6 eV m.
	planckEVMetre = PlanckConstant * SpeedOfLight / ElementaryCharge
)

// Wavelength returns the wavelength of a photon of energy e: λ = h c / E.
// It is +Inf for a zero energy and NaN for a negative one.
func (e Energy) Wavelength() Wavelength {
	if e < 0 || math.IsNaN(float64(e)) {
		return Wavelength(math.NaN())
	}
	return Wavelength(planckEVMetre / float64(e))
}

// Energy returns the energy of a photon of wavelength w: E = h c / λ.
func (w Wavelength) Energy() Energy {
	if w < 0 || math.IsNaN(float64(w)) {
		return Energy(math.NaN())
	}
	return Energy(planckEVMetre / float64(w))
}

// Wavelength returns the wavelength of radiation of frequency f: λ = c / ν.
func (f Frequency) Wavelength() Wavelength {
	if f < 0 || math.IsNaN(float64(f)) {
		return Wavelength(math.NaN())
	}
	return Wavelength(SpeedOfLight / float64(f))
}

// Frequency returns the frequency of radiation of wavelength w: ν = c / λ.
func (w Wavelength) Frequency() Frequency {
	if w < 0 || math.IsNaN(float64(w)) {
		return Frequency(math.NaN())
	}
	return Frequency(SpeedOfLight / float64(w))
}

// Metres returns w as a plain number of metres.
func (w Wavelength) Metres() float64 { return float64(w) }

// String writes w in the unit that suits its size: Å below 1 µm down to
// 0.1 Å, m from 1 m up, else nm, µm, mm; pm and fm for X- and gamma rays.
func (w Wavelength) String() string {
	v := float64(w)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v == 0:
		return strconv.FormatFloat(v, 'g', -1, 64) + " m"
	case v >= 1:
		return fmtUnit(v, 1, "m")
	case v >= 1e-3:
		return fmtUnit(v, 1e-3, "mm")
	case v >= 1e-6:
		return fmtUnit(v, 1e-6, "µm")
	case v >= 1e-9:
		return fmtUnit(v, 1e-9, "nm")
	case v >= 1e-11:
		return fmtUnit(v, 1e-10, "Å")
	case v >= 1e-12:
		return fmtUnit(v, 1e-12, "pm")
	default:
		return fmtUnit(v, 1e-15, "fm")
	}
}

// String writes e in eV, keV, MeV, GeV or TeV.
func (e Energy) String() string {
	v := float64(e)
	switch {
	case math.Abs(v) >= 1e12:
		return fmtUnit(v, 1e12, "TeV")
	case math.Abs(v) >= 1e9:
		return fmtUnit(v, 1e9, "GeV")
	case math.Abs(v) >= 1e6:
		return fmtUnit(v, 1e6, "MeV")
	case math.Abs(v) >= 1e3:
		return fmtUnit(v, 1e3, "keV")
	default:
		return fmtUnit(v, 1, "eV")
	}
}

// String writes f in Hz, kHz, MHz, GHz or THz.
func (f Frequency) String() string {
	v := float64(f)
	switch {
	case math.Abs(v) >= 1e12:
		return fmtUnit(v, 1e12, "THz")
	case math.Abs(v) >= 1e9:
		return fmtUnit(v, 1e9, "GHz")
	case math.Abs(v) >= 1e6:
		return fmtUnit(v, 1e6, "MHz")
	case math.Abs(v) >= 1e3:
		return fmtUnit(v, 1e3, "kHz")
	default:
		return fmtUnit(v, 1, "Hz")
	}
}

func fmtUnit(v, unit float64, name string) string {
	return fmt.Sprintf("%.4g %s", v/unit, name)
}
