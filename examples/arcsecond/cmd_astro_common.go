package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/catalogs"
)

// astroSite is an observing site resolved from a catalogue name or from
// explicit coordinates.
type astroSite struct {
	Name string
	Site astro.Site
	Zone *time.Location
}

// astroResolveSite reads --site: a catalogue name, code or telescope
// ("Paranal", "309", "VLT"), or "LON,LAT[,HEIGHT]" in degrees (east
// longitude) and metres; explicit coordinates use UTC as local time.
func astroResolveSite(s string) (astroSite, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return astroSite{}, usageErrorf("--site is required (a site name such as Paranal, or LON,LAT[,HEIGHT] in degrees)")
	}
	if parts := strings.Split(s, ","); len(parts) >= 2 && len(parts) <= 3 {
		if _, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err == nil {
			var v [3]float64
			for i, p := range parts {
				f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					return astroSite{}, usageErrorf("--site %q: %q is not a number", s, p)
				}
				v[i] = f
			}
			site := astro.Site{Lon: astro.Deg(v[0]), Lat: astro.Deg(v[1]), Height: v[2]}
			if err := site.Validate(); err != nil {
				return astroSite{}, usageErrorf("--site %q: %v", s, err)
			}
			return astroSite{Name: s, Site: site, Zone: time.UTC}, nil
		}
	}
	cs, err := catalogs.SiteByName(s)
	if err != nil {
		if cs2, err2 := catalogs.SiteByCode(s); err2 == nil {
			cs, err = cs2, nil
		}
	}
	if err != nil {
		if errors.Is(err, catalogs.ErrNotFound) {
			return astroSite{}, notFoundError{fmt.Errorf("site %q: not in the catalogues (try `arcsecond catalogs sites`, or give LON,LAT)", s)}
		}
		return astroSite{}, fmt.Errorf("site %q: %w", s, err)
	}
	loc, err := cs.Location()
	if err != nil || loc == nil {
		loc = time.UTC
	}
	site := astro.Site{Lon: astro.Deg(cs.Longitude), Lat: astro.Deg(cs.Latitude), Height: cs.Height}
	return astroSite{Name: cs.Name, Site: site, Zone: loc}, nil
}

// astroBodyKind tells a star (fixed ICRS place) from a solar-system body.
type astroTarget struct {
	Name    string
	Body    astro.Body // a body of the solar system, or 0 for a fixed place
	RA, Dec astro.Angle
	Source  string // "given", "catalogue <key>", "ephemeris"
}

// astroParseRADec reads "RA,DEC" (degrees, or hh:mm:ss,±dd:mm:ss).
func astroParseRADec(s string) (astro.Angle, astro.Angle, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return 0, 0, fmt.Errorf("%q: want RA,DEC (degrees, or hh:mm:ss,±dd:mm:ss)", s)
	}
	// catalogs.ParseRA wraps decimal degrees into [0, 360); an RA outside
	// that range is more likely a typo than a wish, so it is refused here.
	if v, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err == nil && (v < 0 || v >= 360) {
		return 0, 0, fmt.Errorf("%q: right ascension %v° is outside [0, 360)", s, v)
	}
	ra, err := catalogs.ParseRA(strings.TrimSpace(parts[0]))
	if err != nil {
		return 0, 0, fmt.Errorf("%q: %w", s, err)
	}
	dec, err := catalogs.ParseDec(strings.TrimSpace(parts[1]))
	if err != nil {
		return 0, 0, fmt.Errorf("%q: %w", s, err)
	}
	return astro.Deg(ra), astro.Deg(dec), nil
}

// astroResolveTarget reads a target: "NAME=RA,DEC", "RA,DEC", a body of
// the solar system (Sun, Moon, Mercury ... Neptune) or a standard star's
// name looked up in the embedded catalogues.
func astroResolveTarget(spec string) (astroTarget, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return astroTarget{}, usageErrorf("empty target")
	}
	if name, coords, ok := strings.Cut(spec, "="); ok {
		ra, dec, err := astroParseRADec(coords)
		if err != nil {
			return astroTarget{}, usageErrorf("target %q: %v", spec, err)
		}
		name = strings.TrimSpace(name)
		if name == "" {
			name = coords
		}
		return astroTarget{Name: name, RA: ra, Dec: dec, Source: "given"}, nil
	}
	if strings.Contains(spec, ",") {
		if ra, dec, err := astroParseRADec(spec); err == nil {
			return astroTarget{Name: spec, RA: ra, Dec: dec, Source: "given"}, nil
		}
	}
	if b, err := astro.ParseBody(spec); err == nil {
		return astroTarget{Name: b.String(), Body: b, Source: "ephemeris"}, nil
	}
	std, err := catalogs.Standards()
	if err != nil {
		return astroTarget{}, fmt.Errorf("target %q: loading the standard stars: %w", spec, err)
	}
	stars := std.Lookup(spec)
	if len(stars) == 0 {
		return astroTarget{}, notFoundError{fmt.Errorf("target %q: not a body of the solar system nor a star in the embedded catalogues; give its coordinates as NAME=RA,DEC", spec)}
	}
	s := stars[0]
	return astroTarget{Name: s.Name, RA: astro.Deg(s.RA), Dec: astro.Deg(s.Dec), Source: "catalogue " + s.Catalogue}, nil
}

const astroAUKm = 149597870.7

// astroObserver bundles the contexts for one instant at one site.
type astroObserver struct {
	t         astro.Time
	geo, topo *astro.Astrometry
}

