package subscribe

import (
	"math"
	"strconv"

	"github.com/golang/geo/s2"

	"github.com/arcsecond-go/arcsecond/activities"
)

const deg = math.Pi / 180

// Sky index levels: S2 cells from level skyMinLevel to skyMaxLevel in steps
// of skyLevelMod (level 16 cells are about 5″ wide, level 0 cells are cube
// faces).
const (
	skyMinLevel = 0
	skyMaxLevel = 16
	skyLevelMod = 2
	// skyAncLevelMod is the step between the levels of the ancestor
	// index: a region is filed under the ancestors of its cells at levels
	// 0, 4, …, 12, and a field of view covered at level L looks up the
	// ancestor at level L rounded down to a multiple of 4 of each covering
	// cell.
	skyAncLevelMod = 4
)

// coarseConeMax is the radius below which a cone may be covered a level
// coarser (see skyRegion.cells): 0.05°.
const coarseConeMax = 0.05 * deg

// ancLevel rounds level down to a level of the ancestor index.
func ancLevel(level int) int { return level - level%skyAncLevelMod }

// skyRegion is a compiled Region. Its label (the region as written in a
// Reason) is not kept: a reason cites the subscription and the region's
// index, and regionLabel writes the label from the subscription's Region
// when the reason is encoded or its Text read, which saves a string per
// subscription and a label formatted per match.
type skyRegion struct {
	cone   bool
	center s2.Point
	radius float64 // radians, for a cone
	sh, ch float64 // sine and cosine of radius/2, for a cone
	loop   *s2.Loop
}

func point(ra, dec float64) s2.Point {
	return s2.PointFromLatLng(s2.LatLngFromDegrees(dec, ra))
}

// newPolygon is the loop of a polygon region: activities.PolygonLoop.
func newPolygon(vs [][2]float64) (*s2.Loop, error) { return activities.PolygonLoop(vs) }

func compileRegion(r Region) (skyRegion, error) {
	if r.Polygon != nil {
		l, err := newPolygon(r.Polygon)
		if err != nil {
			return skyRegion{}, err
		}
		return skyRegion{loop: l}, nil
	}
	sh, ch := math.Sincos(r.Radius * deg / 2)
	return skyRegion{cone: true, center: point(r.RA, r.Dec), radius: r.Radius * deg, sh: sh, ch: ch}, nil
}

// regionLabel writes region i of s as a Reason cites it:
// "cone(ra, dec, radius)" or "polygon(N vertices)".
func regionLabel(s *Subscription, i int) string {
	r := s.Criteria.Regions[i]
	if r.Polygon != nil {
		return "polygon(" + strconv.Itoa(len(r.Polygon)) + " vertices)"
	}
	return coneLabel(r)
}

// coneLabel writes a cone "cone(ra, dec, radius)" in degrees, each number
// in its shortest form (as %g).
func coneLabel(r Region) string {
	b := make([]byte, 0, 48)
	b = append(b, "cone("...)
	b = strconv.AppendFloat(b, r.RA, 'g', -1, 64)
	b = append(b, ", "...)
	b = strconv.AppendFloat(b, r.Dec, 'g', -1, 64)
	b = append(b, ", "...)
	b = strconv.AppendFloat(b, r.Radius, 'g', -1, 64)
	return string(append(b, ')'))
}

// coneMisses reports whether a field of view around p (unit vector; the
// sine and cosine of half its radius fsh, fch) certainly misses the cone
// of centre (x, y, z) whose half radius has sine sh and cosine ch. It
// compares chord lengths, without trigonometry: the chord between the
// centres against 2·sin((radius+fov)/2), with a relative margin of 1e-9
// (and 1e-15 absolute) so that rounding never rejects an overlap; near
// the boundary it answers false and the exact test decides.
func coneMisses(x, y, z, sh, ch float64, p s2.Point, fsh, fch float64) bool {
	if ch*fch-sh*fsh <= 0 { // radius + fov >= 180°: always overlaps
		return false
	}
	lim := 2 * (sh*fch + ch*fsh)
	dx, dy, dz := p.X-x, p.Y-y, p.Z-z
	return math.Sqrt(dx*dx+dy*dy+dz*dz) > lim*(1+1e-9)+1e-15
}

// coneInside reports whether a field of view around p certainly overlaps
// the cone, with the arguments of coneMisses: the chord between the
// centres is shorter than 2·sin((radius+fov)/2) by a relative margin of
// 1e-9 (and 1e-15 absolute), so that rounding never accepts what the exact
// test (the angle) refuses; near the boundary, and for radius + fov near
// 180°, it answers false and the exact test decides.
func coneInside(x, y, z, sh, ch float64, p s2.Point, fsh, fch float64) bool {
	if ch*fch-sh*fsh <= 1e-6 {
		return false
	}
	lim := 2 * (sh*fch + ch*fsh)
	dx, dy, dz := p.X-x, p.Y-y, p.Z-z
	return math.Sqrt(dx*dx+dy*dy+dz*dz) < lim*(1-1e-9)-1e-15
}

