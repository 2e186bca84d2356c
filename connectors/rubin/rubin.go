package rubin

import (
	"fmt"
	"math"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obsloctap"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "rubin"

// Observatory and Facility name Rubin's telescope in activities; the
// service's facility_name is "Rubin:Simonyi".
const (
	Observatory = "Vera C. Rubin Observatory"
	Facility    = "Simonyi Survey Telescope"
)

// band is one LSSTCam filter's wavelength edges in metres.
type band struct {
	name     string
	min, max float64
}

// bands are the edges Rubin's ObsLocTAP service writes in em_min/em_max
// for each filter (spectral_ranges in
// lsst-dm/obsloctap@1ef03bd836d9ed49f6f7921fffa1082f07d0ffdc:src/obsloctap/models.py).
var bands = []band{
	{"u", 3.3e-07, 4e-07},
	{"g", 4.02e-07, 5.52e-07},
	{"r", 5.52e-07, 6.91e-07},
	{"i", 6.91e-07, 8.18e-07},
	{"z", 8.18e-07, 9.22e-07},
	{"y", 9.22e-07, 1.06e-06},
}

// FilterName returns the LSSTCam filter whose edges are those of bp, or ""
// when none matches within 1 nm.
func FilterName(bp activities.Bandpass) string {
	for _, b := range bands {
		if math.Abs(float64(bp.Min)-b.min) < 1e-9 && math.Abs(float64(bp.Max)-b.max) < 1e-9 {
			return b.name
		}
	}
	return ""
}

func converter() *obsloctap.Converter {
	return &obsloctap.Converter{Source: Name, Key: obsloctap.KeyObsIDStart, Roll: "rubin_rot_sky_pos",
		Map: func(facility, instrument string) (string, string) {
			if facility == "Rubin:Simonyi" {
				return Observatory, Facility
			}
			return "", ""
		}}
}

// Warning reasons (keys of Result.Warnings).
const (
	WarnOtherFacility = "facility_name not Rubin:Simonyi"
	WarnNoFilter      = "em_min/em_max not the edges of an LSSTCam filter"
)

// ParseSchedule converts a reply of /obsloctap/schedule (a JSON array of
// rows; the service's VOTable and CSV formats are read too) into
// activities.
func ParseSchedule(b []byte) (*archive.Result, error) {
	res, err := obsloctap.ParseReply(b, converter())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	for i := range res.Activities {
		a := &res.Activities[i]
		if a.Facility != Facility {
			res.Warn(WarnOtherFacility)
		}
		// The scheduler's predictions: low fidelity, as ACROSS grades them.
		if a.Kind == activities.KindPlanned {
			a.Fidelity = activities.FidelityLow
		}
		if a.Bandpass != nil {
			if f := FilterName(*a.Bandpass); f != "" {
				a.Filter = f
			} else {
				res.Warn(WarnNoFilter)
			}
		}
	}
	return res, nil
}
