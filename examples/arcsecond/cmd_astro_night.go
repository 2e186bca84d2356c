package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/astro"
)

// astroEvents returns the rise, transit and set (and, for the Sun, the
// twilights) of a target at a site over the 24 hours from local noon of
// the given date, in time order (astro.RiseTransitSet, astro.TwilightTimes).
func astroEvents(site astroSite, date time.Time, tg astroTarget) ([]astroEvent, error) {
	from := astroLocalNoon(site, date)
	var ev []astroEvent
	add := func(name string, t astro.Time, ok bool) {
		if ok && t.Sub(from) >= 0 && t.Sub(from) < 86400 {
			ev = append(ev, astroMakeEvent(name, t.UTC(), site.Zone))
		}
	}
	// Events of the previous search may fall in the window too when a rise
	// comes after the set: search from the start and again after each event.
	seen := map[string]bool{}
	for start, i := from, 0; i < 3; i++ {
		e, err := astro.RiseTransitSet(tg.sdk(), site.Site, start)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tg.Name, err)
		}
		next := start.Add(astro.Day)
		for _, x := range []struct {
			name string
			t    astro.Time
			ok   bool
		}{{"rise", e.Rise, e.HasRise}, {fmt.Sprintf("transit (alt %+.1f°)", e.TransitAlt.Deg()), e.Transit, e.HasTransit}, {"set", e.Set, e.HasSet}} {
			if !x.ok {
				continue
			}
			key := x.t.UTC().Go().Truncate(time.Minute).String() + x.name[:3]
			if !seen[key] {
				seen[key] = true
				add(x.name, x.t, true)
			}
			if x.t.Sub(next) < 0 && x.t.Sub(start) > 0 {
				next = x.t
			}
		}
		if next.Sub(from) >= 86400 {
			break
		}
		start = next.Add(time.Minute)
	}
	if tg.Body == astro.Sun {
		for _, tw := range []struct {
			tw         astro.Twilight
			dusk, dawn string
		}{{astro.Civil, "civil dusk", "civil dawn"}, {astro.Nautical, "nautical dusk", "nautical dawn"}, {astro.Astronomical, "astronomical dusk", "astronomical dawn"}} {
			dusk, dawn, err := astro.TwilightTimes(tw.tw, site.Site, from, astro.Day)
			if err != nil {
				return nil, fmt.Errorf("twilight: %w", err)
			}
			add(tw.dusk, dusk.Time, dusk.OK)
			add(tw.dawn, dawn.Time, dawn.OK)
		}
	}
	sort.Slice(ev, func(i, j int) bool { return ev[i].t.Sub(ev[j].t) < 0 })
	return ev, nil
}

func newAstroRiseSetCmd() *cobra.Command {
	var sd astroSiteDate
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "riseset TARGET --site SITE --date YYYY-MM-DD",
		Short: "Rise, transit and set of the Sun (with twilights), the Moon, a planet or a star at a site",
		Long: "Events over the 24 hours from local noon of --date. Rise and set follow the Swiss Ephemeris\n" +
			"convention (upper limb at apparent altitude 0 for a sea-level observer: the topocentric centre at\n" +
			"−(semi-diameter + 33.6′), stars −33.6′); twilights are the Sun's centre at −6°, −12°, −18°.",
		Example: "  arcsecond astro riseset Sun --site Paranal --date 2026-11-20",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tg, err := astroResolveTarget(args[0])
			if err != nil {
				return err
			}
			site, d, err := sd.resolve()
			if err != nil {
				return err
			}
			ev, err := astroEvents(site, d, tg)
			if err != nil {
				return err
			}
			if asJSON {
				if ev == nil {
					ev = []astroEvent{}
				}
				return astroWriteJSON(cmd.OutOrStdout(), map[string]any{"target": tg.Name, "site": site.Name, "time_zone": site.Zone.String(), "events": ev})
			}
			if len(ev) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s neither rises, sets nor transits at %s in these 24 hours\n", tg.Name, site.Name)
				return nil
			}
			return astroPrintEvents(cmd, fmt.Sprintf("%s at %s (%s)", tg.Name, site.Name, site.Zone), ev)
		},
	}
	sd.flags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// astroNight is the night at a site (astro.Night) as the CLI prints it.
type astroNight struct {
	Site       string       `json:"site"`
	TimeZone   string       `json:"time_zone"`
	Date       string       `json:"date"`
	Events     []astroEvent `json:"events"`
	MoonIllum  float64      `json:"moon_illuminated_fraction"`
	MoonAltMid float64      `json:"moon_altitude_midnight_deg"`
	DarkHours  float64      `json:"astronomical_night_hours"`
	PolarDay   bool         `json:"polar_day,omitempty"`
	PolarNight bool         `json:"polar_night,omitempty"`
	info       astro.NightInfo
}

func astroComputeNight(site astroSite, date time.Time) (*astroNight, error) {
	ni, err := astro.Night(site.Site, date.Year(), int(date.Month()), date.Day())
	if err != nil {
		return nil, fmt.Errorf("night of %s: %w", date.Format("2006-01-02"), err)
	}
	n := &astroNight{Site: site.Name, TimeZone: site.Zone.String(), Date: date.Format("2006-01-02"), info: ni,
		MoonIllum: ni.MoonIllumination, DarkHours: ni.Dark.Hours(), PolarDay: ni.PolarDay, PolarNight: ni.PolarNight}
	for _, e := range []struct {
		name string
		ev   astro.Event
	}{
		{"sunset", ni.Sunset}, {"sun: civil dusk", ni.CivilDusk}, {"sun: nautical dusk", ni.NauticalDusk},
		{"sun: astronomical dusk", ni.AstroDusk}, {"sun: astronomical dawn", ni.AstroDawn}, {"sun: nautical dawn", ni.NauticalDawn},
		{"sun: civil dawn", ni.CivilDawn}, {"sunrise", ni.Sunrise}, {"moonrise", ni.MoonRise}, {"moonset", ni.MoonSet},
	} {
		if e.ev.OK {
			n.Events = append(n.Events, astroMakeEvent(e.name, e.ev.Time.UTC(), site.Zone))
		}
	}
	sort.SliceStable(n.Events, func(i, j int) bool { return n.Events[i].t.Sub(n.Events[j].t) < 0 })
	o, err := newAstroObserver(ni.Midnight, site.Site)
	if err != nil {
		return nil, err
	}
	mo, err := o.observed(astroTarget{Name: "Moon", Body: astro.Moon})
	if err != nil {
		return nil, err
	}
	n.MoonAltMid = mo.Alt.Deg()
	if n.Events == nil {
		n.Events = []astroEvent{}
	}
	return n, nil
}

func newAstroNightCmd() *cobra.Command {
	var sd astroSiteDate
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "night --site SITE --date YYYY-MM-DD",
		Short:   "The night at a site: sunset, twilights, sunrise, moonrise and moonset, the Moon's illumination",
		Example: "  arcsecond astro night --site Paranal --date 2026-11-20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			site, d, err := sd.resolve()
			if err != nil {
				return err
			}
			n, err := astroComputeNight(site, d)
			if err != nil {
				return err
			}
			if asJSON {
				return astroWriteJSON(cmd.OutOrStdout(), n)
			}
			if err := astroPrintEvents(cmd, fmt.Sprintf("Night of %s at %s (%s)", n.Date, n.Site, n.TimeZone), n.Events); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "astronomical night: %.2f h\nmoon at mid-night: %.0f%% illuminated, altitude %+.1f°\n", n.DarkHours, 100*n.MoonIllum, n.MoonAltMid)
			return nil
		},
	}
	sd.flags(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
