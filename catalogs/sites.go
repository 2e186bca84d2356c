package catalogs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Telescope is a telescope at an observing site.
type Telescope struct {
	Name string `json:"name"`
	// ApertureM is the primary mirror diameter in metres, 0 when unknown.
	ApertureM      float64  `json:"aperture_m,omitempty"`
	Mounting       string   `json:"mounting,omitempty"`       // "equatorial", "alt-azimuth", ...
	OpticalDesign  string   `json:"optical_design,omitempty"` // "Ritchey-Chretien", ...
	Wavelengths    []string `json:"wavelengths,omitempty"`    // "optical", "infrared", "radio", ...
	AdaptiveOptics bool     `json:"adaptive_optics,omitempty"`
	ActiveOptics   bool     `json:"active_optics,omitempty"`
	LaserGuideStar bool     `json:"laser_guide_star,omitempty"`
}

// Site is an observing site.
type Site struct {
	// ID is a stable identifier: the slug of a curated site's short name
	// ("cerro-paranal"), "mpc-<code>" for a site known only from the MPC
	// list, "xephem-<slug>" for one known only from XEphem.
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	// MPCCode is the Minor Planet Center observatory code, if any.
	MPCCode string `json:"mpc_code,omitempty"`
	Country string `json:"country,omitempty"`
	// Longitude is east-positive, in degrees in (-180, 180].
	Longitude float64 `json:"longitude"`
	// Latitude is geodetic (WGS84), in degrees.
	Latitude float64 `json:"latitude"`
	// Height is in metres (above the WGS84 ellipsoid where derived from
	// MPC parallax constants, above sea level otherwise; the two differ by
	// the geoid undulation, at most about 100 m).
	Height float64 `json:"height"`
	// TimeZone is an IANA time zone name ("America/Santiago").
	TimeZone string `json:"time_zone"`
	// TimeZoneSource says where TimeZone comes from: "source" (given by
	// the curated data), "xephem-rule" (mapped from the XEphem POSIX rule
	// and place name) or "nearest:<site id>" (taken from the nearest site
	// whose zone is known).
	TimeZoneSource string      `json:"time_zone_source,omitempty"`
	Homepage       string      `json:"homepage,omitempty"`
	Telescopes     []Telescope `json:"telescopes,omitempty"`
	// Sources lists the data sets the site is drawn from: "arcsecond"
	// (curated 2016 fixtures), "mpc", "xephem", "user".
	Sources []string `json:"sources,omitempty"`
}

// Location loads the site's time zone. Programs that may run where no
// zoneinfo database is installed should import _ "time/tzdata" (the
// arcsecond CLI does).
func (s *Site) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("site %s: time zone: %w", s.ID, err)
	}
	return loc, nil
}

// Validate reports the first fault in a site's fields.
func (s *Site) Validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return errors.New("site has no name")
	case math.IsNaN(s.Longitude) || s.Longitude < -180 || s.Longitude > 180:
		return fmt.Errorf("site %q: longitude %v outside [-180,180]", s.Name, s.Longitude)
	case math.IsNaN(s.Latitude) || s.Latitude < -90 || s.Latitude > 90:
		return fmt.Errorf("site %q: latitude %v outside [-90,90]", s.Name, s.Latitude)
	case math.IsNaN(s.Height) || s.Height < -12000 || s.Height > 100000:
		return fmt.Errorf("site %q: height %v m is not plausible", s.Name, s.Height)
	}
	return nil
}

// SiteMatch is a site found by a positional query.
type SiteMatch struct {
	Site
	// Distance from the query position along the surface, in km (on a
	// sphere of radius 6371 km).
	DistanceKm float64 `json:"distance_km"`
}

// SiteCatalog is a set of sites indexed by name, alias, code and position.
// It is safe for concurrent use.
type SiteCatalog struct {
	sites  []Site
	vec    [][3]float64
	byID   map[string]int
	byName map[string][]int
	byTel  map[string][]int
}

// ErrNotFound is returned (wrapped) when a lookup finds nothing.
var ErrNotFound = errors.New("not found")

// NewSiteCatalog indexes sites (which it keeps). Sites without an ID get
// the slug of their name. It fails on an invalid site or a duplicate ID.
func NewSiteCatalog(sites []Site) (*SiteCatalog, error) {
	c := &SiteCatalog{
		sites:  sites,
		vec:    make([][3]float64, len(sites)),
		byID:   make(map[string]int, len(sites)),
		byName: make(map[string][]int, len(sites)*3),
		byTel:  map[string][]int{},
	}
	for i := range sites {
		s := &sites[i]
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("site %d: %w", i, err)
		}
		if s.ID == "" {
			s.ID = slug(s.Name)
		}
		if _, dup := c.byID[s.ID]; dup {
			return nil, fmt.Errorf("site %d: duplicate id %q", i, s.ID)
		}
		c.byID[s.ID] = i
		c.vec[i] = unitVector(s.Longitude, s.Latitude)
		seen := map[string]bool{}
		keys := append([]string{s.Name, s.ID}, s.Aliases...)
		if s.MPCCode != "" {
			keys = append(keys, s.MPCCode)
		}
		for _, n := range keys {
			k := NormalizeName(n)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			c.byName[k] = append(c.byName[k], i)
		}
		for _, t := range s.Telescopes {
			if k := NormalizeName(t.Name); k != "" {
				c.byTel[k] = append(c.byTel[k], i)
			}
		}
	}
	return c, nil
}

