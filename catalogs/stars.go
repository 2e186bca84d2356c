package catalogs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/arcsecond-go/arcsecond/astro"
)

// Equinox names the reference system of published coordinates.
type Equinox string

// The equinoxes the catalogues use.
const (
	J2000 Equinox = "J2000" // FK5/ICRS, equinox and epoch J2000.0
	B1950 Equinox = "B1950" // FK4, equinox and epoch B1950.0
)

func parseEquinox(s string) (Equinox, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "J2000", "J2000.0", "ICRS", "FK5", "":
		return J2000, nil
	case "B1950", "B1950.0", "FK4":
		return B1950, nil
	}
	return "", fmt.Errorf("unknown equinox %q (want J2000 or B1950)", s)
}

// Magnitude is a brightness in one band of one photometric system.
type Magnitude struct {
	Band   string  `json:"band"`
	Value  float64 `json:"value"`
	Error  float64 `json:"error,omitempty"` // 0 when not published
	System string  `json:"system"`          // "Vega", "AB", "Johnson-Cousins", "MKO", ...
}

// Color is a colour index such as B-V.
type Color struct {
	Bands string  `json:"bands"` // "B-V"
	Value float64 `json:"value"`
	Error float64 `json:"error,omitempty"`
}

// Star is one row of a standard-star catalogue.
type Star struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	// Catalogue is the key of the catalogue the star comes from
	// ("Landolt_1992").
	Catalogue string `json:"catalogue"`
	// RA and Dec are ICRS/J2000 coordinates in degrees. For a B1950
	// catalogue they are the published FK4 position converted to FK5 J2000
	// (no proper motion applied).
	RA  float64 `json:"ra"`
	Dec float64 `json:"dec"`
	// RAPublished and DecPublished are the coordinates as published, in
	// degrees, in Equinox.
	RAPublished  float64     `json:"ra_published"`
	DecPublished float64     `json:"dec_published"`
	Equinox      Equinox     `json:"equinox"`
	SpectralType string      `json:"spectral_type,omitempty"`
	Magnitudes   []Magnitude `json:"magnitudes,omitempty"`
	Colors       []Color     `json:"colors,omitempty"`
	// Extra keeps the other published columns (polarisation, parallax,
	// fluxes) as text, keyed by column name.
	Extra map[string]string `json:"extra,omitempty"`
}

// Mag returns the star's magnitude in band (case-sensitive: "K" and "Ks"
// differ) and whether it has one.
func (s *Star) Mag(band string) (Magnitude, bool) {
	for _, m := range s.Magnitudes {
		if m.Band == band {
			return m, true
		}
	}
	return Magnitude{}, false
}

// Validate reports the first fault in a star's fields.
func (s *Star) Validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return errors.New("star has no name")
	case math.IsNaN(s.RA) || s.RA < 0 || s.RA >= 360:
		return fmt.Errorf("star %q: ra %v outside [0,360)", s.Name, s.RA)
	case math.IsNaN(s.Dec) || s.Dec < -90 || s.Dec > 90:
		return fmt.Errorf("star %q: dec %v outside [-90,90]", s.Name, s.Dec)
	}
	for _, m := range s.Magnitudes {
		if m.Band == "" || math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			return fmt.Errorf("star %q: bad magnitude %+v", s.Name, m)
		}
	}
	return nil
}

// StarMatch is a star found by a positional query.
type StarMatch struct {
	Star
	// Separation from the query position, in degrees.
	Separation float64 `json:"separation_deg"`
}

// Filter narrows a query. The zero Filter keeps every star.
type Filter struct {
	// Band keeps only stars with a magnitude in this band. With MinMag or
	// MaxMag the range applies to this band; with an empty Band the range
	// applies to any of the star's magnitudes.
	Band string
	// MinMag and MaxMag bound the magnitude (inclusive); both zero means
	// no bound. Use math.Inf for a one-sided range.
	MinMag, MaxMag float64
	// Catalogues keeps only stars from these catalogue keys.
	Catalogues []string
}

