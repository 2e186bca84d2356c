package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	_ "time/tzdata" // site time zones must load on machines without a zoneinfo database

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/catalogs"
)

func init() { register(addCatalogsCommands) }

func addCatalogsCommands(root *cobra.Command) {
	cat := &cobra.Command{
		Use:   "catalogs",
		Short: "Embedded observing sites, instruments and standard stars (no network)",
	}
	cat.AddCommand(newCatStandardsCmd(), newCatSitesCmd(), newCatInstrumentCmd())
	root.AddCommand(cat)
}

// catParsePair reads "A,B" as two numbers in degrees.
func catParsePair(s, what string) (float64, float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return 0, 0, usageErrorf("%s %q: want two comma-separated numbers in degrees", what, s)
	}
	var v [2]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, 0, usageErrorf("%s %q: %q is not a number of degrees", what, s, p)
		}
		v[i] = f
	}
	return v[0], v[1], nil
}

type catStandardOut struct {
	Name          string               `json:"name"`
	Aliases       []string             `json:"aliases,omitempty"`
	Catalogue     string               `json:"catalogue"`
	RA            float64              `json:"ra"`
	Dec           float64              `json:"dec"`
	Equinox       string               `json:"published_equinox"`
	SpectralType  string               `json:"spectral_type,omitempty"`
	Magnitudes    []catalogs.Magnitude `json:"magnitudes"`
	Colors        []catalogs.Color     `json:"colors,omitempty"`
	SeparationDeg float64              `json:"separation_deg"`
}