// All returns every site. The slice is shared: do not modify it.
func (c *SiteCatalog) All() []Site { return c.sites }

// Len is the number of sites.
func (c *SiteCatalog) Len() int { return len(c.sites) }

// ByID returns the site with this ID.
func (c *SiteCatalog) ByID(id string) (Site, error) {
	i, ok := c.byID[id]
	if !ok {
		return Site{}, fmt.Errorf("site id %q: %w", id, ErrNotFound)
	}
	return c.sites[i], nil
}

// ByName returns the site a name, alias, ID or MPC code designates,
// ignoring case, spacing, punctuation and accents; failing that, the site
// of a telescope of that name. When several sites share a name, the one
// with the most sources (curated first) wins; Lookup returns them all.
func (c *SiteCatalog) ByName(name string) (Site, error) {
	m := c.Lookup(name)
	if len(m) == 0 {
		return Site{}, fmt.Errorf("site %q: %w", name, ErrNotFound)
	}
	return m[0], nil
}

// Lookup returns every site a name, alias, ID or MPC code designates, best
// first (curated sites before MPC-only and XEphem-only ones); if none, the
// sites of telescopes of that name.
func (c *SiteCatalog) Lookup(name string) []Site {
	k := NormalizeName(name)
	idx := c.byName[k]
	if len(idx) == 0 {
		idx = c.byTel[k]
	}
	out := make([]Site, len(idx))
	for i, j := range idx {
		out[i] = c.sites[j]
	}
	sort.SliceStable(out, func(a, b int) bool { return rankSite(&out[a]) < rankSite(&out[b]) })
	return out
}

func rankSite(s *Site) int {
	for _, src := range s.Sources {
		if src == "arcsecond" || src == "user" {
			return 0
		}
	}
	if len(s.Sources) > 0 && s.Sources[0] == "mpc" {
		return 1
	}
	return 2
}

// ByCode returns the site with this MPC observatory code ("309").
func (c *SiteCatalog) ByCode(code string) (Site, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, i := range c.byName[NormalizeName(code)] {
		if c.sites[i].MPCCode == code {
			return c.sites[i], nil
		}
	}
	return Site{}, fmt.Errorf("MPC code %q: %w", code, ErrNotFound)
}

// Nearest returns the n sites nearest to (lon, lat), degrees east-positive
// and geodetic, nearest first.
func (c *SiteCatalog) Nearest(lon, lat float64, n int) ([]SiteMatch, error) {
	if math.IsNaN(lon) || math.IsInf(lon, 0) {
		return nil, fmt.Errorf("longitude %v is not a number of degrees", lon)
	}
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		return nil, fmt.Errorf("latitude %v outside [-90,90]", lat)
	}
	if n < 0 {
		return nil, fmt.Errorf("count %d must not be negative", n)
	}
	if n > len(c.sites) {
		n = len(c.sites)
	}
	v := unitVector(lon, lat)
	// Keep the n nearest by insertion into a short sorted list: the sites
	// are few (thousands) and n is small, so this beats sorting them all.
	// Rank by the dot product of unit vectors (larger is nearer; cheaper
	// than the angle), keeping the n best in a short sorted list; compute
	// the distance of those only.
	type cand struct {
		i   int
		dot float64
	}
	top := make([]cand, 0, n+1)
	for i := range c.sites {
		w := c.vec[i]
		d := v[0]*w[0] + v[1]*w[1] + v[2]*w[2]
		if len(top) == n && (n == 0 || d <= top[n-1].dot) {
			continue
		}
		j := sort.Search(len(top), func(k int) bool { return top[k].dot < d })
		top = append(top, cand{})
		copy(top[j+1:], top[j:])
		top[j] = cand{i, d}
		if len(top) > n {
			top = top[:n]
		}
	}
	out := make([]SiteMatch, len(top))
	for k, t := range top {
		out[k] = SiteMatch{Site: c.sites[t.i], DistanceKm: angle(v, c.vec[t.i]) * deg * earthRadiusKm}
	}
	// The dot product loses resolution for sites a few metres apart; the
	// final order is by the exact distance.
	sort.SliceStable(out, func(a, b int) bool { return out[a].DistanceKm < out[b].DistanceKm })
	return out, nil
}

const earthRadiusKm = 6371.0

// DistanceKm is the great-circle distance between two places, in km.
func DistanceKm(lon1, lat1, lon2, lat2 float64) float64 {
	return Separation(lon1, lat1, lon2, lat2) * deg * earthRadiusKm
}
