package gemini

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

//go:embed mapping.json
var mappingJSON []byte

type telescopeInfo struct {
	Observatory string `json:"observatory"`
	Facility    string `json:"facility"`
}

type instrumentInfo struct {
	FOVRadius float64 `json:"fov_radius_deg"`
	Telescope string  `json:"telescope"`
}

type mappingData struct {
	Telescopes         map[string]telescopeInfo  `json:"telescopes"`
	PrefixTelescope    map[string]string         `json:"prefix_telescope"`
	Instruments        map[string]instrumentInfo `json:"instruments"`
	ProgrammeTypes     map[string]string         `json:"programme_types"`
	CalibrationClasses []string                  `json:"calibration_classes"`
	ScienceClasses     []string                  `json:"science_classes"`
	AcquisitionClasses []string                  `json:"acquisition_classes"`
	CalibrationTypes   []string                  `json:"calibration_types"`
	ScienceTypes       []string                  `json:"science_types"`
}

var mapping = mustMapping()

func mustMapping() *mappingData {
	var m mappingData
	if err := json.Unmarshal(mappingJSON, &m); err != nil {
		panic(fmt.Sprintf("gemini: embedded mapping.json: %v", err))
	}
	return &m
}

func (m *mappingData) isCalClass(c string) bool { return slices.Contains(m.CalibrationClasses, c) }
func (m *mappingData) isAcqClass(c string) bool { return slices.Contains(m.AcquisitionClasses, c) }
func (m *mappingData) isCalType(t string) bool  { return slices.Contains(m.CalibrationTypes, t) }
func (m *mappingData) knownClass(c string) bool {
	return m.isCalClass(c) || m.isAcqClass(c) || slices.Contains(m.ScienceClasses, c)
}
func (m *mappingData) knownType(t string) bool {
	return m.isCalType(t) || slices.Contains(m.ScienceTypes, t)
}
