package astro

import (
	"fmt"
	"math"
)

// AirmassModel selects a formula for the relative air mass X (1 at the
// zenith) as a function of altitude.
type AirmassModel int

// The airmass models. Each takes the observed (refracted, apparent)
// altitude except Young1994, which is defined on the true (unrefracted)
// zenith angle.
const (
	// SecZ is the plane-parallel atmosphere, X = sec z: good above 30°,
	// diverges at the horizon.
	SecZ AirmassModel = iota
	// Hardie is Hardie (1962): X = sec z − 0.0018167 (sec z − 1)
	// − 0.002875 (sec z − 1)² − 0.0008083 (sec z − 1)³, for z < 85°.
	Hardie
	// Young1994 is Young (1994, Appl. Opt. 33, 1108), a rational function
	// of the true zenith angle, within 0.0037 of a full model to the horizon.
	Young1994
	// KastenYoung is Kasten & Young (1989, Appl. Opt. 28, 4735):
	// X = 1 / (cos z + 0.50572 (96.07995° − z)^−1.6364), z in degrees.
	KastenYoung
	// Pickering is Pickering (2002, DIO 12, 3): X = 1 / sin(h + 244 /
	// (165 + 47 h^1.1)), h the apparent altitude in degrees.
	Pickering
)

var airmassNames = [...]string{"sec z", "Hardie", "Young 1994", "Kasten & Young", "Pickering"}

func (m AirmassModel) String() string {
	if m < SecZ || m > Pickering {
		return fmt.Sprintf("AirmassModel(%d)", int(m))
	}
	return airmassNames[m]
}

// Airmass returns the relative air mass at altitude alt (observed altitude,
// or true altitude for Young1994) with model m. Altitudes must be within
// [0°, 90°] (SecZ and Hardie: above 0°; Hardie is fitted for z < 85° and is
// returned up to the horizon as the formula gives it).
func Airmass(m AirmassModel, alt Angle) (float64, error) {
	h := alt.Deg()
	if !(h >= 0 && h <= 90) {
		return 0, fmt.Errorf("astro: airmass: altitude %v° outside [0°, 90°]", h)
	}
	z := 90 - h
	cz := math.Sin(float64(alt))
	switch m {
	case SecZ, Hardie:
		if h <= 0 {
			return 0, fmt.Errorf("astro: airmass %v: undefined at the horizon", m)
		}
		x := 1 / cz
		if m == Hardie {
			s := x - 1
			x -= s * (0.0018167 + s*(0.002875+s*0.0008083))
		}
		return x, nil
	case Young1994:
		return (1.002432*cz*cz + 0.148386*cz + 0.0096467) /
			(cz*cz*cz + 0.149864*cz*cz + 0.0102963*cz + 0.000303978), nil
	case KastenYoung:
		return 1 / (cz + 0.50572*math.Pow(96.07995-z, -1.6364)), nil
	case Pickering:
		return 1 / math.Sin((h+244/(165+47*math.Pow(h, 1.1)))*d2r), nil
	}
	return 0, fmt.Errorf("astro: unknown airmass model %d", int(m))
}

// AltitudeForAirmass returns the altitude at which model m reaches airmass x
// (x >= 1), by bisection: the inverse of Airmass, for airmass limits.
func AltitudeForAirmass(m AirmassModel, x float64) (Angle, error) {
	if !(x >= 1 && x < 1e6) {
		return 0, fmt.Errorf("astro: airmass %v outside [1, 1e6)", x)
	}
	if _, err := Airmass(m, Deg(45)); err != nil {
		return 0, err
	}
	lo, hi := 0.0, 90.0
	switch m {
	case SecZ:
		lo = 0.01
	case Hardie:
		lo = 5 // the fit's range, z < 85°
	}
	if v, _ := Airmass(m, Deg(lo)); v <= x {
		return 0, fmt.Errorf("astro: airmass %v beyond %v's range (%.2f at %g°)", x, m, v, lo)
	}
	for i := 0; i < 60; i++ {
		mid := (lo + hi) / 2
		v, _ := Airmass(m, Deg(mid))
		if v > x {
			lo = mid
		} else {
			hi = mid
		}
	}
	return Deg((lo + hi) / 2), nil
}