// angle is the angle between unit vectors a and b in radians, accurate at
// small and large separations.
func angle(a, b s2.Point) float64 {
	return math.Atan2(a.Cross(b.Vector).Norm(), a.Dot(b.Vector))
}

// overlaps reports whether the field of view (a cap of radius fov radians
// around p) overlaps the region, and the angular distance in radians from
// p to the region's centre (cone) or to the polygon (0 inside).
//
// fsh and fch are the sine and cosine of fov/2.
func (r *skyRegion) overlaps(p s2.Point, fov, fsh, fch float64) (bool, float64) {
	if r.cone {
		if coneMisses(r.center.X, r.center.Y, r.center.Z, r.sh, r.ch, p, fsh, fch) {
			return false, math.NaN()
		}
		d := angle(p, r.center)
		return d <= r.radius+fov, d
	}
	if r.loop.ContainsPoint(p) {
		return true, 0
	}
	best := math.Inf(1)
	n := r.loop.NumEdges()
	for i := 0; i < n; i++ {
		e := r.loop.Edge(i)
		if d := s2.DistanceFromSegment(p, e.V0, e.V1).Radians(); d < best {
			best = d
		}
	}
	return best <= fov, best
}

// meetsLoop reports whether the region meets the loop l (an activity's
// footprint), and the distance in radians from l to the cone's centre (0
// when l holds it; 0 for a polygon).
func (r *skyRegion) meetsLoop(l *s2.Loop) (bool, float64) {
	if !r.cone {
		return r.loop.Intersects(l), 0
	}
	if l.ContainsPoint(r.center) {
		return true, 0
	}
	best := math.Inf(1)
	for i := range l.NumEdges() {
		e := l.Edge(i)
		best = min(best, s2.DistanceFromSegment(r.center, e.V0, e.V1).Radians())
	}
	return best <= r.radius, best
}

// allowedLevel rounds level down to an indexed level.
func allowedLevel(level int) int {
	if level > skyMaxLevel {
		level = skyMaxLevel
	}
	if level < skyMinLevel {
		return skyMinLevel
	}
	return level - (level-skyMinLevel)%skyLevelMod
}

// capCells appends to dst cells at one indexed level covering the cap of
// radius rad radians around p (whose leaf cell is leaf): one finest cell
// for a point; otherwise the cell holding p at the finest indexed level
// whose cells are at least rad wide, and those of its neighbours the cap
// reaches (a cap that narrow around a point of a cell cannot reach past
// the cell's neighbours); the six faces for caps too wide for that.
func capCells(dst []s2.CellID, leaf s2.CellID, p s2.Point, rad float64) []s2.CellID {
	if rad <= 0 {
		return append(dst, leaf.Parent(skyMaxLevel))
	}
	level := s2.MinWidthMetric.MaxLevel(rad)
	if level <= 0 || rad >= math.Pi/4 {
		for f := 0; f < 6; f++ {
			dst = append(dst, s2.CellIDFromFace(f))
		}
		return dst
	}
	return capCellsAt(dst, leaf, p, rad, allowedLevel(level))
}

// capCellsAt is capCells at an indexed level whose cells are at least rad
// wide (and below the six faces).
func capCellsAt(dst []s2.CellID, leaf s2.CellID, p s2.Point, rad float64, level int) []s2.CellID {
	c := leaf.Parent(level)
	dst = append(dst, c)
	sinRad := math.Sin(rad)
	for _, n := range c.AllNeighbors(level) {
		if capMisses(s2.CellFromCellID(n), p, sinRad) {
			continue
		}
		dst = append(dst, n)
	}
	return dst
}

