package activities

import (
	"fmt"
	"math"
)

// Pointing is where a telescope points: the ICRS position of its boresight
// in degrees, and its roll, the position angle (degrees east of north, in
// [0, 360)) of the instrument's reference axis, nil when unknown. It is
// apart from the [Target]: a survey tile, a dithered or offset pointing
// and a slew-limited plan point elsewhere than the object observed.
type Pointing struct {
	RA   float64  `json:"ra"`
	Dec  float64  `json:"dec"`
	Roll *float64 `json:"roll"`
}

// NewPointing returns a pointing, normalizing ra and roll into [0, 360).
// It refuses non-finite values and a declination outside ±90°.
func NewPointing(ra, dec float64, roll *float64) (Pointing, error) {
	if !finite(ra) || !finite(dec) || dec < -90 || dec > 90 {
		return Pointing{}, fmt.Errorf("pointing: (ra %v, dec %v) is not a valid ICRS position", ra, dec)
	}
	p := Pointing{RA: normDeg(ra), Dec: dec}
	if roll != nil {
		if !finite(*roll) {
			return Pointing{}, fmt.Errorf("pointing: roll %v is not a finite angle", *roll)
		}
		r := normDeg(*roll)
		p.Roll = &r
	}
	return p, nil
}

// String writes the pointing as "(ra, dec) roll r".
func (p Pointing) String() string {
	s := fmt.Sprintf("(%.5f, %+.5f)", p.RA, p.Dec)
	if p.Roll != nil {
		s += fmt.Sprintf(" roll %.2f", *p.Roll)
	}
	return s
}

// normDeg maps an angle into [0, 360) with math.Mod, so that huge values
// cannot make it loop.
func normDeg(a float64) float64 {
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	if a >= 360 {
		a = 0
	}
	return a
}