func newCatStandardsCmd() *cobra.Command {
	var near, band string
	var catalogues []string
	var count int
	var radius, minMag, maxMag float64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "standards --near RA,DEC",
		Short: "Standard stars nearest to a position (J2000), nearest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if near == "" {
				return usageErrorf("--near RA,DEC is required")
			}
			parts := strings.Split(near, ",")
			if len(parts) != 2 {
				return usageErrorf("--near %q: want RA,DEC (degrees, or hh:mm:ss,±dd:mm:ss)", near)
			}
			ra, err := catalogs.ParseRA(parts[0])
			if err != nil {
				return usageErrorf("--near: %v", err)
			}
			dec, err := catalogs.ParseDec(parts[1])
			if err != nil {
				return usageErrorf("--near: %v", err)
			}
			if count < 1 {
				return usageErrorf("--count %d: want at least 1", count)
			}
			f := catalogs.Filter{Band: band, Catalogues: catalogues}
			if cmd.Flags().Changed("min-mag") || cmd.Flags().Changed("max-mag") {
				f.MinMag, f.MaxMag = math.Inf(-1), math.Inf(1)
				if cmd.Flags().Changed("min-mag") {
					f.MinMag = minMag
				}
				if cmd.Flags().Changed("max-mag") {
					f.MaxMag = maxMag
				}
			}
			std, err := catalogs.Standards()
			if err != nil {
				return err
			}
			var matches []catalogs.StarMatch
			if cmd.Flags().Changed("radius") {
				if radius < 0 || math.IsNaN(radius) {
					return usageErrorf("--radius %v: want a non-negative number of degrees", radius)
				}
				matches, err = std.Cone(ra, dec, radius, f)
				if len(matches) > count {
					matches = matches[:count]
				}
			} else {
				matches, err = std.Nearest(ra, dec, count, f)
			}
			if err != nil {
				return usageError{err}
			}
			if len(matches) == 0 {
				return notFoundError{errors.New("no standard star matches")}
			}
			out := make([]catStandardOut, len(matches))
			for i, m := range matches {
				out[i] = catStandardOut{Name: m.Name, Aliases: m.Aliases, Catalogue: m.Catalogue, RA: m.RA, Dec: m.Dec, Equinox: string(m.Equinox),
					SpectralType: m.SpectralType, Magnitudes: m.Magnitudes, Colors: m.Colors, SeparationDeg: m.Separation}
				if out[i].Magnitudes == nil {
					out[i].Magnitudes = []catalogs.Magnitude{}
				}
			}
			if asJSON {
				return catWriteJSON(cmd.OutOrStdout(), out)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tCATALOGUE\tRA\tDEC\tSEP(deg)\tMAGNITUDES")
			for _, s := range out {
				var mags []string
				for _, m := range s.Magnitudes {
					mags = append(mags, fmt.Sprintf("%s=%.3f", m.Band, m.Value))
				}
				fmt.Fprintf(tw, "%s\t%s\t%.6f\t%+.6f\t%.4f\t%s\n", s.Name, s.Catalogue, s.RA, s.Dec, s.SeparationDeg, strings.Join(mags, " "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&near, "near", "", "position RA,DEC (J2000) in degrees, or as hh:mm:ss,±dd:mm:ss")
	cmd.Flags().IntVar(&count, "count", 5, "number of stars")
	cmd.Flags().StringVar(&band, "band", "", "keep stars with a magnitude in this band (V, K, Ks, ...)")
	cmd.Flags().Float64Var(&minMag, "min-mag", 0, "brightest magnitude kept (in --band, or any band)")
	cmd.Flags().Float64Var(&maxMag, "max-mag", 0, "faintest magnitude kept (in --band, or any band)")
	cmd.Flags().Float64Var(&radius, "radius", 0, "only stars within this many degrees")
	cmd.Flags().StringSliceVar(&catalogues, "catalogue", nil, "keep only these catalogues (e.g. Landolt_1992)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON list")
	return cmd
}

type catSiteOut struct {
	ID             string               `json:"id"`
	Name           string               `json:"name"`
	Aliases        []string             `json:"aliases,omitempty"`
	MPCCode        string               `json:"mpc_code,omitempty"`
	Longitude      float64              `json:"longitude"`
	Latitude       float64              `json:"latitude"`
	Height         float64              `json:"height"`
	TimeZone       string               `json:"time_zone"`
	TimeZoneSource string               `json:"time_zone_source,omitempty"`
	Telescopes     []catalogs.Telescope `json:"telescopes,omitempty"`
	DistanceKm     *float64             `json:"distance_km,omitempty"`
}

func newCatSitesCmd() *cobra.Command {
	var near string
	var count int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sites [NAME | --near LON,LAT]",
		Short: "Observing sites by name, alias or MPC code, or nearest to a place (degrees, east-positive)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && near != "" {
				return usageErrorf("give a NAME or --near, not both")
			}
			var out []catSiteOut
			conv := func(s catalogs.Site) catSiteOut {
				return catSiteOut{ID: s.ID, Name: s.Name, Aliases: s.Aliases, MPCCode: s.MPCCode, Longitude: s.Longitude, Latitude: s.Latitude,
					Height: s.Height, TimeZone: s.TimeZone, TimeZoneSource: s.TimeZoneSource, Telescopes: s.Telescopes}
			}
			c, err := catalogs.DefaultSites()
			if err != nil {
				return err
			}
			switch {
			case near != "":
				lon, lat, err := catParsePair(near, "--near")
				if err != nil {
					return err
				}
				if count < 1 {
					return usageErrorf("--count %d: want at least 1", count)
				}
				m, err := c.Nearest(lon, lat, count)
				if err != nil {
					return usageError{err}
				}
				for _, s := range m {
					o := conv(s.Site)
					d := s.DistanceKm
					o.DistanceKm = &d
					out = append(out, o)
				}
			case len(args) == 1:
				for _, s := range c.Lookup(args[0]) {
					out = append(out, conv(s))
				}
				if len(out) == 0 {
					return notFoundError{fmt.Errorf("no site named %q", args[0])}
				}
			default:
				for _, s := range c.All() {
					out = append(out, conv(s))
				}
			}
			if asJSON {
				return catWriteJSON(cmd.OutOrStdout(), out)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tMPC\tLON\tLAT\tHEIGHT(m)\tTIME ZONE\tKM")
			for _, s := range out {
				km := ""
				if s.DistanceKm != nil {
					km = fmt.Sprintf("%.1f", *s.DistanceKm)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%.5f\t%.5f\t%.0f\t%s\t%s\n", s.ID, s.Name, s.MPCCode, s.Longitude, s.Latitude, s.Height, s.TimeZone, km)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&near, "near", "", "place LON,LAT in degrees (east-positive longitude, geodetic latitude)")
	cmd.Flags().IntVar(&count, "count", 5, "number of sites with --near")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON list")
	return cmd
}

func newCatInstrumentCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "instrument NAME",
		Short: "Facility, site and field of view of an instrument as archives name it (JSON)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := catalogs.Instrument(source, args[0])
			if errors.Is(err, catalogs.ErrNotFound) {
				return notFoundError{err}
			}
			if err != nil {
				return usageError{err}
			}
			return catWriteJSON(cmd.OutOrStdout(), in)
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "archive: ESO, Gemini, HST or Swift")
	return cmd
}

func catWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