func newAstroObserver(t astro.Time, site astro.Site) (*astroObserver, error) {
	geo, err := astro.NewGeocentric(t)
	if err != nil {
		return nil, fmt.Errorf("astrometry at %v: %w", t, err)
	}
	topo, err := astro.NewTopocentric(t, site, nil)
	if err != nil {
		return nil, fmt.Errorf("astrometry at %v: %w", t, err)
	}
	return &astroObserver{t: t, geo: geo, topo: topo}, nil
}

// observed returns the observed place of the target (topocentric, with
// parallax for bodies; no refraction: the context has no weather).
func (o *astroObserver) observed(tg astroTarget) (astro.Observed, error) {
	if tg.Body == 0 {
		return o.topo.Observed(astro.Star{RA: tg.RA, Dec: tg.Dec}), nil
	}
	return o.topo.ObservedBody(tg.Body)
}

// apparent returns the geocentric apparent place (true equator and equinox
// of date) and the geocentric distance in km (0 for a star).
func (o *astroObserver) apparent(tg astroTarget) (astro.Angle, astro.Angle, float64, error) {
	if tg.Body == 0 {
		ra, dec := o.geo.Apparent(astro.Star{RA: tg.RA, Dec: tg.Dec})
		return ra, dec, 0, nil
	}
	p, err := o.geo.Body(tg.Body)
	if err != nil {
		return 0, 0, 0, err
	}
	return p.RA, p.Dec, p.Distance, nil
}

// moonIllumination returns the illuminated fraction of the Moon's disc.
func (o *astroObserver) moonIllumination() (float64, error) {
	il, err := astro.MoonIllumination(o.t)
	if err != nil {
		return 0, err
	}
	return il.Fraction, nil
}

// astroSDKTarget is the target as the astro package's searches take it.
func (tg astroTarget) sdk() astro.Target {
	if tg.Body != 0 {
		return tg.Body
	}
	return astro.Star{RA: tg.RA, Dec: tg.Dec}
}

// astroAltitudeFunc returns the target's topocentric altitude (degrees,
// without refraction) at t.
func astroAltitudeFunc(site astro.Site, tg astroTarget) func(t astro.Time) (float64, error) {
	return func(t astro.Time) (float64, error) {
		o, err := newAstroObserver(t, site)
		if err != nil {
			return 0, err
		}
		ob, err := o.observed(tg)
		if err != nil {
			return 0, err
		}
		return ob.Alt.Deg(), nil
	}
}

// astroParseWhen reads an instant: "now", "YYYY-MM-DD" (0h UTC),
// "YYYY-MM-DDThh:mm[:ss]" (UTC), "JD2461000.5" or "MJD61000".
func astroParseWhen(s string) (astro.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || strings.EqualFold(s, "now"):
		return astro.FromGo(time.Now()), nil
	case strings.HasPrefix(strings.ToUpper(s), "MJD"):
		v, err := strconv.ParseFloat(strings.TrimSpace(s[3:]), 64)
		if err != nil {
			return astro.Time{}, usageErrorf("time %q: MJD wants a number", s)
		}
		t, err := astro.FromMJD(astro.UTC, v)
		if err != nil {
			return astro.Time{}, usageErrorf("time %q: %v", s, err)
		}
		return t, nil
	case strings.HasPrefix(strings.ToUpper(s), "JD"):
		v, err := strconv.ParseFloat(strings.TrimSpace(s[2:]), 64)
		if err != nil {
			return astro.Time{}, usageErrorf("time %q: JD wants a number", s)
		}
		t, err := astro.FromJD(astro.UTC, v)
		if err != nil {
			return astro.Time{}, usageErrorf("time %q: %v", s, err)
		}
		return t, nil
	}
	if len(s) == 10 {
		s += "T00:00:00"
	} else if len(s) == 16 {
		s += ":00"
	}
	t, err := astro.ParseTime(s)
	if err != nil {
		return astro.Time{}, usageErrorf("time %q: want now, YYYY-MM-DD[Thh:mm[:ss]] (UTC), JDnnnn or MJDnnnn: %v", s, err)
	}
	return t, nil
}

// astroParseDate reads --date YYYY-MM-DD: the calendar date of the evening
// the night begins on, at the site.
func astroParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, usageErrorf("--date %q: want YYYY-MM-DD", s)
	}
	return d, nil
}

// astroSiteDate holds the --site and --date flags of the commands about
// the night at a site (riseset, night, chart).
type astroSiteDate struct{ site, date string }

func (f *astroSiteDate) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.site, "site", "", "site name or LON,LAT[,HEIGHT] (required)")
	cmd.Flags().StringVar(&f.date, "date", "", "local date of the evening, YYYY-MM-DD (default today)")
}

// resolve reads --site (astroResolveSite), then --date (astroParseDate).
func (f *astroSiteDate) resolve() (astroSite, time.Time, error) {
	site, err := astroResolveSite(f.site)
	if err != nil {
		return astroSite{}, time.Time{}, err
	}
	d, err := astroParseDate(f.date)
	if err != nil {
		return astroSite{}, time.Time{}, err
	}
	return site, d, nil
}

// astroLocalNoon returns 12:00 local time at the site on the given date;
// sites given by coordinates use local mean solar time.
func astroLocalNoon(site astroSite, d time.Time) astro.Time {
	if site.Zone == time.UTC && site.Name != "" && strings.Contains(site.Name, ",") {
		noon := time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC)
		return astro.FromGo(noon.Add(-time.Duration(site.Site.Lon.Deg() / 15 * float64(time.Hour))))
	}
	return astro.FromGo(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, site.Zone))
}

func astroWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
