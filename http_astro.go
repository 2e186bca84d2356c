package arcsecond

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	_ "github.com/arcsecond-go/arcsecond/astro/ephemeris" // the Sun and the Moon for the dashboard
	"github.com/arcsecond-go/arcsecond/catalogs"
	"github.com/arcsecond-go/arcsecond/catalogs/resolve"
)

// The dashboard's astronomy endpoints: name lookup in the embedded
// catalogues (then in the node's resolver, if it has one), the Sun and the
// Moon on the sky now, and a target's altitude through a night at a site.
// Only the lookup's resolver reaches the network.
func (n *Node) astroRoutes(handle func(string, http.HandlerFunc)) {
	handle("GET /api/astro/lookup", lookupHandler(n.opts.Resolver, lookupResolveTimeout))
	handle("GET /api/astro/sky", astroSky)
	handle("GET /api/astro/altitude", astroAltitude)
}

// lookupResolveTimeout bounds the resolver's part of one lookup (Sesame's
// own timeout is per mirror; this bounds them all).
const lookupResolveTimeout = 8 * time.Second

// lookupTarget is one answer of GET /api/astro/lookup.
type lookupTarget struct {
	Name      string  `json:"name"`
	Kind      string  `json:"kind"` // "star", "site" or "object" (a resolver's answer)
	Catalogue string  `json:"catalogue,omitempty"`
	RA        float64 `json:"ra,omitempty"`
	Dec       float64 `json:"dec,omitempty"`
	Lon       float64 `json:"lon,omitempty"`
	Lat       float64 `json:"lat,omitempty"`
	SiteID    string  `json:"site_id,omitempty"`
	// A resolver's answer: the database behind it ("Simbad"), its main
	// identifier for the object and the object type, when given.
	Database string `json:"database,omitempty"`
	Object   string `json:"object,omitempty"`
	Type     string `json:"type,omitempty"`
}

// lookupHandler answers GET /api/astro/lookup?name=: the standard stars of
// that name (or alias) and the observing site of that name; when no star
// is found and res is not nil, res's answer (asked for at most timeout),
// its catalogue the resolver's service ("Sesame"). A resolver that fails
// or finds nothing leaves the catalogues' answer and a note saying so.
func lookupHandler(res resolve.Resolver, timeout time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSpace(r.URL.Query().Get("name"))
		if name == "" {
			badRequest(w, "name", "name is required")
			return
		}
		if len(name) > 200 {
			badRequest(w, "name", "name is longer than 200 characters")
			return
		}
		out := []lookupTarget{}
		std, err := catalogs.Standards()
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "the embedded star catalogues failed to load"})
			return
		}
		for _, s := range std.Lookup(name) {
			out = append(out, lookupTarget{Name: s.Name, Kind: "star", Catalogue: s.Catalogue, RA: s.RA, Dec: s.Dec})
		}
		stars := len(out)
		if s, err := catalogs.SiteByName(name); err == nil {
			out = append(out, lookupTarget{Name: s.Name, Kind: "site", SiteID: s.ID, Lon: s.Longitude, Lat: s.Latitude})
		}
		answer := map[string]any{"name": name, "targets": out}
		if stars == 0 && res != nil {
			t, note := resolveName(r.Context(), res, name, timeout)
			if note != "" {
				answer["note"] = note
			} else {
				answer["targets"] = append([]lookupTarget{{
					Name: t.Name, Kind: "object", Catalogue: t.Service, RA: t.RA, Dec: t.Dec,
					Database: t.Database, Object: t.Object, Type: t.Type,
				}}, out...)
			}
		}
		writeJSON(w, 200, answer)
	}
}

// resolveName asks res for name within timeout: its answer, or a note
// for the dashboard saying why there is none.
func resolveName(ctx context.Context, res resolve.Resolver, name string, timeout time.Duration) (resolve.Target, string) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t, err := res.Resolve(ctx, name)
	switch {
	case err == nil:
		if t.Service == "" {
			t.Service = "resolver"
		}
		return t, ""
	case errors.Is(err, resolve.ErrNotFound):
		return t, fmt.Sprintf("the name resolver knows no object named %q", name)
	case errors.Is(err, resolve.ErrBadReply):
		return t, "the name resolver gave an unreadable answer: " + err.Error()
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, resolve.ErrUnreachable):
		return t, "the name resolver could not be reached: " + err.Error()
	default:
		return t, "the name resolver failed: " + err.Error()
	}
}