func (f *Filter) match(s *Star) bool {
	if len(f.Catalogues) > 0 {
		ok := false
		for _, c := range f.Catalogues {
			if strings.EqualFold(c, s.Catalogue) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	ranged := f.MinMag != 0 || f.MaxMag != 0
	if f.Band == "" && !ranged {
		return true
	}
	for _, m := range s.Magnitudes {
		if f.Band != "" && m.Band != f.Band {
			continue
		}
		if !ranged || (m.Value >= f.MinMag && m.Value <= f.MaxMag) {
			return true
		}
	}
	return false
}

func (f *Filter) validate() error {
	if math.IsNaN(f.MinMag) || math.IsNaN(f.MaxMag) {
		return errors.New("filter: magnitude bound is NaN")
	}
	if (f.MinMag != 0 || f.MaxMag != 0) && f.MinMag > f.MaxMag {
		return fmt.Errorf("filter: min magnitude %v above max %v", f.MinMag, f.MaxMag)
	}
	return nil
}

// StarCatalog is a set of stars indexed for name and position queries. It
// is safe for concurrent use; the indexes are built once, when it is made.
type StarCatalog struct {
	stars  []Star
	vec    [][3]float64 // unit vectors, same order as stars
	zones  []zone       // declination zones of zoneHeight degrees, south to north
	byName map[string][]int32
}

// zoneHeight is the declination height of an index zone, in degrees.
const zoneHeight = 0.5

// zone holds the stars of one declination band, sorted by right
// ascension, so a cone search reads only an RA window of a few zones.
type zone struct {
	ras []float64 // RA in degrees, ascending
	idx []int32   // star index of each entry of ras
}

func zoneOf(dec float64) int {
	z := int((dec + 90) / zoneHeight)
	return min(max(z, 0), int(180/zoneHeight)-1)
}

// NewStarCatalog indexes stars (which it keeps; do not modify them
// afterwards). It fails on the first invalid star.
func NewStarCatalog(stars []Star) (*StarCatalog, error) {
	c := &StarCatalog{
		stars:  stars,
		vec:    make([][3]float64, len(stars)),
		zones:  make([]zone, int(180/zoneHeight)),
		byName: make(map[string][]int32, len(stars)*2),
	}
	if len(stars) > math.MaxInt32 {
		return nil, errors.New("too many stars")
	}
	for i := range stars {
		s := &stars[i]
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("star %d: %w", i, err)
		}
		c.vec[i] = unitVector(s.RA, s.Dec)
		z := &c.zones[zoneOf(s.Dec)]
		z.idx = append(z.idx, int32(i))
		seen := map[string]bool{}
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			k := NormalizeName(n)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			c.byName[k] = append(c.byName[k], int32(i))
		}
	}
	for zi := range c.zones {
		z := &c.zones[zi]
		sort.SliceStable(z.idx, func(a, b int) bool { return stars[z.idx[a]].RA < stars[z.idx[b]].RA })
		z.ras = make([]float64, len(z.idx))
		for k, i := range z.idx {
			z.ras[k] = stars[i].RA
		}
	}
	return c, nil
}

// Len is the number of stars.
func (c *StarCatalog) Len() int { return len(c.stars) }

// All returns every star, in catalogue order. The slice is shared: do not
// modify it.
func (c *StarCatalog) All() []Star { return c.stars }

