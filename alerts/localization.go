package alerts

import (
	"errors"
	"fmt"
	"math"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"

	"github.com/arcsecond-go/arcsecond/astro"
)

// Shape is the geometry of a localization.
type Shape string

// The shapes of a localization.
const (
	// Circle is a cone: centre and radius (0 when the notice gives a
	// position without an error).
	Circle Shape = "circle"
	// Ellipse is centre, semi-major and semi-minor axes and the position
	// angle of the semi-major axis, from north through east.
	Ellipse Shape = "ellipse"
	// Polygon is a list of ICRS vertices (great-circle edges).
	Polygon Shape = "polygon"
)

// Localization is where on the sky an event is, in ICRS degrees.
type Localization struct {
	Shape Shape `json:"shape"`
	// RA and Dec are the best position (for a polygon, as the notice gives
	// it, else the vertices' mean).
	RA  float64 `json:"ra"`
	Dec float64 `json:"dec"`
	// Radius of a circle, in degrees.
	Radius float64 `json:"radius,omitempty"`
	// SemiMajor and SemiMinor axes of an ellipse, in degrees; PA is the
	// position angle of the semi-major axis in degrees, north through east.
	SemiMajor float64 `json:"semi_major,omitempty"`
	SemiMinor float64 `json:"semi_minor,omitempty"`
	PA        float64 `json:"pa,omitempty"`
	// Vertices of a polygon, (RA, Dec) in degrees.
	Vertices [][2]float64 `json:"vertices,omitempty"`
	// Containment is the probability (0–1) that the event is inside the
	// region; 0 when the notice does not say.
	Containment float64 `json:"containment,omitempty"`
}

// CircleAt returns a circular localization.
func CircleAt(ra, dec, radius float64) *Localization {
	return &Localization{Shape: Circle, RA: NormalizeRA(ra), Dec: dec, Radius: radius}
}

// NormalizeRA brings a right ascension in degrees into [0, 360).
func NormalizeRA(ra float64) float64 {
	ra = math.Mod(ra, 360)
	if ra < 0 {
		ra += 360
	}
	if ra >= 360 {
		ra = 0
	}
	return ra
}

// String is a short human form: "circle(346.560, 18.610, r=1.5)".
func (l Localization) String() string {
	switch l.Shape {
	case Ellipse:
		return fmt.Sprintf("ellipse(%.3f, %.3f, %g×%g, pa=%g)", l.RA, l.Dec, l.SemiMajor, l.SemiMinor, l.PA)
	case Polygon:
		return fmt.Sprintf("polygon(%d vertices around %.3f, %.3f)", len(l.Vertices), l.RA, l.Dec)
	default:
		return fmt.Sprintf("circle(%.3f, %.3f, r=%g)", l.RA, l.Dec, l.Radius)
	}
}

// Validate reports impossible values, as *FieldError values joined.
func (l *Localization) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: "localization." + field, Reason: fmt.Sprintf(format, args...)})
	}
	checkPos := func(field string, ra, dec float64) {
		if !finite(ra) || ra < 0 || ra >= 360 {
			bad(field+"ra", "%v is outside [0, 360)", ra)
		}
		if !finite(dec) || dec < -90 || dec > 90 {
			bad(field+"dec", "%v is outside [-90, 90]", dec)
		}
	}
	checkPos("", l.RA, l.Dec)
	if !finite(l.Containment) || l.Containment < 0 || l.Containment > 1 {
		bad("containment", "%v is outside [0, 1]", l.Containment)
	}
	switch l.Shape {
	case Circle:
		if !finite(l.Radius) || l.Radius < 0 || l.Radius > 180 {
			bad("radius", "%v is outside [0, 180]", l.Radius)
		}
	case Ellipse:
		if !finite(l.SemiMajor) || l.SemiMajor <= 0 || l.SemiMajor > 90 {
			bad("semi_major", "%v is outside (0, 90]", l.SemiMajor)
		}
		if !finite(l.SemiMinor) || l.SemiMinor <= 0 || l.SemiMinor > l.SemiMajor {
			bad("semi_minor", "%v is outside (0, semi_major]", l.SemiMinor)
		}
		if !finite(l.PA) {
			bad("pa", "not a finite number")
		}
	case Polygon:
		if len(l.Vertices) < 3 {
			bad("vertices", "a polygon needs at least 3 vertices, got %d", len(l.Vertices))
		}
		for i, v := range l.Vertices {
			checkPos(fmt.Sprintf("vertices[%d].", i), v[0], v[1])
		}
	default:
		bad("shape", "%q is not one of circle, ellipse, polygon", l.Shape)
	}
	return errors.Join(errs...)
}