// skyBody is the place of the Sun or the Moon with its avoidance radius.
type skyBody struct {
	RA           float64 `json:"ra"`
	Dec          float64 `json:"dec"`
	SemiDiameter float64 `json:"semi_diameter"` // degrees
	Avoid        float64 `json:"avoid"`         // degrees: the zone the dashboard shades
	Illumination float64 `json:"illumination,omitempty"`
}

// Avoidance radii drawn round the Sun and the Moon: typical values (solar
// elongation limits of space telescopes are 45-50°; ground-based Moon
// avoidance 30° is the usual default of schedulers). Shown, not enforced.
const (
	sunAvoidDeg  = 45
	moonAvoidDeg = 30
)

// astroSky answers GET /api/astro/sky?time=: the Sun and the Moon
// (geocentric apparent places, true equator and equinox of date, which
// differ from ICRS by under 0.5° for this century: enough for a map) and
// the galactic plane as ICRS points.
func astroSky(w http.ResponseWriter, r *http.Request) {
	t := time.Now().UTC()
	if s := r.URL.Query().Get("time"); s != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			badRequest(w, "time", "time %q is not an RFC 3339 time", s)
			return
		}
	}
	if !inEphemerisRange(t) {
		badRequest(w, "time", "time %q is outside the years %d to %d the dashboard computes", t.Format(time.RFC3339), minYear, maxYear)
		return
	}
	at := astro.FromGo(t)
	sun, err := astro.ApparentPosition(astro.Sun, at)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "the Sun's place: " + err.Error()})
		return
	}
	moon, err := astro.ApparentPosition(astro.Moon, at)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "the Moon's place: " + err.Error()})
		return
	}
	illum := 0.0
	if il, err := astro.MoonIllumination(at); err == nil {
		illum = il.Fraction
	}
	plane := make([][2]float64, 0, 181)
	for l := 0.0; l <= 360; l += 2 {
		ra, dec := astro.GalacticToICRS(astro.Deg(l), 0)
		plane = append(plane, [2]float64{round6(ra.Deg()), round6(dec.Deg())})
	}
	writeJSON(w, 200, map[string]any{
		"time":           t.Format(time.RFC3339),
		"sun":            skyBody{RA: sun.RA.Deg(), Dec: sun.Dec.Deg(), SemiDiameter: sun.SemiDiameter.Deg(), Avoid: sunAvoidDeg},
		"moon":           skyBody{RA: moon.RA.Deg(), Dec: moon.Dec.Deg(), SemiDiameter: moon.SemiDiameter.Deg(), Avoid: moonAvoidDeg, Illumination: illum},
		"galactic_plane": plane,
	})
}

// The years the astronomy endpoints answer for: well inside the VSOP87 and
// ELP/MPP02 theories' ranges, and all that observing schedules need.
const minYear, maxYear = 1000, 3000

func inEphemerisRange(t time.Time) bool { return t.Year() >= minYear && t.Year() <= maxYear }

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// altPoint is one sample of an altitude curve: minutes since the curve's
// start, refracted altitude in degrees.
type altPoint struct {
	T    string  `json:"t"`
	Alt  float64 `json:"alt"`
	Moon float64 `json:"moon"`
	Sun  float64 `json:"sun"`
}