// Catalogues returns the distinct catalogue keys, sorted.
func (c *StarCatalog) Catalogues() []string {
	seen := map[string]bool{}
	var out []string
	for i := range c.stars {
		if k := c.stars[i].Catalogue; !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Lookup returns the stars whose name or alias matches name, ignoring case,
// spacing, punctuation and accents (see NormalizeName). Stars from several
// catalogues may share a name; they are returned in catalogue order.
func (c *StarCatalog) Lookup(name string) []Star {
	idx := c.byName[NormalizeName(name)]
	out := make([]Star, len(idx))
	for i, j := range idx {
		out[i] = c.stars[j]
	}
	return out
}

// Cone returns the stars within radius degrees of (ra, dec), both in
// degrees J2000, that pass f, nearest first.
func (c *StarCatalog) Cone(ra, dec, radius float64, f Filter) ([]StarMatch, error) {
	if err := checkPosition(ra, dec); err != nil {
		return nil, err
	}
	if math.IsNaN(radius) || radius < 0 {
		return nil, fmt.Errorf("cone radius %v must be a non-negative number of degrees", radius)
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	var hits []hit
	c.scan(unitVector(ra, dec), ra, dec, math.Min(radius, 180), &f, func(i int32, sep float64) { hits = append(hits, hit{i, sep}) })
	return c.matches(hits, len(hits)), nil
}

// hit is a star index and its separation from a query position.
type hit struct {
	i   int32
	sep float64
}

// matches sorts hits nearest first (ties in catalogue order) and returns
// the first n as StarMatch values.
func (c *StarCatalog) matches(hits []hit, n int) []StarMatch {
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].sep != hits[b].sep {
			return hits[a].sep < hits[b].sep
		}
		return hits[a].i < hits[b].i
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	out := make([]StarMatch, len(hits))
	for k, h := range hits {
		out[k] = StarMatch{Star: c.stars[h.i], Separation: h.sep}
	}
	return out
}

// Nearest returns up to n stars passing f, nearest to (ra, dec) first.
func (c *StarCatalog) Nearest(ra, dec float64, n int, f Filter) ([]StarMatch, error) {
	if err := checkPosition(ra, dec); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("count %d must not be negative", n)
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	if n == 0 || len(c.stars) == 0 {
		return nil, nil
	}
	v := unitVector(ra, dec)
	// Widen a cone until it holds n matches: every star outside the cone
	// is farther than every star inside it, so the n nearest are exact.
	var hits []hit
	r := 0.5
	for {
		hits = hits[:0]
		c.scan(v, ra, dec, r, &f, func(i int32, sep float64) { hits = append(hits, hit{i, sep}) })
		if len(hits) >= n || r >= 180 {
			break
		}
		r = math.Min(r*2, 180)
	}
	return c.matches(hits, n), nil
}

// scan calls fn for every star within radius degrees of v (at ra, dec)
// that passes f. It reads the declination zones the cone overlaps and, in
// each, the right-ascension window that can hold cone members: when the
// cone does not reach a pole, no member differs from ra by more than
// asin(sin radius / cos dec). Those bounds only skip stars that cannot be
// in the cone (with a margin against rounding); the test on each star read
// is the exact separation a full scan computes, so the result is the same.
func (c *StarCatalog) scan(v [3]float64, ra, dec, radius float64, f *Filter, fn func(int32, float64)) {
	const margin = 1e-7 // degrees
	ra = normRA(ra)
	// Pre-test on the dot product, loosened by 1e-12 for its rounding (a
	// star at the query position itself may come out a few ulp below 1).
	cosR := math.Cos(math.Min(radius+margin, 180)*deg) - 1e-12
	full := dec+radius+margin >= 90 || dec-radius-margin <= -90
	var half float64
	if !full {
		x := math.Sin(math.Min(radius, 90)*deg) / math.Cos(dec*deg)
		if x >= 1 || radius >= 90 {
			full = true
		} else {
			half = math.Asin(x)/deg + margin
		}
	}
	visit := func(z *zone, lo, hi float64) {
		k := sort.SearchFloat64s(z.ras, lo)
		for ; k < len(z.ras) && z.ras[k] <= hi; k++ {
			i := z.idx[k]
			w := c.vec[i]
			if v[0]*w[0]+v[1]*w[1]+v[2]*w[2] < cosR {
				continue // certainly outside (the cosine test has the margin)
			}
			sep := angle(v, w)
			if sep <= radius && f.match(&c.stars[i]) {
				fn(i, sep)
			}
		}
	}
	for zi := zoneOf(dec - radius - margin); zi <= zoneOf(dec+radius+margin); zi++ {
		z := &c.zones[zi]
		switch {
		case full || half >= 180:
			visit(z, math.Inf(-1), math.Inf(1))
		case ra-half < 0:
			visit(z, 0, ra+half)
			visit(z, ra-half+360, 360)
		case ra+half >= 360:
			visit(z, ra-half, 360)
			visit(z, 0, ra+half-360)
		default:
			visit(z, ra-half, ra+half)
		}
	}
}

func checkPosition(ra, dec float64) error {
	if math.IsNaN(ra) || math.IsInf(ra, 0) {
		return fmt.Errorf("right ascension %v is not a number of degrees", ra)
	}
	if math.IsNaN(dec) || dec < -90 || dec > 90 {
		return fmt.Errorf("declination %v outside [-90,90] degrees", dec)
	}
	return nil
}

const deg = math.Pi / 180

func unitVector(lonDeg, latDeg float64) [3]float64 {
	return astro.DirectionToVec(astro.Deg(lonDeg), astro.Deg(latDeg))
}

// angle is the angle between two unit vectors in degrees (astro.Vec3.Angle).
func angle(a, b [3]float64) float64 { return astro.Vec3(a).Angle(b).Deg() }

// Separation is the angle in degrees between two positions given in
// degrees (RA/Dec or longitude/latitude): astro.Separation in degrees.
func Separation(lon1, lat1, lon2, lat2 float64) float64 {
	return astro.Separation(astro.Deg(lon1), astro.Deg(lat1), astro.Deg(lon2), astro.Deg(lat2)).Deg()
}