// Contains reports whether the ICRS position (ra, dec) in degrees lies in
// the localization. A circle holds the points within its radius of the
// centre; an ellipse is measured in the tangent plane at its centre (exact
// enough for error ellipses of tens of degrees); a polygon's edges are
// great circles. An invalid localization contains nothing.
func (l *Localization) Contains(ra, dec float64) bool {
	if l == nil || !finite(ra) || !finite(dec) || dec < -90 || dec > 90 {
		return false
	}
	switch l.Shape {
	case Circle:
		return separation(l.RA, l.Dec, ra, dec) <= l.Radius
	case Ellipse:
		if !(l.SemiMajor > 0 && l.SemiMinor > 0) {
			return false
		}
		u, v := l.planar(ra, dec)
		u, v = u/l.SemiMajor, v/l.SemiMinor
		return u*u+v*v <= 1
	case Polygon:
		loop, ok := l.loop()
		if !ok {
			return false
		}
		return loop.ContainsPoint(s2.PointFromLatLng(s2.LatLngFromDegrees(dec, ra)))
	}
	return false
}

// Overlaps reports whether a circle of the given radius in degrees around
// (ra, dec) — a telescope's field of view — meets the localization. It is
// exact for circles and polygons, and for an ellipse measures the distance
// to its boundary in the tangent plane at its centre (as Contains does). A
// radius of 0 is Contains.
func (l *Localization) Overlaps(ra, dec, radius float64) bool {
	if radius <= 0 || !finite(radius) {
		return l.Contains(ra, dec)
	}
	if l == nil || !finite(ra) || !finite(dec) || dec < -90 || dec > 90 {
		return false
	}
	switch l.Shape {
	case Circle:
		return separation(l.RA, l.Dec, ra, dec) <= l.Radius+radius
	case Ellipse:
		if !(l.SemiMajor > 0 && l.SemiMinor > 0) {
			return false
		}
		if l.Contains(ra, dec) {
			return true
		}
		u, v := l.planar(ra, dec)
		return ellipseDistance(l.SemiMajor, l.SemiMinor, u, v) <= radius
	case Polygon:
		loop, ok := l.loop()
		if !ok {
			return false
		}
		p := s2.PointFromLatLng(s2.LatLngFromDegrees(dec, ra))
		if loop.ContainsPoint(p) {
			return true
		}
		limit := s1.Angle(radius * math.Pi / 180)
		for i := 0; i < loop.NumVertices(); i++ {
			if s2.DistanceFromSegment(p, loop.Vertex(i), loop.Vertex(i+1)) <= limit {
				return true
			}
		}
	}
	return false
}

// planar returns (ra, dec) in the tangent plane at the ellipse's centre, in
// degrees along its major and minor axes: the separation, projected by the
// bearing from the centre (north through east) less the position angle.
func (l *Localization) planar(ra, dec float64) (u, v float64) {
	const rad = math.Pi / 180
	sep := separation(l.RA, l.Dec, ra, dec)
	d1, d2 := l.Dec*rad, dec*rad
	dra := (ra - l.RA) * rad
	bearing := math.Atan2(math.Sin(dra)*math.Cos(d2), math.Cos(d1)*math.Sin(d2)-math.Sin(d1)*math.Cos(d2)*math.Cos(dra))
	t := bearing - l.PA*rad
	return sep * math.Cos(t), sep * math.Sin(t)
}

