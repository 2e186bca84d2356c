package astro

import "math"

// Internal constants (SOFA/ERFA conventions; IAU 2012 au).
const (
	twoPi    = 2 * math.Pi
	das2r    = math.Pi / (180 * 3600) // arcseconds to radians
	d2r      = math.Pi / 180
	turnas   = 1296000.0 // arcseconds in a full circle
	dj00     = 2451545.0 // J2000.0 as a Julian date
	djc      = 36525.0   // days per Julian century
	djm      = 365250.0  // days per Julian millennium
	djy      = 365.25    // days per Julian year
	djm0     = 2400000.5 // MJD zero point
	daysec   = 86400.0
	auM      = 149597870700.0                       // astronomical unit, m
	cMps     = 299792458.0                          // speed of light, m/s
	aultSec  = auM / cMps                           // light time for 1 au, s
	srsAU    = 1.97412574336e-8                     // Schwarzschild radius of the Sun, au
	omegaE   = 1.00273781191135448 * twoPi / daysec // Earth rotation rate, rad/s
	wgs84A   = 6378137.0
	wgs84F   = 1 / 298.257223563
	ttMinTAI = 32.184
)

// Vec3 is a Cartesian 3-vector (unit vector of a direction, or a position
// in the unit the function documents).
type Vec3 [3]float64

// Matrix is a 3×3 rotation matrix; M.Apply(v) = M·v.
type Matrix [3][3]float64

// Apply returns m·v.
func (m Matrix) Apply(v Vec3) Vec3 { return m.apply(v) }

// Mul returns the product m·n.
func (m Matrix) Mul(n Matrix) Matrix { return m.mul(n) }

// T returns the transpose (the inverse rotation).
func (m Matrix) T() Matrix { return m.transpose() }

// Dot returns the scalar product.
func (a Vec3) Dot(b Vec3) float64 { return a.dot(b) }

// Angle returns the angle between a and b, from the vector form
// atan2(|a×b|, a·b), which keeps full precision for tiny separations and
// for nearly antipodal directions. Result in [0, 180°].
func (a Vec3) Angle(b Vec3) Angle { return Angle(math.Atan2(a.cross(b).norm(), a.dot(b))) }

// DirectionToVec returns the unit vector of the direction (lon, lat).
func DirectionToVec(lon, lat Angle) Vec3 { return s2c(float64(lon), float64(lat)) }

// VecToDirection returns the direction (lon in [0, 360°), lat) of a vector.
func VecToDirection(v Vec3) (lon, lat Angle) {
	a, b := c2s(v)
	return Angle(a), Angle(b)
}

func (a Vec3) dot(b Vec3) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a Vec3) cross(b Vec3) Vec3 {
	return Vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func (a Vec3) norm() float64        { return math.Sqrt(a.dot(a)) }
func (a Vec3) scale(s float64) Vec3 { return Vec3{a[0] * s, a[1] * s, a[2] * s} }
func (a Vec3) add(b Vec3) Vec3      { return Vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a Vec3) sub(b Vec3) Vec3      { return Vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a Vec3) unit() (Vec3, float64) {
	n := a.norm()
	if n == 0 {
		return a, 0
	}
	return a.scale(1 / n), n
}

func identity() Matrix { return Matrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}} }

func (m Matrix) mul(n Matrix) Matrix {
	var r Matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r[i][j] = m[i][0]*n[0][j] + m[i][1]*n[1][j] + m[i][2]*n[2][j]
		}
	}
	return r
}

func (m Matrix) apply(v Vec3) Vec3 {
	return Vec3{
		m[0][0]*v[0] + m[0][1]*v[1] + m[0][2]*v[2],
		m[1][0]*v[0] + m[1][1]*v[1] + m[1][2]*v[2],
		m[2][0]*v[0] + m[2][1]*v[1] + m[2][2]*v[2],
	}
}

func (m Matrix) applyT(v Vec3) Vec3 {
	return Vec3{
		m[0][0]*v[0] + m[1][0]*v[1] + m[2][0]*v[2],
		m[0][1]*v[0] + m[1][1]*v[1] + m[2][1]*v[2],
		m[0][2]*v[0] + m[1][2]*v[1] + m[2][2]*v[2],
	}
}

func (m Matrix) transpose() Matrix {
	var r Matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			r[i][j] = m[j][i]
		}
	}
	return r
}

// rotX returns the frame rotation about x by angle a (SOFA iauRx convention:
// the result is Rx(a)·m).
func rotX(a float64, m Matrix) Matrix {
	s, c := math.Sincos(a)
	return Matrix{{1, 0, 0}, {0, c, s}, {0, -s, c}}.mul(m)
}
func rotY(a float64, m Matrix) Matrix {
	s, c := math.Sincos(a)
	return Matrix{{c, 0, -s}, {0, 1, 0}, {s, 0, c}}.mul(m)
}
func rotZ(a float64, m Matrix) Matrix {
	s, c := math.Sincos(a)
	return Matrix{{c, s, 0}, {-s, c, 0}, {0, 0, 1}}.mul(m)
}

// s2c converts spherical angles (rad) to a unit vector.
func s2c(lon, lat float64) Vec3 {
	sl, cl := math.Sincos(lon)
	sb, cb := math.Sincos(lat)
	return Vec3{cl * cb, sl * cb, sb}
}

// c2s converts a vector to spherical angles (rad), lon in [0, 2π).
func c2s(p Vec3) (lon, lat float64) {
	d2 := p[0]*p[0] + p[1]*p[1]
	if d2 != 0 {
		lon = math.Atan2(p[1], p[0])
	}
	if d2 != 0 || p[2] != 0 {
		lat = math.Atan2(p[2], math.Sqrt(d2))
	}
	return anp(lon), lat
}

// anp normalizes an angle into [0, 2π).
func anp(a float64) float64 {
	w := a
	if w < 0 || w >= twoPi {
		w = a - twoPi*math.Floor(a/twoPi)
	}
	if w < 0 {
		w += twoPi
	}
	if w >= twoPi {
		w = 0
	}
	return w
}

// anpm normalizes an angle into [-π, π).
func anpm(a float64) float64 {
	w := math.Mod(a, twoPi)
	if math.Abs(w) >= math.Pi {
		w -= math.Copysign(twoPi, a)
	}
	return w
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
