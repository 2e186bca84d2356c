package mast

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// Collection is what the connector knows of one MAST obs_collection: who
// operates it and with which telescope, the fields of view of its
// instruments where the project's instrument table has none, the target
// names of its calibration exposures, and the address of a dataset's page.
type Collection struct {
	// Name is the obs_collection value ("HST", "JWST", "TESS").
	Name string
	// Observatory and Facility of its activities; a collection the
	// connector does not list has Facility = Name and no Observatory.
	Observatory, Facility string
	// Instruments maps instrument_name (as MAST writes it, "WFC3/IR") to a
	// field-of-view radius in degrees.
	Instruments map[string]float64
	// CalibrationTargets are target names of calibration exposures
	// (upper case).
	CalibrationTargets []string
	// Link, when set, is the prefix of a dataset's MAST page (the obs_id
	// is appended).
	Link string
	// ObsIDUnique is set when an obs_id names one row (HST): the activity
	// key is the obs_id; otherwise it is obs_id/filters, as one obs_id can
	// hold a row per band (GALEX FUV and NUV).
	ObsIDUnique bool
}

// Key returns the activity key of a row of the collection.
func (c Collection) Key(obsID, filters string) string {
	if c.ObsIDUnique || strings.TrimSpace(filters) == "" {
		return obsID
	}
	return obsID + "/" + strings.TrimSpace(filters)
}

//go:embed collections.json
var collectionsJSON []byte

var collections = sync.OnceValue(func() map[string]Collection {
	var f struct {
		Collections map[string]struct {
			Observatory        string             `json:"observatory"`
			Facility           string             `json:"facility"`
			Instruments        map[string]float64 `json:"instruments"`
			CalibrationTargets []string           `json:"calibration_targets"`
			Link               string             `json:"link"`
			ObsIDUnique        bool               `json:"obs_id_unique"`
		} `json:"collections"`
	}
	if err := json.Unmarshal(collectionsJSON, &f); err != nil {
		panic(fmt.Sprintf("mast: embedded collections.json: %v", err))
	}
	out := make(map[string]Collection, len(f.Collections))
	for k, v := range f.Collections {
		out[strings.ToUpper(k)] = Collection{Name: k, Observatory: v.Observatory, Facility: v.Facility,
			Instruments: v.Instruments, CalibrationTargets: v.CalibrationTargets, Link: v.Link, ObsIDUnique: v.ObsIDUnique}
	}
	return out
})

// Lookup returns the collection named name (case-insensitive); an unlisted
// one has only its Name and Facility (= name).
func Lookup(name string) Collection {
	n := strings.TrimSpace(name)
	if c, ok := collections()[strings.ToUpper(n)]; ok {
		return c
	}
	return Collection{Name: n, Facility: n}
}

// Collections returns the names of the listed collections, sorted.
func Collections() []string {
	var out []string
	for _, c := range collections() {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}

// FOVRadius is the field-of-view radius in degrees of an instrument of
// the collection, and whether it is known: the project's instrument table
// (catalogs.Instrument, by Facility) first, then the collection's own
// table, the instrument ("WFC3/IR") before its family ("WFC3").
func (c Collection) FOVRadius(instrument string) (float64, bool) {
	if c.Facility != "" {
		if f, ok := archive.CatalogFOV(c.Facility, instrument); ok {
			return f, true
		}
	}
	return c.localFOV(instrument)
}

func (c Collection) localFOV(instrument string) (float64, bool) {
	u := strings.ToUpper(strings.TrimSpace(instrument))
	for k, v := range c.Instruments {
		if strings.ToUpper(k) == u {
			return v, true
		}
	}
	if i := strings.IndexByte(u, '/'); i > 0 {
		return c.localFOV(u[:i])
	}
	return 0, false
}

// IsCalibrationTarget reports whether name is a calibration target of the
// collection.
func (c Collection) IsCalibrationTarget(name string) bool {
	return slices.Contains(c.CalibrationTargets, strings.ToUpper(strings.TrimSpace(name)))
}
