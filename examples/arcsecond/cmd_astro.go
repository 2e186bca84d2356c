package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/astro"
	_ "github.com/arcsecond-go/arcsecond/astro/ephemeris" // the Sun, the Moon and the planets
)

func init() { register(addAstroCommands) }

func addAstroCommands(root *cobra.Command) {
	a := &cobra.Command{
		Use:   "astro",
		Short: "Astronomical algorithms: time scales, places, separations, rise/set, the night, altitude charts (no network)",
	}
	a.AddCommand(newAstroTimeCmd(), newAstroSepCmd(), newAstroPositionCmd(), newAstroRiseSetCmd(), newAstroNightCmd(), newAstroChartCmd())
	root.AddCommand(a)
}

// Altitudes (degrees, the Sun's topocentric centre without refraction)
// that the chart's shading uses: sunset (upper limb with 34′ of refraction)
// and the twilights.
const (
	astroHSun   = -0.8333
	astroHCivil = -6
	astroHNaut  = -12
	astroHAstro = -18
)

type astroTimeOut struct {
	UTC  string  `json:"utc"`
	TAI  string  `json:"tai"`
	TT   string  `json:"tt"`
	TDB  string  `json:"tdb"`
	UT1  string  `json:"ut1"`
	JD   float64 `json:"jd_utc"`
	MJD  float64 `json:"mjd_utc"`
	JDTT float64 `json:"jd_tt"`
	Ep   float64 `json:"julian_epoch"`
	ERA  float64 `json:"era_deg"`
	GMST float64 `json:"gmst_hours"`
	GAST float64 `json:"gast_hours"`
	Site string  `json:"site,omitempty"`
	LMST float64 `json:"lmst_hours,omitempty"`
	LAST float64 `json:"last_hours,omitempty"`
}

