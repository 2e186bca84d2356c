// Package skyrand draws the random positions and sizes the tests and the
// benchmark populations of package subscribe use.
package skyrand

import (
	"math"
	"math/rand/v2"
)

const deg = math.Pi / 180

// LogUniform draws from [lo, hi] uniformly in log.
func LogUniform(r *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo)))
}

// Offset moves (ra, dec) by d degrees towards bearing b (radians), with RA
// in [0, 360) and Dec in [-90, 90].
func Offset(ra, dec, d, b float64) (float64, float64) {
	φ1, λ1, δ := dec*deg, ra*deg, d*deg
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(b))
	λ2 := λ1 + math.Atan2(math.Sin(b)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
	ra2 := math.Mod(λ2/deg, 360)
	if ra2 < 0 {
		ra2 += 360
	}
	if ra2 >= 360 {
		ra2 = 0
	}
	return ra2, math.Max(-90, math.Min(90, φ2/deg))
}