// queryCells is capCells for an activity's search cap: the same cells
// at the same level when the cap crosses a face edge or three edges of
// the cell holding p, and otherwise fewer, found with one cell's geometry
// rather than one per neighbour: the cell holding p, alone when the cap
// crosses none of its edges' great circles (or the cell two levels
// coarser when that holds the cap), with the neighbours across the edges
// it crosses, and, near a corner, with the cell across the corner when
// the cap does not miss it. A cap that crosses only
// some edges of its cell lies between the great circles of the others,
// which on one face bound the neighbours across the crossed edges too,
// and it reaches past a crossed edge by less than its radius, which is at
// most the neighbours' width.
func queryCells(dst []s2.CellID, leaf s2.CellID, p s2.Point, rad float64) []s2.CellID {
	level := s2.MinWidthMetric.MaxLevel(rad)
	if rad <= 0 || level <= 0 || rad >= math.Pi/4 {
		return capCells(dst, leaf, p, rad) // a point, or a cap too wide
	}
	level = allowedLevel(level)
	c := leaf.Parent(level)
	cell := s2.CellFromCellID(c)
	sinRad := math.Sin(rad)
	var crosses [4]bool
	n := 0
	for k := range 4 {
		if crosses[k] = capCrossesEdge(cell, k, p, sinRad); crosses[k] {
			n++
		}
	}
	if n == 0 {
		return append(dst, c)
	}
	if l := level - skyLevelMod; l >= skyMinLevel {
		if cl := leaf.Parent(l); capInside(s2.CellFromCellID(cl), p, sinRad) {
			return append(dst, cl)
		}
	}
	nb := c.EdgeNeighbors() // down, right, up, left: across EdgeRaw(0…3)
	for k := range 4 {
		if crosses[k] && nb[k].Face() != c.Face() {
			return capCellsAt(dst, leaf, p, rad, level)
		}
	}
	for k := range 4 {
		if crosses[k] && crosses[(k+1)%4] { // near a corner
			if n > 2 {
				return capCellsAt(dst, leaf, p, rad, level)
			}
			d := nb[k].EdgeNeighbors()[(k+1)%4] // across the corner
			if d.Face() != c.Face() {
				return capCellsAt(dst, leaf, p, rad, level)
			}
			// Near one corner, on one face: the cap lies between the
			// great circles of the two other edges, which bound the
			// neighbours across the crossed edges and the cell across the
			// corner too.
			dst = append(dst, c, nb[k], nb[(k+1)%4])
			if !capMisses(s2.CellFromCellID(d), p, sinRad) {
				dst = append(dst, d)
			}
			return dst
		}
	}
	dst = append(dst, c)
	for k := range 4 {
		if crosses[k] {
			dst = append(dst, nb[k])
		}
	}
	return dst
}

// capInside reports whether the cap around p (a point of cell c) whose
// radius (below 90°) has sine sinRad lies inside c. It compares p's
// distance to the great circle of each edge, a lower bound of its distance
// to the edge, with the radius, with a relative margin of 1e-12: it may
// answer false for a cap that fits, never true for one that does not. It
// is several times cheaper than Cell.BoundaryDistance.
func capInside(c s2.Cell, p s2.Point, sinRad float64) bool {
	for k := range 4 {
		if capCrossesEdge(c, k, p, sinRad) {
			return false
		}
	}
	return true
}

// capCrossesEdge reports whether the cap around p (a point of cell c)
// whose radius (below 90°) has sine sinRad may cross the great circle of
// c's edge k: the test of capInside, one edge.
func capCrossesEdge(c s2.Cell, k int, p s2.Point, sinRad float64) bool {
	n := c.EdgeRaw(k) // inward normal, not unit
	return p.Dot(n.Vector) < sinRad*n.Norm()*(1+1e-12)+1e-15
}

// capMisses reports whether the cap around p whose radius (below 90°) has
// sine sinRad certainly misses cell c: p lies farther than the radius
// outside the great circle of one of c's edges, with the same margin as
// capInside. It may answer false for a cap that misses, never true for
// one that meets the cell.
func capMisses(c s2.Cell, p s2.Point, sinRad float64) bool {
	for k := range 4 {
		n := c.EdgeRaw(k) // inward normal, not unit
		if -p.Dot(n.Vector) > sinRad*n.Norm()*(1+1e-12)+1e-15 {
			return true
		}
	}
	return false
}

var polygonCoverer = &s2.RegionCoverer{MinLevel: skyMinLevel, MaxLevel: skyMaxLevel, LevelMod: skyLevelMod, MaxCells: 8}

// cells returns indexed-level cells covering the region. A small cone
// (under coarseConeMax) that takes more than one cell at the level of its
// radius is covered one indexed level coarser when that takes fewer cells
// (cells at least about four times its radius wide: one or two rather
// than three or four): fewer postings and keys, for a few more postings
// scanned (and rejected by their cone) per lookup. Larger cones keep the
// finer covering: around popular targets their coarser cells would hold
// thousands of postings that most activities scan.
func (r *skyRegion) cells(dst []s2.CellID) []s2.CellID {
	if r.cone {
		leaf := s2.CellIDFromLatLng(s2.LatLngFromPoint(r.center))
		n0 := len(dst)
		cs := capCells(dst, leaf, r.center, r.radius)
		if len(cs)-n0 > 1 && r.radius > 0 && r.radius < coarseConeMax {
			if level := allowedLevel(s2.MinWidthMetric.MaxLevel(r.radius)) - skyLevelMod; level > 0 {
				if coarse := capCellsAt(cs[len(cs):], leaf, r.center, r.radius, level); len(coarse) < len(cs)-n0 {
					return cs[:n0+copy(cs[n0:], coarse)]
				}
			}
		}
		return cs
	}
	return append(dst, polygonCoverer.Covering(r.loop)...)
}
