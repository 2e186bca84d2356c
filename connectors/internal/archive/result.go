package archive

import (
	"math"

	"github.com/arcsecond-go/arcsecond/activities"
)

// SetPosition sets t's coordinates when ra and dec are finite and dec is
// within ±90°, normalizing ra into [0, 360) (with math.Mod: huge values
// cannot make it loop). It reports whether it set them.
func SetPosition(t *activities.Target, ra, dec float64) bool {
	if math.IsNaN(ra) || math.IsInf(ra, 0) || math.IsNaN(dec) || math.IsInf(dec, 0) || dec < -90 || dec > 90 {
		return false
	}
	ra = math.Mod(ra, 360)
	if ra < 0 {
		ra += 360
	}
	if ra >= 360 {
		ra = 0
	}
	t.RA, t.Dec = &ra, &dec
	return true
}
