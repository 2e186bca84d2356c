package activities

import (
	"slices"
	"strings"
)

// Band is a named region of the electromagnetic spectrum ("xray",
// "optical"), as a subscription or a query names it.
type Band struct {
	// Name is the canonical name ("near-infrared").
	Name string
	// Bandpass is the band's wavelength range.
	Bandpass Bandpass
	// Source cites where the range comes from.
	Source string
	// Aliases are other names NamedBand accepts for the band ("x-ray").
	Aliases []string
}

// String returns the band's name and range.
func (b Band) String() string { return b.Name + " (" + b.Bandpass.String() + ")" }

// Citations of the band edges.
const (
	srcITU  = "ITU-R Radio Regulations Art. 2 (frequency band nomenclature: EHF 30–300 GHz, 300–3000 GHz)"
	srcCIE  = "CIE S 017 / IEC 60050-845 845-21-004 (infrared 780 nm – 1 mm) and 845-21-003 (visible 380–780 nm)"
	srcIPAC = "IPAC/Caltech Cool Cosmos, \"Near, Mid and Far-Infrared\" (astronomical convention: near 0.7–5 µm, mid 5–25/40 µm, far 25/40–250/350 µm)"
	srcISO  = "ISO 21348:2007 Table 1 (EUV 10–121 nm, UV 100–400 nm; X-rays 0.001–10 nm, soft 0.1–10 nm, hard 0.001–0.1 nm; gamma below 0.001 nm)"
)

// bands are the named bands, from long to short wavelengths. Edges are
// conventions and neighbouring bands overlap where the conventions do; a
// band criterion matches a bandpass that overlaps the band's range.
var bands = []Band{
	// Radio: below 300 GHz (λ ≥ 1 mm), down to 3 Hz (λ 100,000 km).
	{"radio", Bandpass{Min: 1 * Millimetre, Max: 1e8 * Metre}, srcITU, nil},
	{"millimetre", Bandpass{Min: 1 * Millimetre, Max: 10 * Millimetre}, srcITU, []string{"millimeter", "mm"}},
	{"submillimetre", Bandpass{Min: 0.1 * Millimetre, Max: 1 * Millimetre}, srcITU, []string{"submillimeter", "submm", "sub-mm"}},
	{"infrared", Bandpass{Min: 780 * Nanometre, Max: 1 * Millimetre}, srcCIE, []string{"ir"}},
	{"far-infrared", Bandpass{Min: 25 * Micrometre, Max: 350 * Micrometre}, srcIPAC, []string{"fir", "far infrared"}},
	{"mid-infrared", Bandpass{Min: 5 * Micrometre, Max: 40 * Micrometre}, srcIPAC, []string{"mir", "mid infrared"}},
	{"near-infrared", Bandpass{Min: 0.7 * Micrometre, Max: 5 * Micrometre}, srcIPAC, []string{"nir", "near infrared"}},
	{"optical", Bandpass{Min: 380 * Nanometre, Max: 780 * Nanometre}, srcCIE, []string{"visible", "vis"}},
	{"ultraviolet", Bandpass{Min: 10 * Nanometre, Max: 400 * Nanometre}, srcISO, []string{"uv"}},
	{"xray", Bandpass{Min: 0.001 * Nanometre, Max: 10 * Nanometre}, srcISO, []string{"x-ray", "x ray", "x-rays"}},
	{"soft-xray", Bandpass{Min: 0.1 * Nanometre, Max: 10 * Nanometre}, srcISO, []string{"soft-x-ray", "soft x-ray", "soft xray"}},
	{"hard-xray", Bandpass{Min: 0.001 * Nanometre, Max: 0.1 * Nanometre}, srcISO, []string{"hard-x-ray", "hard x-ray", "hard xray"}},
	// Gamma: below 0.001 nm (above about 1.24 MeV), down to 1e-22 m
	// (about 12 PeV, beyond the highest-energy observatories).
	{"gamma", Bandpass{Min: 1e-22 * Metre, Max: 0.001 * Nanometre}, srcISO, []string{"gamma-ray", "gamma ray", "gamma-rays"}},
}

// NamedBand returns the band called name: a canonical name or an alias
// ("ir", "uv", "x-ray", "submm", "visible"), compared case-insensitively
// after trimming white space.
func NamedBand(name string) (Band, bool) {
	k := strings.ToLower(strings.TrimSpace(name))
	if k == "" {
		return Band{}, false
	}
	for _, b := range bands {
		if b.Name == k || slices.Contains(b.Aliases, k) {
			return b, true
		}
	}
	return Band{}, false
}

// Bands returns the named bands, from long to short wavelengths.
func Bands() []Band {
	out := make([]Band, len(bands))
	for i, b := range bands {
		out[i] = b
		out[i].Aliases = slices.Clone(b.Aliases)
	}
	return out
}

// BandNames returns the canonical band names, from long to short
// wavelengths.
func BandNames() []string {
	out := make([]string, len(bands))
	for i, b := range bands {
		out[i] = b.Name
	}
	return out
}
