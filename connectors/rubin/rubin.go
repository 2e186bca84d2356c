package rubin

import (
	"fmt"
	"math"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
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

// FilterName returns the LSSTCam filter (u, g, r, i, z, y) whose edges
// are those of bp within 1 nm (activities.NamedFilter "LSST x": the edges
// Rubin's service writes), or "".
func FilterName(bp activities.Bandpass) string {
	for _, f := range []string{"u", "g", "r", "i", "z", "y"} {
		b, _ := activities.NamedFilter("LSST " + f)
		if math.Abs(float64(bp.Min-b.Min)) < 1e-9 && math.Abs(float64(bp.Max-b.Max)) < 1e-9 {
			return f
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
func ParseSchedule(b []byte) (*connectors.Reply, error) {
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