func newAstroTimeCmd() *cobra.Command {
	var siteFlag string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "time [WHEN]",
		Short: "A moment in every time scale, as JD/MJD, and the sidereal times (at a site with --site)",
		Long: "WHEN is now (default), YYYY-MM-DD[Thh:mm[:ss]] in UTC, JDnnnn or MJDnnnn (UTC).\n" +
			"UT1 is taken equal to UTC (no IERS table loaded: |UT1-UTC| < 0.9 s).",
		Example: "  arcsecond astro time 2026-11-20T03:00:00 --site Paranal",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			when := ""
			if len(args) == 1 {
				when = args[0]
			}
			t, err := astroParseWhen(when)
			if err != nil {
				return err
			}
			t = t.UTC()
			out := astroTimeOut{
				UTC: t.String(), TAI: t.TAI().String(), TT: t.TT().String(), TDB: t.TDB().String(), UT1: t.UT1().String(),
				JD: t.JDValue(), MJD: t.MJD(), JDTT: t.TT().JDValue(), Ep: t.JulianEpoch(),
				ERA: astro.ERA(t).Deg(), GMST: astro.GMST(t).Hours(), GAST: astro.GAST(t).Hours(),
			}
			if siteFlag != "" {
				s, err := astroResolveSite(siteFlag)
				if err != nil {
					return err
				}
				out.Site = s.Name
				out.LMST = astro.LocalMeanSiderealTime(t, s.Site).Hours()
				out.LAST = astro.LocalApparentSiderealTime(t, s.Site).Hours()
			}
			if asJSON {
				return astroWriteJSON(cmd.OutOrStdout(), out)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "UTC\t%s\n", out.UTC)
			fmt.Fprintf(tw, "TAI\t%s\n", out.TAI)
			fmt.Fprintf(tw, "TT\t%s\n", out.TT)
			fmt.Fprintf(tw, "TDB\t%s\n", out.TDB)
			fmt.Fprintf(tw, "UT1\t%s\n", out.UT1)
			fmt.Fprintf(tw, "JD (UTC)\t%.6f\n", out.JD)
			fmt.Fprintf(tw, "MJD (UTC)\t%.6f\n", out.MJD)
			fmt.Fprintf(tw, "JD (TT)\t%.6f\n", out.JDTT)
			fmt.Fprintf(tw, "Julian epoch\tJ%.6f\n", out.Ep)
			fmt.Fprintf(tw, "ERA\t%.6f°\n", out.ERA)
			fmt.Fprintf(tw, "GMST\t%s\n", astro.FormatHMSColon(astro.Hours(out.GMST), 3))
			fmt.Fprintf(tw, "GAST\t%s\n", astro.FormatHMSColon(astro.Hours(out.GAST), 3))
			if out.Site != "" {
				fmt.Fprintf(tw, "LMST (%s)\t%s\n", out.Site, astro.FormatHMSColon(astro.Hours(out.LMST), 3))
				fmt.Fprintf(tw, "LAST (%s)\t%s\n", out.Site, astro.FormatHMSColon(astro.Hours(out.LAST), 3))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&siteFlag, "site", "", "site name or LON,LAT[,HEIGHT] for local sidereal times")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type astroSepOut struct {
	From          string  `json:"from"`
	To            string  `json:"to"`
	SeparationDeg float64 `json:"separation_deg"`
	PositionAngle float64 `json:"position_angle_deg"`
}

func newAstroSepCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sep A B",
		Short: "Angular separation and position angle (east of north) from A to B",
		Long: "A and B are RA,DEC (degrees or hh:mm:ss,±dd:mm:ss), NAME=RA,DEC, or standard stars named in the\n" +
			"embedded catalogues. Both must be in the same frame (ICRS/J2000).",
		Example: "  arcsecond astro sep 10:00:00,+20:00:00 150.5,20.25",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var tg [2]astroTarget
			for i, a := range args {
				t, err := astroResolveTarget(a)
				if err != nil {
					return err
				}
				if t.Body != 0 {
					return usageErrorf("sep: %s moves; give fixed places (use `astro position` for bodies)", t.Name)
				}
				tg[i] = t
			}
			out := astroSepOut{From: tg[0].Name, To: tg[1].Name,
				SeparationDeg: astro.Separation(tg[0].RA, tg[0].Dec, tg[1].RA, tg[1].Dec).Deg(),
				PositionAngle: astro.PositionAngle(tg[0].RA, tg[0].Dec, tg[1].RA, tg[1].Dec).Deg()}
			if out.PositionAngle < 0 {
				out.PositionAngle += 360
			}
			if asJSON {
				return astroWriteJSON(cmd.OutOrStdout(), out)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "separation     %.6f°  (%s)\nposition angle %.4f°\n",
				out.SeparationDeg, astro.FormatDMSColon(astro.Deg(out.SeparationDeg), 2), out.PositionAngle)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type astroPositionOut struct {
	Target      string   `json:"target"`
	Source      string   `json:"source"`
	Time        string   `json:"time"`
	RAICRS      *float64 `json:"ra_icrs_deg,omitempty"`
	DecICRS     *float64 `json:"dec_icrs_deg,omitempty"`
	RAApparent  float64  `json:"ra_apparent_deg"`
	DecApparent float64  `json:"dec_apparent_deg"`
	DistanceKm  float64  `json:"distance_km,omitempty"`
	Site        string   `json:"site,omitempty"`
	Az          *float64 `json:"az_deg,omitempty"`
	Alt         *float64 `json:"alt_deg,omitempty"`
	HA          *float64 `json:"hour_angle_hours,omitempty"`
	Airmass     *float64 `json:"airmass,omitempty"`
	MoonIllum   *float64 `json:"moon_illuminated_fraction,omitempty"`
}

func newAstroPositionCmd() *cobra.Command {
	var siteFlag, when string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "position TARGET",
		Short: "Apparent place (geocentric) and observed place (at --site) of a body or a star",
		Long: "TARGET is Sun, Moon, a planet, RA,DEC, NAME=RA,DEC (ICRS) or a standard star's name.\n" +
			"Apparent: true equator and equinox of date. Observed: topocentric azimuth and altitude\n" +
			"without refraction. Bodies from the astro package (VSOP87B, ELP/MPP02; within 1-2″ of\n" +
			"Swiss Ephemeris).",
		Example: "  arcsecond astro position Moon --site Paranal --time 2026-11-20T03:00",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tg, err := astroResolveTarget(args[0])
			if err != nil {
				return err
			}
			t, err := astroParseWhen(when)
			if err != nil {
				return err
			}
			site := astro.Site{}
			var sname string
			if siteFlag != "" {
				s, err := astroResolveSite(siteFlag)
				if err != nil {
					return err
				}
				site, sname = s.Site, s.Name
			}
			o, err := newAstroObserver(t, site)
			if err != nil {
				return err
			}
			ra, dec, dist, err := o.apparent(tg)
			if err != nil {
				return err
			}
			out := astroPositionOut{Target: tg.Name, Source: tg.Source, Time: t.UTC().String(),
				RAApparent: ra.Deg(), DecApparent: dec.Deg(), DistanceKm: dist}
			if tg.Body == 0 {
				r, d := tg.RA.Deg(), tg.Dec.Deg()
				out.RAICRS, out.DecICRS = &r, &d
			}
			if tg.Body == astro.Moon {
				k, err := o.moonIllumination()
				if err != nil {
					return err
				}
				out.MoonIllum = &k
			}
			if sname != "" {
				ob, err := o.observed(tg)
				if err != nil {
					return err
				}
				az, alt, ha := ob.Az.Deg(), ob.Alt.Deg(), ob.HA.Hours()
				out.Site, out.Az, out.Alt, out.HA = sname, &az, &alt, &ha
				if am, ok := astroAirmass(alt); ok {
					out.Airmass = &am
				}
			}
			if asJSON {
				return astroWriteJSON(cmd.OutOrStdout(), out)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "target\t%s (%s)\n", out.Target, out.Source)
			fmt.Fprintf(tw, "time\t%s\n", out.Time)
			if out.RAICRS != nil {
				fmt.Fprintf(tw, "ICRS\t%s %s\n", astro.FormatHMSColon(tg.RA, 3), astro.FormatDMSColon(tg.Dec, 2))
			}
			fmt.Fprintf(tw, "apparent (geocentric)\t%s %s\n", astro.FormatHMSColon(ra, 3), astro.FormatDMSColon(dec, 2))
			if dist > 0 {
				fmt.Fprintf(tw, "distance\t%.0f km (%.6f au)\n", dist, dist/astroAUKm)
			}
			if out.MoonIllum != nil {
				fmt.Fprintf(tw, "illuminated\t%.1f%%\n", 100**out.MoonIllum)
			}
			if out.Alt != nil {
				fmt.Fprintf(tw, "observed at %s\taz %.3f°  alt %+.3f°  HA %s\n", sname, *out.Az, *out.Alt, astro.FormatHMSColon(astro.Hours(*out.HA), 1))
				if out.Airmass != nil {
					fmt.Fprintf(tw, "airmass\t%.3f\n", *out.Airmass)
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&siteFlag, "site", "", "site name or LON,LAT[,HEIGHT] for the observed place")
	cmd.Flags().StringVar(&when, "time", "now", "instant: now, YYYY-MM-DD[Thh:mm[:ss]] (UTC), JDnnnn, MJDnnnn")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// astroAirmassModel is the air-mass formula of the CLI: Young (1994),
// finite down to the horizon.
const astroAirmassModel = astro.Young1994

// astroAirmass is the airmass at true altitude alt (degrees); ok is false
// below the horizon.
func astroAirmass(alt float64) (float64, bool) {
	if alt <= 0 {
		return 0, false
	}
	x, err := astro.Airmass(astroAirmassModel, astro.Deg(alt))
	return x, err == nil
}

type astroEvent struct {
	Event string `json:"event"`
	UTC   string `json:"utc"`
	Local string `json:"local"`
	t     astro.Time
}

func astroMakeEvent(name string, t astro.Time, zone *time.Location) astroEvent {
	g := t.Go().UTC()
	return astroEvent{Event: name, UTC: g.Format(time.RFC3339), Local: g.In(zone).Format("2006-01-02T15:04:05-07:00"), t: t}
}

func astroPrintEvents(cmd *cobra.Command, header string, ev []astroEvent) error {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	if header != "" {
		fmt.Fprintln(tw, header)
	}
	fmt.Fprintln(tw, "EVENT\tUTC\tLOCAL")
	for _, e := range ev {
		g := e.t.Go().UTC()
		l, _ := time.Parse("2006-01-02T15:04:05-07:00", e.Local)
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Event, g.Format("2006-01-02 15:04:05"), l.Format("2006-01-02 15:04 -07:00"))
	}
	return tw.Flush()
}
