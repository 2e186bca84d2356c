package hst

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

//go:embed mapping.json
var mappingJSON []byte

var mapping = func() (m struct {
	Instruments        map[string]float64 `json:"instruments"`
	CalibrationTargets []string           `json:"calibration_targets"`
	AcquisitionModes   []string           `json:"acquisition_modes"`
}) {
	if err := json.Unmarshal(mappingJSON, &m); err != nil {
		panic(fmt.Sprintf("hst: embedded mapping.json: %v", err))
	}
	return m
}()

// fovRadius is the field of view radius of an instrument/detector in
// degrees, and whether it is known. "WFC3/IR" and "WFC3" (any detector) are
// looked up, most specific first.
func fovRadius(instrument string) (float64, bool) {
	if f, ok := archive.CatalogFOV("HST", instrument); ok {
		return f, true
	}
	return localFOV(instrument)
}

func localFOV(instrument string) (float64, bool) {
	u := strings.ToUpper(strings.TrimSpace(instrument))
	for k, v := range mapping.Instruments {
		if strings.ToUpper(k) == u {
			return v, true
		}
	}
	if i := strings.IndexByte(u, '/'); i > 0 {
		return localFOV(u[:i])
	}
	return 0, false
}

func isCalibrationTarget(name string) bool {
	return slices.Contains(mapping.CalibrationTargets, strings.ToUpper(strings.TrimSpace(name)))
}

func isAcquisitionMode(mode string) bool {
	m := strings.ToUpper(strings.TrimSpace(mode))
	return slices.Contains(mapping.AcquisitionModes, m) || strings.HasPrefix(m, "ACQ")
}
