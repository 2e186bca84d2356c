package astrotest

import "math"

// Vec is a Cartesian 3-vector for the small geometry reference tests need
// (light time, aberration, angles between directions).
type Vec [3]float64

// Sub returns a − b.
func (a Vec) Sub(b Vec) Vec { return Vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

// Add returns a + b.
func (a Vec) Add(b Vec) Vec { return Vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }

// Scale returns k·a.
func (a Vec) Scale(k float64) Vec { return Vec{a[0] * k, a[1] * k, a[2] * k} }

// Dot returns a·b.
func (a Vec) Dot(b Vec) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// Unit returns a/|a|.
func (a Vec) Unit() Vec { return a.Scale(1 / math.Sqrt(a.Dot(a))) }

// Cross returns a × b.
func (a Vec) Cross(b Vec) Vec {
	return Vec{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// Aberrate applies annual aberration, first order in v/c (v in units of c),
// to the unit vector u.
func Aberrate(u, v Vec) Vec {
	return Vec{u[0] + v[0] - u.Dot(v)*u[0], u[1] + v[1] - u.Dot(v)*u[1], u[2] + v[2] - u.Dot(v)*u[2]}.Unit()
}

// Sphere returns the unit vector of spherical coordinates in degrees.
func Sphere(lonDeg, latDeg float64) Vec {
	sl, cl := math.Sincos(lonDeg * math.Pi / 180)
	sb, cb := math.Sincos(latDeg * math.Pi / 180)
	return Vec{cb * cl, cb * sl, sb}
}
