package arcsecond

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
)

// parseBandInside reads the band and inside parameters of GET
// /api/activities into q: band is a named band (activities.NamedBand,
// case-insensitive, aliases accepted), inside is "ra,dec" in degrees (a
// point the activity's footprints, or field of view when it has none, must
// hold). An empty value does not constrain, as for the other parameters.
// It returns the parameter at fault with the error.
func parseBandInside(v url.Values, q *activities.Query) (string, error) {
	if s := v.Get("band"); s != "" {
		b, ok := activities.NamedBand(s)
		if !ok {
			return "band", fmt.Errorf("band %q is not one of %s", s, strings.Join(activities.BandNames(), ", "))
		}
		q.Band = &b.Bandpass
	}
	if s := v.Get("inside"); s != "" {
		ra, dec, ok := strings.Cut(s, ",")
		var p activities.SkyPoint
		var errRA, errDec error
		if ok {
			p.RA, errRA = strconv.ParseFloat(strings.TrimSpace(ra), 64)
			p.Dec, errDec = strconv.ParseFloat(strings.TrimSpace(dec), 64)
		}
		switch {
		case !ok || errRA != nil || errDec != nil:
			return "inside", fmt.Errorf("inside %q is not \"ra,dec\" in degrees", s)
		case !(p.RA >= 0 && p.RA < 360):
			return "inside", fmt.Errorf("inside: ra %v is not in [0, 360)", p.RA)
		case !(p.Dec >= -90 && p.Dec <= 90):
			return "inside", fmt.Errorf("inside: dec %v is not in [-90, 90]", p.Dec)
		}
		q.Point = &p
	}
	return "", nil
}
