package main

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/astro"
)

func pow(x, y float64) float64 { return math.Pow(x, y) }
func sinDeg(d float64) float64 { return math.Sin(d * math.Pi / 180) }

// astroEvents returns the rise, transit and set (and, for the Sun, the
// twilights) of a target at a site over the 24 hours from local noon of
// the given date, in time order.
func astroEvents(site astroSite, date time.Time, tg astroTarget) ([]astroEvent, error) {
	from := astroLocalNoon(site, date)
	alt := astroAltitudeFunc(site.Site, tg)
	h := astroHStar
	switch tg.Body {
	case "sun":
		h = astroHSun
	case "moon":
		h = astroHMoon
	}
	type level struct {
		h         float64
		rise, set string
	}
	levels := []level{{h, "rise", "set"}}
	if tg.Body == "sun" {
		levels = append(levels,
			level{astroHCivil, "civil dawn", "civil dusk"},
			level{astroHNaut, "nautical dawn", "nautical dusk"},
			level{astroHAstro, "astronomical dawn", "astronomical dusk"})
	}
	var ev []astroEvent
	for _, l := range levels {
		cs, err := astroCrossings(alt, from, 86400, 600, l.h)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			name := l.set
			if c.Rising {
				name = l.rise
			}
			ev = append(ev, astroMakeEvent(name, c.T, site.Zone))
		}
	}
	ha := func(t astro.Time) (float64, error) {
		o, err := newAstroObserver(t, site.Site)
		if err != nil {
			return 0, err
		}
		ob, err := o.observed(tg)
		if err != nil {
			return 0, err
		}
		return ob.HA.Hours(), nil
	}
	cs, err := astroCrossings(ha, from, 86400, 600, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Rising {
			a, err := alt(c.T)
			if err != nil {
				return nil, err
			}
			e := astroMakeEvent(fmt.Sprintf("transit (alt %+.1f°)", a), c.T, site.Zone)
			ev = append(ev, e)
		}
	}
	sort.Slice(ev, func(i, j int) bool { return ev[i].t.Sub(ev[j].t) < 0 })
	return ev, nil
}

func newAstroRiseSetCmd() *cobra.Command {
	var siteFlag, dateFlag string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "riseset TARGET --site SITE --date YYYY-MM-DD",
		Short: "Rise, transit and set of the Sun (with twilights), the Moon, a planet or a star at a site",
		Long: "Events over the 24 hours from local noon of --date. Rise and set are for the upper limb with\n" +
			"34′ of refraction at the horizon (altitude −0.833° for the Sun, −0.825° for the Moon's\n" +
			"topocentric centre, −0.567° for stars); twilights are the Sun's centre at −6°, −12°, −18°.",
		Example: "  arcsecond astro riseset Sun --site Paranal --date 2026-11-20",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tg, err := astroResolveTarget(args[0])
			if err != nil {
				return err
			}
			site, err := astroResolveSite(siteFlag)
			if err != nil {
				return err
			}
			d, err := astroParseDate(dateFlag)
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
	cmd.Flags().StringVar(&siteFlag, "site", "", "site name or LON,LAT[,HEIGHT] (required)")
	cmd.Flags().StringVar(&dateFlag, "date", "", "local date of the evening, YYYY-MM-DD (default today)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// astroNight is the night at a site: the Sun's and Moon's events from
// local noon to local noon, and the Moon at the middle of the night.
type astroNight struct {
	Site        string       `json:"site"`
	TimeZone    string       `json:"time_zone"`
	Date        string       `json:"date"`
	Events      []astroEvent `json:"events"`
	Sunset      *astroEvent  `json:"-"`
	Sunrise     *astroEvent  `json:"-"`
	MoonIllum   float64      `json:"moon_illuminated_fraction"`
	MoonAltMid  float64      `json:"moon_altitude_midnight_deg"`
	DarkHours   float64      `json:"astronomical_night_hours"`
	from        astro.Time
	civil       [2]*astro.Time // dusk, dawn
	naut, astro [2]*astro.Time
}

func astroComputeNight(site astroSite, date time.Time) (*astroNight, error) {
	n := &astroNight{Site: site.Name, TimeZone: site.Zone.String(), Date: date.Format("2006-01-02"), from: astroLocalNoon(site, date)}
	sun, err := astroEvents(site, date, astroTarget{Name: "Sun", Body: "sun"})
	if err != nil {
		return nil, err
	}
	moon, err := astroEvents(site, date, astroTarget{Name: "Moon", Body: "moon"})
	if err != nil {
		return nil, err
	}
	for i := range sun {
		e := &sun[i]
		switch e.Event {
		case "set":
			n.Sunset = e
		case "rise":
			n.Sunrise = e
		case "civil dusk":
			n.civil[0] = &e.t
		case "civil dawn":
			n.civil[1] = &e.t
		case "nautical dusk":
			n.naut[0] = &e.t
		case "nautical dawn":
			n.naut[1] = &e.t
		case "astronomical dusk":
			n.astro[0] = &e.t
		case "astronomical dawn":
			n.astro[1] = &e.t
		}
		if len(e.Event) >= 7 && e.Event[:7] == "transit" {
			continue
		}
		if e.Event == "rise" || e.Event == "set" {
			e.Event = "sun" + e.Event
		} else {
			e.Event = "sun: " + e.Event
		}
		n.Events = append(n.Events, *e)
	}
	for _, e := range moon {
		if len(e.Event) >= 7 && e.Event[:7] == "transit" {
			continue
		}
		e.Event = "moon" + e.Event
		n.Events = append(n.Events, e)
	}
	sort.Slice(n.Events, func(i, j int) bool { return n.Events[i].t.Sub(n.Events[j].t) < 0 })
	mid := n.from.Add(43200)
	if n.Sunset != nil && n.Sunrise != nil {
		mid = n.Sunset.t.Add(n.Sunrise.t.Sub(n.Sunset.t) / 2)
	}
	o, err := newAstroObserver(mid, site.Site)
	if err != nil {
		return nil, err
	}
	if n.MoonIllum, err = o.moonIllumination(); err != nil {
		return nil, err
	}
	mo, err := o.observed(astroTarget{Name: "Moon", Body: "moon"})
	if err != nil {
		return nil, err
	}
	n.MoonAltMid = mo.Alt.Deg()
	if n.astro[0] != nil && n.astro[1] != nil {
		n.DarkHours = n.astro[1].Sub(*n.astro[0]) / 3600
	}
	if n.Events == nil {
		n.Events = []astroEvent{}
	}
	return n, nil
}

func newAstroNightCmd() *cobra.Command {
	var siteFlag, dateFlag string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "night --site SITE --date YYYY-MM-DD",
		Short:   "The night at a site: sunset, twilights, sunrise, moonrise and moonset, the Moon's illumination",
		Example: "  arcsecond astro night --site Paranal --date 2026-11-20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			site, err := astroResolveSite(siteFlag)
			if err != nil {
				return err
			}
			d, err := astroParseDate(dateFlag)
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
	cmd.Flags().StringVar(&siteFlag, "site", "", "site name or LON,LAT[,HEIGHT] (required)")
	cmd.Flags().StringVar(&dateFlag, "date", "", "local date of the evening, YYYY-MM-DD (default today)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
