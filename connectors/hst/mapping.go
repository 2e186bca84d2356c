package hst

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/connectors/mast"
)

//go:embed mapping.json
var mappingJSON []byte

var acquisitionModes = sync.OnceValue(func() []string {
	var m struct {
		AcquisitionModes []string `json:"acquisition_modes"`
	}
	if err := json.Unmarshal(mappingJSON, &m); err != nil {
		panic(fmt.Sprintf("hst: embedded mapping.json: %v", err))
	}
	return m.AcquisitionModes
})

// fovRadius is the field of view radius of an instrument/detector in
// degrees, and whether it is known (the HST collection of package mast).
func fovRadius(instrument string) (float64, bool) {
	return mast.Lookup("HST").FOVRadius(instrument)
}

func isCalibrationTarget(name string) bool {
	return mast.Lookup("HST").IsCalibrationTarget(name)
}

func isAcquisitionMode(mode string) bool {
	m := strings.ToUpper(strings.TrimSpace(mode))
	return slices.Contains(acquisitionModes(), m) || strings.HasPrefix(m, "ACQ")
}