// ellipseDistance is the distance from (u, v) to the ellipse u²/a² + v²/b²
// = 1 in the plane: the nearest of 256 boundary samples, refined by a
// golden-section search around it.
func ellipseDistance(a, b, u, v float64) float64 {
	d := func(t float64) float64 { return math.Hypot(a*math.Cos(t)-u, b*math.Sin(t)-v) }
	const n = 256
	best, bt := math.Inf(1), 0.0
	for i := range n {
		t := 2 * math.Pi * float64(i) / n
		if x := d(t); x < best {
			best, bt = x, t
		}
	}
	lo, hi := bt-2*math.Pi/n, bt+2*math.Pi/n
	const g = 0.6180339887498949
	for range 40 {
		m1, m2 := hi-g*(hi-lo), lo+g*(hi-lo)
		if d(m1) < d(m2) {
			hi = m2
		} else {
			lo = m1
		}
	}
	return min(best, d((lo+hi)/2))
}

// loop builds the polygon's S2 loop, taking the smaller of the two regions
// its vertices bound (notices list vertices in either orientation).
func (l *Localization) loop() (*s2.Loop, bool) {
	if len(l.Vertices) < 3 {
		return nil, false
	}
	pts := make([]s2.Point, 0, len(l.Vertices))
	for _, v := range l.Vertices {
		if !finite(v[0]) || !finite(v[1]) || v[1] < -90 || v[1] > 90 {
			return nil, false
		}
		p := s2.PointFromLatLng(s2.LatLngFromDegrees(v[1], v[0]))
		if len(pts) > 0 && pts[len(pts)-1].ApproxEqual(p) {
			continue
		}
		pts = append(pts, p)
	}
	if len(pts) > 1 && pts[0].ApproxEqual(pts[len(pts)-1]) {
		pts = pts[:len(pts)-1]
	}
	if len(pts) < 3 {
		return nil, false
	}
	loop := s2.LoopFromPoints(pts)
	if loop.Validate() != nil {
		return nil, false
	}
	loop.Normalize()
	return loop, true
}

// separation is the angle in degrees between two ICRS positions in degrees
// (astro.Separation, the SDK's one implementation).
func separation(ra1, dec1, ra2, dec2 float64) float64 {
	return astro.Separation(astro.Deg(ra1), astro.Deg(dec1), astro.Deg(ra2), astro.Deg(dec2)).Deg()
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// DecRange returns declinations in degrees that bound the localization:
// every position it contains lies in [lo, hi]. It is false for an
// invalid localization, which contains nothing.
func (l *Localization) DecRange() (lo, hi float64, ok bool) {
	if l != nil && l.Shape == Polygon {
		// The latitudes of the loop's bounding rectangle: tighter than
		// its bounding circle.
		loop, ok := l.loop()
		if !ok {
			return 0, 0, false
		}
		b := loop.RectBound()
		const eps = 1e-9
		return max(-90, b.Lat.Lo*180/math.Pi-eps), min(90, b.Lat.Hi*180/math.Pi+eps), true
	}
	_, dec, r, ok := l.Bound()
	if !ok {
		return 0, 0, false
	}
	return max(-90, dec-r), min(90, dec+r), true
}

// Bound returns a circle (centre and radius in degrees) that holds the
// localization: every position it contains lies within radius of the
// centre. It is false for an invalid localization, which contains
// nothing.
func (l *Localization) Bound() (ra, dec, radius float64, ok bool) {
	if l == nil {
		return 0, 0, 0, false
	}
	switch l.Shape {
	case Circle:
		radius = l.Radius
	case Ellipse:
		// Contains measures the separation from the centre along the axes.
		radius = max(l.SemiMajor, l.SemiMinor)
	case Polygon:
		loop, ok := l.loop()
		if !ok {
			return 0, 0, 0, false
		}
		c := loop.CapBound()
		ll := s2.LatLngFromPoint(c.Center())
		const eps = 1e-9
		return NormalizeRA(ll.Lng.Degrees()), ll.Lat.Degrees(), c.Radius().Degrees() + eps, true
	default:
		return 0, 0, 0, false
	}
	if !finite(l.RA) || !finite(l.Dec) || l.Dec < -90 || l.Dec > 90 || !finite(radius) || radius < 0 {
		return 0, 0, 0, false
	}
	return l.RA, l.Dec, radius, true
}
