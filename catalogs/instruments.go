package catalogs

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/internal/lazy"
)

// InstrumentInfo describes an instrument as archives name it.
type InstrumentInfo struct {
	// Source is the archive family: "ESO", "Gemini", "HST" or "Swift".
	Source string `json:"source"`
	// Name is the archive's spelling (ESO "instrument", Gemini instrument,
	// HST "instrument_name").
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	// Facility is the telescope or spacecraft ("VLT UT4 (Yepun)", "HST").
	Facility string `json:"facility"`
	// FacilityType is "telescope", "interferometer" or "spacecraft".
	FacilityType string `json:"facility_type"`
	// SiteID is the ID of the observing site in Sites(); empty for
	// spacecraft.
	SiteID string `json:"site_id,omitempty"`
	// FOVRadiusDeg is the radius in degrees of the circle enclosing the
	// field of view (half the diagonal of a rectangular field), 0 when
	// unknown or not meaningful (slit and fibre spectrographs without an
	// imaging field, interferometers).
	FOVRadiusDeg float64 `json:"fov_radius_deg,omitempty"`
	// FOV describes the field the radius is taken from.
	FOV string `json:"fov,omitempty"`
	// FOVSource cites the public documentation the figure comes from.
	FOVSource string `json:"fov_source,omitempty"`
}

// Site returns the instrument's observing site from the embedded sites.
func (in InstrumentInfo) Site() (Site, error) {
	if in.SiteID == "" {
		return Site{}, fmt.Errorf("instrument %s/%s is on %s, not at a site: %w", in.Source, in.Name, in.Facility, ErrNotFound)
	}
	c, err := sites()
	if err != nil {
		return Site{}, err
	}
	return c.ByID(in.SiteID)
}

type instrumentTable struct {
	list  []InstrumentInfo
	index map[string][]int // NormalizeName(name or alias) -> rows
}

var instrumentsValue lazy.Value[*instrumentTable]

func instruments() (*instrumentTable, error) { return instrumentsValue.Get(loadInstruments) }

func loadInstruments() (*instrumentTable, error) {
	list, err := readInstruments(instrumentsCSV)
	if err != nil {
		return nil, fmt.Errorf("embedded instruments.csv: %w", err)
	}
	t := &instrumentTable{list: list, index: map[string][]int{}}
	for i, in := range list {
		seen := map[string]bool{}
		for _, n := range append([]string{in.Name}, in.Aliases...) {
			if k := NormalizeName(n); !seen[k] {
				seen[k] = true
				t.index[k] = append(t.index[k], i)
			}
		}
	}
	return t, nil
}

func readInstruments(b []byte) ([]InstrumentInfo, error) {
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "source,name,aliases,facility,facility_type,site_id,fov_radius_deg,fov,fov_source" {
		return nil, fmt.Errorf("unexpected header")
	}
	var out []InstrumentInfo
	for i, rec := range recs[1:] {
		in := InstrumentInfo{Source: rec[0], Name: rec[1], Facility: rec[3], FacilityType: rec[4], SiteID: rec[5], FOV: rec[7], FOVSource: rec[8]}
		if rec[2] != "" {
			in.Aliases = strings.Split(rec[2], "|")
		}
		if rec[6] != "" {
			v, err := strconv.ParseFloat(rec[6], 64)
			if err != nil || v <= 0 || v > 90 || math.IsNaN(v) {
				return nil, fmt.Errorf("line %d: bad fov_radius_deg %q", i+2, rec[6])
			}
			in.FOVRadiusDeg = v
		}
		if in.Name == "" || in.Source == "" || in.Facility == "" {
			return nil, fmt.Errorf("line %d: source, name and facility are required", i+2)
		}
		out = append(out, in)
	}
	return out, nil
}

// Instruments returns the embedded instrument table.
func Instruments() []InstrumentInfo {
	t, err := instruments()
	if err != nil {
		return nil
	}
	return t.list
}

// Instrument finds an instrument by the name an archive gives it,
// ignoring case and punctuation ("WFC3/UVIS", "wfc3_uvis", "Hawk-I").
// source ("ESO", "Gemini", "HST", "Swift", case-insensitive) narrows the
// search; with an empty source a name must be unambiguous. A few
// instruments moved between telescopes (GNIRS, OSCIR, visiting
// instruments): the table gives their main home, so prefer an archive's
// own telescope field when it has one.
func Instrument(source, name string) (InstrumentInfo, error) {
	t, err := instruments()
	if err != nil {
		return InstrumentInfo{}, err
	}
	var hits []int
	for _, i := range t.index[NormalizeName(name)] {
		if source == "" || strings.EqualFold(t.list[i].Source, strings.TrimSpace(source)) {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 0:
		return InstrumentInfo{}, fmt.Errorf("instrument %q (source %q): %w", name, source, ErrNotFound)
	case 1:
		return t.list[hits[0]], nil
	}
	var names []string
	for _, i := range hits {
		names = append(names, t.list[i].Source+"/"+t.list[i].Name)
	}
	return InstrumentInfo{}, fmt.Errorf("instrument %q is ambiguous (%s): give the source", name, strings.Join(names, ", "))
}
