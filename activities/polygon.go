package activities

import (
	"errors"
	"fmt"

	"github.com/golang/geo/s2"

	"github.com/arcsecond-go/arcsecond/astro"
)

// SkyPoint is an ICRS position in degrees.
type SkyPoint struct {
	RA, Dec float64
}

// Validate checks the point's numbers.
func (p SkyPoint) Validate() error {
	switch {
	case !finite(p.RA) || !finite(p.Dec):
		return errors.New("point: coordinates must be finite numbers")
	case p.Dec < -90 || p.Dec > 90:
		return fmt.Errorf("point: dec %v is outside [-90, 90]", p.Dec)
	}
	return nil
}

// String returns the point as "(ra, dec)" in degrees.
func (p SkyPoint) String() string { return fmt.Sprintf("(%g, %g)", p.RA, p.Dec) }

// s2Point is p as a unit vector.
func (p SkyPoint) s2Point() s2.Point { return s2.PointFromLatLng(s2.LatLngFromDegrees(p.Dec, p.RA)) }

// MaxPolygonVertices bounds the vertices of a polygon PolygonLoop accepts,
// so that checking it stays cheap (its edges are compared pairwise).
const MaxPolygonVertices = 1000

// PolygonLoop returns the S2 loop of a sky polygon of (RA, Dec) vertices in
// degrees, in either order, taken as the smaller of the two areas its
// boundary encloses; a closing vertex equal to the first is dropped. Edges
// are great-circle arcs, so polygons across RA 0/360 and around a pole
// are handled like any other. It is an error for the polygon to have
// fewer than 3 distinct vertices or more than MaxPolygonVertices,
// consecutive repeated vertices, or crossing edges.
func PolygonLoop(vs [][2]float64) (*s2.Loop, error) {
	if len(vs) > MaxPolygonVertices {
		return nil, fmt.Errorf("%d vertices, more than %d", len(vs), MaxPolygonVertices)
	}
	pts := make([]s2.Point, 0, len(vs))
	for i, v := range vs {
		p := SkyPoint{v[0], v[1]}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("vertex %d: %w", i, err)
		}
		sp := p.s2Point()
		if len(pts) > 0 && pts[len(pts)-1].ApproxEqual(sp) {
			return nil, fmt.Errorf("vertex %d repeats vertex %d", i, i-1)
		}
		pts = append(pts, sp)
	}
	if len(pts) > 3 && pts[0].ApproxEqual(pts[len(pts)-1]) {
		pts = pts[:len(pts)-1] // a closed ring: drop the repeated first vertex
	}
	if len(pts) < 3 {
		return nil, errors.New("needs at least 3 distinct vertices")
	}
	l := s2.LoopFromPoints(pts)
	if err := l.Validate(); err != nil {
		return nil, fmt.Errorf("not a simple polygon: %v", err)
	}
	// Loop.Validate leaves crossing edges to a shape index; at these
	// sizes (up to a thousand vertices) a test of every pair of
	// non-adjacent edges is cheap enough.
	n := len(pts)
	for i := range n {
		a, b := pts[i], pts[(i+1)%n]
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 {
				continue // adjacent through the closing edge
			}
			if s2.CrossingSign(a, b, pts[j], pts[(j+1)%n]) != s2.DoNotCross {
				return nil, fmt.Errorf("not a simple polygon: edges %d and %d cross", i, j)
			}
		}
	}
	l.Normalize()
	return l, nil
}

// Loop returns the footprint's polygon as an S2 loop (see [PolygonLoop]).
func (f Footprint) Loop() (*s2.Loop, error) { return PolygonLoop(f.Polygon) }

// Contains reports whether the activity's field holds p: p is inside one of
// its footprints when it has any (footprints PolygonLoop refuses are
// skipped), and otherwise within FOVRadius of the target's position
// (the field is then the circle the target's position and FOV radius
// define; an activity with a position but no FOV radius is a point, which
// contains only itself). An activity without footprints or a position
// contains nothing.
func (a *Activity) Contains(p SkyPoint) bool {
	if len(a.Footprints) > 0 {
		sp := p.s2Point()
		for _, f := range a.Footprints {
			if l, err := f.Loop(); err == nil && l.ContainsPoint(sp) {
				return true
			}
		}
		return false
	}
	ra, dec, ok := a.Target.Position()
	if !ok {
		return false
	}
	return astro.Separation(astro.Deg(ra), astro.Deg(dec), astro.Deg(p.RA), astro.Deg(p.Dec)).Deg() <= a.Target.FOVRadius
}
