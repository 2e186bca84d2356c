package astro

import "math"

// DeltaT returns ΔT = TT − UT1 in seconds for a decimal year (e.g. 1977.13),
// and its 1-σ uncertainty in seconds.
//
// The model:
//   - −720 to 2019: the cubic spline of Morrison, Stephenson, Hohenkerk &
//     Zawilski (2021, Table S15), which fits the historical record; its
//     uncertainty grows from about 0.1 s in the 20th century to ~1 s in
//     1700, ~20 s in 1000 and ~250 s at −720 (we quote 0.1·(1950−y)/100)²
//     clipped below at 0.1 s, a rough envelope of their Fig. 8).
//   - before −720 and after the spline: the long-term parabola
//     ΔT = −320 + 32·((y − 1825)/100)² of Stephenson et al. (2016), joined
//     continuously to the spline's end points; after 2019 the difference is
//     blended out over a century. Future values are predictions: we quote
//     0.5 s + 0.5·(y−2019)²/10 s.
//
// For UTC dates covered by the leap-second table with a known UT1−UTC, the
// Time type uses TT−UTC−DUT1 instead of this model.
func DeltaT(year float64) (dt, sigma float64) {
	if !finite(year) {
		return math.NaN(), math.NaN()
	}
	first := deltaTSpline[0]
	last := deltaTSpline[len(deltaTSpline)-1]
	switch {
	case year < first[0]:
		p0 := parabolaDT(first[0])
		dt = parabolaDT(year) - p0 + first[2]
		u := (1950 - year) / 100
		return dt, 0.1 * u * u
	case year >= last[1]:
		end := splineDT(last, last[1]-1e-9)
		d := end - parabolaDT(last[1])
		w := 1 - (year-last[1])/100
		if w < 0 {
			w = 0
		}
		dt = parabolaDT(year) + d*w
		x := year - last[1]
		return dt, 0.5 + 0.05*x*x
	}
	// binary search the segment
	lo, hi := 0, len(deltaTSpline)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if deltaTSpline[mid][0] <= year {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	dt = splineDT(deltaTSpline[lo], year)
	u := (1950 - year) / 100
	sigma = 0.1 * u * u
	if year > 1950 || sigma < 0.1 {
		sigma = 0.1
	}
	return dt, sigma
}

func splineDT(seg [6]float64, year float64) float64 {
	u := (year - seg[0]) / (seg[1] - seg[0])
	return seg[2] + u*(seg[3]+u*(seg[4]+u*seg[5]))
}

func parabolaDT(year float64) float64 {
	u := (year - 1825) / 100
	return -320 + 32*u*u
}
