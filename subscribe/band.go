package subscribe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Band is one value of the band criterion: a named band
// (activities.NamedBand: "radio", "millimetre", "submillimetre",
// "infrared", "near-infrared", "mid-infrared", "far-infrared", "optical",
// "ultraviolet", "xray", "soft-xray", "hard-xray", "gamma", and aliases),
// written as a JSON string, or a range written as an object with one pair
// of bounds: {"min_wavelength_m", "max_wavelength_m"},
// {"min_energy_kev", "max_energy_kev"} or {"min_frequency_hz",
// "max_frequency_hz"}.
//
// An activity matches a band when its bandpass overlaps the band's range;
// an activity without a bandpass never matches a band criterion.
type Band struct {
	Name                           string
	MinWavelengthM, MaxWavelengthM float64
	MinEnergyKeV, MaxEnergyKeV     float64
	MinFrequencyHz, MaxFrequencyHz float64
}

type jsonBandRange struct {
	MinWavelengthM *float64 `json:"min_wavelength_m,omitempty"`
	MaxWavelengthM *float64 `json:"max_wavelength_m,omitempty"`
	MinEnergyKeV   *float64 `json:"min_energy_kev,omitempty"`
	MaxEnergyKeV   *float64 `json:"max_energy_kev,omitempty"`
	MinFrequencyHz *float64 `json:"min_frequency_hz,omitempty"`
	MaxFrequencyHz *float64 `json:"max_frequency_hz,omitempty"`
}

// UnmarshalJSON decodes a band name or a range, refusing unknown fields,
// a missing bound and mixed units.
func (b *Band) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("band: %w", err)
		}
		*b = Band{Name: s}
		return nil
	}
	var j jsonBandRange
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("band: %w", err)
	}
	pairs := 0
	for _, p := range [...]struct {
		unit     string
		lo, hi   *float64
		dlo, dhi *float64
	}{
		{"wavelength_m", j.MinWavelengthM, j.MaxWavelengthM, &b.MinWavelengthM, &b.MaxWavelengthM},
		{"energy_kev", j.MinEnergyKeV, j.MaxEnergyKeV, &b.MinEnergyKeV, &b.MaxEnergyKeV},
		{"frequency_hz", j.MinFrequencyHz, j.MaxFrequencyHz, &b.MinFrequencyHz, &b.MaxFrequencyHz},
	} {
		if p.lo == nil && p.hi == nil {
			continue
		}
		if p.lo == nil || p.hi == nil {
			return fmt.Errorf("band: a range needs both min_%s and max_%s", p.unit, p.unit)
		}
		pairs++
	}
	switch pairs {
	case 0:
		return errors.New("band: give a band name or min/max_wavelength_m, min/max_energy_kev or min/max_frequency_hz")
	case 1:
	default:
		return errors.New("band: give one pair of bounds (wavelength, energy or frequency), not several")
	}
	deref := func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
	*b = Band{
		MinWavelengthM: deref(j.MinWavelengthM), MaxWavelengthM: deref(j.MaxWavelengthM),
		MinEnergyKeV: deref(j.MinEnergyKeV), MaxEnergyKeV: deref(j.MaxEnergyKeV),
		MinFrequencyHz: deref(j.MinFrequencyHz), MaxFrequencyHz: deref(j.MaxFrequencyHz),
	}
	return nil
}

// MarshalJSON encodes a named band as a string and a range as an object
// with its pair of bounds.
func (b Band) MarshalJSON() ([]byte, error) {
	if b.Name != "" {
		return json.Marshal(b.Name)
	}
	var j jsonBandRange
	switch {
	case b.MinEnergyKeV != 0 || b.MaxEnergyKeV != 0:
		j.MinEnergyKeV, j.MaxEnergyKeV = &b.MinEnergyKeV, &b.MaxEnergyKeV
	case b.MinFrequencyHz != 0 || b.MaxFrequencyHz != 0:
		j.MinFrequencyHz, j.MaxFrequencyHz = &b.MinFrequencyHz, &b.MaxFrequencyHz
	default:
		j.MinWavelengthM, j.MaxWavelengthM = &b.MinWavelengthM, &b.MaxWavelengthM
	}
	return json.Marshal(j)
}

// Bandpass returns the wavelength range of b and its label (the name as
// written, or the range with its unit), or an error saying what is wrong.
func (b Band) Bandpass() (activities.Bandpass, string, error) {
	if b.Name != "" {
		if b.MinWavelengthM != 0 || b.MaxWavelengthM != 0 || b.MinEnergyKeV != 0 || b.MaxEnergyKeV != 0 ||
			b.MinFrequencyHz != 0 || b.MaxFrequencyHz != 0 {
			return activities.Bandpass{}, "", errors.New("give either a name or a range, not both")
		}
		nb, ok := activities.NamedBand(b.Name)
		if ok && b.Name != strings.ToLower(strings.TrimSpace(b.Name)) {
			return activities.Bandpass{}, "", fmt.Errorf("%q: write band names in lower case, without surrounding spaces (%q)", b.Name, nb.Name)
		}
		if !ok {
			return activities.Bandpass{}, "", fmt.Errorf("%q is not a band; known bands: %s", b.Name, strings.Join(activities.BandNames(), ", "))
		}
		return nb.Bandpass, b.Name, nil
	}
	lo, hi, unit := b.MinWavelengthM, b.MaxWavelengthM, "m"
	switch {
	case b.MinEnergyKeV != 0 || b.MaxEnergyKeV != 0:
		lo, hi, unit = b.MinEnergyKeV, b.MaxEnergyKeV, "keV"
	case b.MinFrequencyHz != 0 || b.MaxFrequencyHz != 0:
		lo, hi, unit = b.MinFrequencyHz, b.MaxFrequencyHz, "Hz"
	}
	if !finite(lo) || !finite(hi) || lo <= 0 || hi <= 0 {
		return activities.Bandpass{}, "", fmt.Errorf("bounds %v and %v %s must be finite and positive", lo, hi, unit)
	}
	if lo > hi {
		return activities.Bandpass{}, "", fmt.Errorf("min %v %s is above max %v %s", lo, unit, hi, unit)
	}
	var (
		bp  activities.Bandpass
		err error
	)
	switch unit {
	case "keV":
		bp, err = activities.BandpassFromEnergy(activities.Energy(lo)*activities.KiloElectronVolt, activities.Energy(hi)*activities.KiloElectronVolt)
	case "Hz":
		bp, err = activities.BandpassFromFrequency(activities.Frequency(lo), activities.Frequency(hi))
	default:
		bp, err = activities.BandpassFromWavelength(activities.Wavelength(lo), activities.Wavelength(hi))
	}
	if err != nil {
		return activities.Bandpass{}, "", err
	}
	label := strconv.FormatFloat(lo, 'g', -1, 64) + "–" + strconv.FormatFloat(hi, 'g', -1, 64) + " " + unit
	return bp, label, nil
}
