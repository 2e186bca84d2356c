package tess

import (
	"fmt"
	"math"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Camera geometry. TESS's four cameras each see 24° × 24° and are stacked
// along the spacecraft's X axis, their boresights 12° and 36° either side
// of the spacecraft boresight (the sector pointing): camera 1 at -36°,
// camera 2 at -12°, camera 3 at +12°, camera 4 at +36° (TESS GI "TESS
// cameras": four 24° × 24° fields, 24° × 96° together; tess-point's focal
// plane geometry: the spacecraft-to-camera Euler 3-2-3 angles have a
// second angle of -36.02, -12.02, 12.01 and 35.98 degrees). The roll of
// the pointing table turns the X axis: at roll 0 it points to celestial
// north, and in general to position angle -roll (tess-point: sky to
// spacecraft is the Euler 3-2-3 rotation (RA, 90° - Dec, roll + 180°)).
const (
	// CameraField is a camera's field width and height in degrees.
	CameraField = 24.0
)

// CameraOffsets are the cameras' boresight offsets along the spacecraft X
// axis, in degrees, for cameras 1 to 4.
var CameraOffsets = [4]float64{-36, -12, 12, 36}

// Cameras returns the four cameras' fields for the sector pointing p (RA,
// Dec of the spacecraft boresight, roll), named "camera 1" to "camera 4":
// each a 24° square about its camera's boresight with edges along and
// across the camera stack (great-circle edges, so the square of a
// gnomonic projection; the lenses' distortion is not modelled). Fields
// across RA 0/360 and over a celestial pole are ordinary polygons (see
// [activities.PolygonLoop]).
func Cameras(p activities.Pointing) ([]activities.Footprint, error) {
	if p.Roll == nil {
		return nil, fmt.Errorf("%s: sector pointing without roll: the cameras' fields are not known", Name)
	}
	const d = math.Pi / 180
	sa, ca := math.Sincos(p.RA * d)
	sd, cd := math.Sincos(p.Dec * d)
	b := vec{cd * ca, cd * sa, sd}   // boresight
	n := vec{-sd * ca, -sd * sa, cd} // north at the boresight
	e := vec{-sa, ca, 0}             // east at the boresight
	sr, cr := math.Sincos(*p.Roll * d)
	x := n.scale(cr).add(e.scale(-sr)) // spacecraft +X: position angle -roll
	out := make([]activities.Footprint, 0, 4)
	for i, off := range CameraOffsets {
		so, co := math.Sincos(off * d)
		c := b.scale(co).add(x.scale(so))  // camera boresight
		u := b.scale(-so).add(x.scale(co)) // the stack's direction at c
		ra, dec := c.radec()
		// Position angle of u at c, east of north.
		sr2, cr2 := math.Sincos(ra * d)
		sd2, cd2 := math.Sincos(dec * d)
		nc := vec{-sd2 * cr2, -sd2 * sr2, cd2}
		ec := vec{-sr2, cr2, 0}
		pa := math.Atan2(u.dot(ec), u.dot(nc)) / d
		cp, err := activities.NewPointing(ra, dec, &pa)
		if err != nil {
			return nil, fmt.Errorf("%s: camera %d: %w", Name, i+1, err)
		}
		// Template offsets are tangent-plane coordinates in degrees: a
		// half-field of 12° on the sky is tan(12°) radians from the centre.
		side := 2 * math.Tan(CameraField/2*d) / d
		name := fmt.Sprintf("camera %d", i+1)
		f, err := activities.Rectangle(name, side, side).Place(cp)
		if err != nil {
			return nil, fmt.Errorf("%s: camera %d: %w", Name, i+1, err)
		}
		out = append(out, f...)
	}
	return out, nil
}

type vec [3]float64

func (a vec) add(b vec) vec       { return vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a vec) scale(k float64) vec { return vec{a[0] * k, a[1] * k, a[2] * k} }
func (a vec) dot(b vec) float64   { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// radec returns the direction of a (not necessarily unit) vector in
// degrees, RA in [0, 360).
func (a vec) radec() (ra, dec float64) {
	ra = math.Atan2(a[1], a[0]) * 180 / math.Pi
	if ra < 0 {
		ra += 360
	}
	return ra, math.Atan2(a[2], math.Hypot(a[0], a[1])) * 180 / math.Pi
}
