package schedfile

import (
	"math"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
)

// ObservationMJD converts a modified Julian date (UTC, as the schedules
// and TAP services write it) to a time with astro.MJDToGo. ok is false for
// dates outside the years 1800 to 2300, which are not observation times (a
// changed unit upstream, a placeholder).
func ObservationMJD(mjd float64) (time.Time, bool) {
	if math.IsNaN(mjd) || mjd < -21000 || mjd > 161000 {
		return time.Time{}, false
	}
	t, err := astro.MJDToGo(mjd)
	return t, err == nil
}