// astroAltitude answers GET /api/astro/altitude?ra=&dec=&site=&date=: the
// altitude of (ra, dec) (ICRS degrees), of the Moon and of the Sun through
// the night that starts on the evening of date (YYYY-MM-DD, default today
// UTC) at site (a name, alias, ID or MPC code of the embedded sites), every
// 10 minutes from local noon to local noon, with the twilights.
func astroAltitude(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ra, dec float64
	for _, p := range []struct {
		name string
		dst  *float64
		lo   float64
		hi   float64
	}{{"ra", &ra, 0, 360}, {"dec", &dec, -90, 90}} {
		s := q.Get(p.name)
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || f < p.lo || f > p.hi {
			badRequest(w, p.name, "%s %q is not a number of degrees in [%g, %g]", p.name, s, p.lo, p.hi)
			return
		}
		*p.dst = f
	}
	siteName := q.Get("site")
	if siteName == "" {
		siteName = "Paranal"
	}
	cs, err := catalogs.SiteByName(siteName)
	if err != nil {
		badRequest(w, "site", "no embedded site %q", siteName)
		return
	}
	day := time.Now().UTC()
	if s := q.Get("date"); s != "" {
		if day, err = time.Parse(time.DateOnly, s); err != nil {
			badRequest(w, "date", "date %q is not YYYY-MM-DD", s)
			return
		}
	}
	if !inEphemerisRange(day) {
		badRequest(w, "date", "date %q is outside the years %d to %d the dashboard computes", day.Format(time.DateOnly), minYear, maxYear)
		return
	}
	site := astro.Site{Lon: astro.Deg(cs.Longitude), Lat: astro.Deg(cs.Latitude), Height: cs.Height}
	night, err := astro.Night(site, day.Year(), int(day.Month()), day.Day())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "the night: " + err.Error()})
		return
	}
	from := night.Start
	to := astro.FromGo(from.Go().Add(24 * time.Hour))
	const step = 10 * time.Minute
	star := astro.Star{RA: astro.Deg(ra), Dec: astro.Deg(dec)}
	curves := make([][]astro.AltitudePoint, 3)
	for i, tg := range []astro.Target{star, astro.Moon, astro.Sun} {
		if curves[i], err = astro.AltitudeCurve(tg, site, from, to, step); err != nil {
			writeJSON(w, http.StatusInternalServerError, apiError{Error: fmt.Sprintf("altitude of %v: %v", tg, err)})
			return
		}
	}
	pts := make([]altPoint, 0, len(curves[0]))
	for i, p := range curves[0] {
		if i >= len(curves[1]) || i >= len(curves[2]) {
			break
		}
		pts = append(pts, altPoint{
			T:    p.Time.Go().Format(time.RFC3339),
			Alt:  math.Round(p.AltRefracted.Deg()*100) / 100,
			Moon: math.Round(curves[1][i].AltRefracted.Deg()*100) / 100,
			Sun:  math.Round(curves[2][i].AltRefracted.Deg()*100) / 100,
		})
	}
	ev := func(e astro.Event) any {
		if !e.OK {
			return nil
		}
		return e.Time.Go().Format(time.RFC3339)
	}
	moonSep := 0.0
	if mp, err := astro.ApparentPosition(astro.Moon, night.Midnight); err == nil {
		moonSep = astro.Separation(mp.RA, mp.Dec, astro.Deg(ra), astro.Deg(dec)).Deg()
	}
	writeJSON(w, 200, map[string]any{
		"site":   map[string]any{"id": cs.ID, "name": cs.Name, "lon": cs.Longitude, "lat": cs.Latitude, "height": cs.Height, "time_zone": cs.TimeZone},
		"date":   day.Format(time.DateOnly),
		"ra":     ra,
		"dec":    dec,
		"from":   from.Go().Format(time.RFC3339),
		"to":     to.Go().Format(time.RFC3339),
		"points": pts,
		"twilights": map[string]any{
			"sunset": ev(night.Sunset), "sunrise": ev(night.Sunrise),
			"civil_dusk": ev(night.CivilDusk), "civil_dawn": ev(night.CivilDawn),
			"nautical_dusk": ev(night.NauticalDusk), "nautical_dawn": ev(night.NauticalDawn),
			"astro_dusk": ev(night.AstroDusk), "astro_dawn": ev(night.AstroDawn),
		},
		"moon": map[string]any{
			"illumination": night.MoonIllumination, "rise": ev(night.MoonRise), "set": ev(night.MoonSet),
			"separation": math.Round(moonSep*10) / 10,
		},
	})
}
