package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/catalogs"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/eso"
	"github.com/arcsecond-go/arcsecond/connectors/gemini"
	"github.com/arcsecond-go/arcsecond/connectors/hst"
	"github.com/arcsecond-go/arcsecond/connectors/swift"
)

func init() { register(addArchiveCommands) }

// archiveTransport replaces the network transport of the archive commands
// when set (tests replay recorded replies through it).
var archiveTransport http.RoundTripper

// archiveCommon holds the flags every archive command shares.
type archiveCommon struct {
	date, until string
	baseURL     string
	timeout     time.Duration
	retries     int
	limit       int
	asJSON      bool
}

func (c *archiveCommon) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.date, "date", "", "first UT day, YYYY-MM-DD (required unless the query is otherwise narrow)")
	cmd.Flags().StringVar(&c.until, "until", "", "UT day after the last one, YYYY-MM-DD (default: --date + 1 day)")
	cmd.Flags().StringVar(&c.baseURL, "base-url", "", "the service's address (default: the archive's public one)")
	cmd.Flags().DurationVar(&c.timeout, "timeout", 30*time.Second, "per request")
	cmd.Flags().IntVar(&c.retries, "retries", 2, "retries of a failed request (negative: none)")
	cmd.Flags().IntVar(&c.limit, "limit", 0, "stop after this many activities (0: all)")
	cmd.Flags().BoolVar(&c.asJSON, "json", false, "print JSON lines (one activity per line, the activity schema)")
}

// window reads --date/--until; required says whether --date must be given.
func (c *archiveCommon) window(required bool) (activities.Window, error) {
	if c.date == "" {
		if required {
			return activities.Window{}, usageErrorf("--date YYYY-MM-DD is required")
		}
		if c.until != "" {
			return activities.Window{}, usageErrorf("--until needs --date")
		}
		return activities.Window{}, nil
	}
	start, err := time.Parse("2006-01-02", c.date)
	if err != nil {
		return activities.Window{}, usageErrorf("--date %q: want YYYY-MM-DD", c.date)
	}
	end := start.AddDate(0, 0, 1)
	if c.until != "" {
		if end, err = time.Parse("2006-01-02", c.until); err != nil {
			return activities.Window{}, usageErrorf("--until %q: want YYYY-MM-DD", c.until)
		}
		if !end.After(start) {
			return activities.Window{}, usageErrorf("--until %s is not after --date %s", c.until, c.date)
		}
	}
	if c.limit < 0 {
		return activities.Window{}, usageErrorf("--limit %d: want 0 or more", c.limit)
	}
	return activities.Window{Start: start, End: end}, nil
}

// archiveParseCone reads "RA,DEC,RADIUS" (RA/Dec in degrees or
// sexagesimal, radius in degrees).
func archiveParseCone(s string) (ra, dec, r float64, err error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return 0, 0, 0, usageErrorf("--cone %q: want RA,DEC,RADIUS (degrees, or hh:mm:ss,±dd:mm:ss,deg)", s)
	}
	if ra, err = catalogs.ParseRA(strings.TrimSpace(parts[0])); err != nil {
		return 0, 0, 0, usageErrorf("--cone: %v", err)
	}
	if dec, err = catalogs.ParseDec(strings.TrimSpace(parts[1])); err != nil {
		return 0, 0, 0, usageErrorf("--cone: %v", err)
	}
	r, err = strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
	if err != nil || !(r > 0 && r <= 180) {
		return 0, 0, 0, usageErrorf("--cone %q: radius %q: want degrees in (0, 180]", s, parts[2])
	}
	return ra, dec, r, nil
}

// list runs a listing of the source of archive name and prints it: a
// table, or JSON lines with --json. openErr, the error of opening the
// source, is reported as a usage error naming the archive. Remote failures
// exit with the network code; a listing cut by the archive's row limit is
// reported on stderr, and so are the records the source skipped or warned
// about.
func (c *archiveCommon) list(cmd *cobra.Command, name string, w activities.Window, src activities.Source, openErr error) error {
	if openErr != nil {
		return usageErrorf("%s: %v", name, openErr)
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	prog := newRowProgress(cmd.ErrOrStderr(), "archive "+src.Name())
	defer prog.Done()
	var list []activities.Activity
	var truncated error
	var st connectors.Stats
	for a, err := range src.Activities(connectors.WithStats(ctx, &st), w) {
		if err != nil {
			if errors.Is(err, connectors.ErrTruncated) {
				truncated = err
				break
			}
			return networkError{fmt.Errorf("%s: %w", src.Name(), err)}
		}
		list = append(list, a)
		prog.Add(1)
		if c.limit > 0 && len(list) >= c.limit {
			break
		}
	}
	prog.Done()
	if err := archivePrint(cmd.OutOrStdout(), list, c.asJSON); err != nil {
		return err
	}
	errw := cmd.ErrOrStderr()
	if truncated != nil {
		fmt.Fprintf(errw, "warning: %v (narrow the query)\n", truncated)
	}
	if m := st.Counts(); len(m) > 0 {
		fmt.Fprintf(errw, "%d activities; skipped or warned: %s\n", len(list), formatCounts(m))
	}
	return nil
}

func archivePrint(w io.Writer, list []activities.Activity, asJSON bool) error {
	if asJSON {
		for _, a := range list {
			b, err := a.MarshalJSON()
			if err != nil {
				return fmt.Errorf("encoding %s: %w", a.ID, err)
			}
			if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "START (UTC)\tKIND\tFACILITY\tINSTRUMENT\tFILTER\tTARGET\tEXP(s)\tPROGRAMME")
	for _, a := range list {
		start := "-"
		if !a.Start.IsZero() {
			start = a.Start.UTC().Format("2006-01-02 15:04:05")
		}
		exp := "-"
		if a.Exposure != nil {
			exp = strconv.FormatFloat(*a.Exposure, 'f', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", start, a.Kind, a.Facility, dash(a.Instrument), dash(a.Filter), dash(a.Target.Name), exp, dash(a.Programme.ID))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func addArchiveCommands(root *cobra.Command) {
	a := &cobra.Command{
		Use:   "archive",
		Short: "Typed queries of the observatories' archives, printed as activities (table or --json)",
		Long: "Each subcommand asks one archive over the network and prints the activities it finds.\n" +
			"Exit codes: 2 for bad flags, 3 when the archive fails or cannot be reached.",
	}
	a.AddCommand(newArchiveGeminiCmd(), newArchiveHSTCmd(), newArchiveSwiftCmd(), newArchiveESOCmd())
	root.AddCommand(a)
}

func newArchiveGeminiCmd() *cobra.Command {
	var c archiveCommon
	var q gemini.Query
	var cone string
	var noPI bool
	cmd := &cobra.Command{
		Use:     "gemini",
		Short:   "Science frames in the Gemini archive (jsonsummary), by date, instrument, object, programme or cone",
		Example: "  arcsecond archive gemini --instrument GMOS-N --date 2026-11-20\n  arcsecond archive gemini --object m101 --no-program-info",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			narrow := q.Object != "" || q.ProgID != "" || cone != ""
			w, err := c.window(!narrow)
			if err != nil {
				return err
			}
			if cone != "" {
				ra, dec, r, err := archiveParseCone(cone)
				if err != nil {
					return err
				}
				q.RA, q.Dec, q.SR = &ra, &dec, &r
			}
			src, err := gemini.New(gemini.Options{BaseURL: c.baseURL, Query: q, AllDates: w.Start.IsZero(), NoProgramInfo: noPI, HTTPOptions: connectors.HTTPOptions{Transport: archiveTransport, Timeout: c.timeout, Retries: c.retries}})
			return c.list(cmd, "gemini", w, src, err)
		},
	}
	c.flags(cmd)
	cmd.Flags().StringVar(&q.Instrument, "instrument", "", "instrument (GMOS-N, GMOS-S, F2, GNIRS, NIRI, ...)")
	cmd.Flags().StringVar(&q.Object, "object", "", "object name as the archive knows it")
	cmd.Flags().StringVar(&q.ProgID, "program", "", "programme ID (GN-2026B-Q-101)")
	cmd.Flags().StringVar(&cone, "cone", "", "RA,DEC,RADIUS in degrees")
	cmd.Flags().BoolVar(&noPI, "no-program-info", false, "do not fetch each programme's PI and title")
	return cmd
}

func newArchiveHSTCmd() *cobra.Command {
	var c archiveCommon
	var timeline bool
	cmd := &cobra.Command{
		Use:     "hst",
		Short:   "HST observations archived at MAST (or the STScI weekly timeline with --timeline)",
		Example: "  arcsecond archive hst --date 1995-02-08",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := c.window(true)
			if err != nil {
				return err
			}
			o := hst.Options{BaseURL: c.baseURL, HTTPOptions: connectors.HTTPOptions{Transport: archiveTransport, Timeout: c.timeout, Retries: c.retries}}
			if timeline {
				src, err := hst.NewTimeline(o)
				return c.list(cmd, "hst", w, src, err)
			}
			src, err := hst.NewMAST(o)
			return c.list(cmd, "hst", w, src, err)
		},
	}
	c.flags(cmd)
	cmd.Flags().BoolVar(&timeline, "timeline", false, "list the STScI weekly observing timeline instead of MAST")
	return cmd
}

func newArchiveSwiftCmd() *cobra.Command {
	var c archiveCommon
	var which string
	cmd := &cobra.Command{
		Use:     "swift",
		Short:   "Swift's planned or as-flown timeline (Swift API)",
		Example: "  arcsecond archive swift --date 2025-07-01 --timeline asflown",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := c.window(true)
			if err != nil {
				return err
			}
			var tl []swift.Timeline
			switch which {
			case "planned":
				tl = []swift.Timeline{swift.Planned}
			case "asflown":
				tl = []swift.Timeline{swift.AsFlown}
			case "both":
				tl = []swift.Timeline{swift.AsFlown, swift.Planned}
			default:
				return usageErrorf("--timeline %q: want planned, asflown or both", which)
			}
			src, err := swift.New(swift.Options{BaseURL: c.baseURL, Timelines: tl, HTTPOptions: connectors.HTTPOptions{Transport: archiveTransport, Timeout: c.timeout, Retries: c.retries}})
			return c.list(cmd, "swift", w, src, err)
		},
	}
	c.flags(cmd)
	cmd.Flags().StringVar(&which, "timeline", "asflown", "planned, asflown or both")
	return cmd
}

func newArchiveESOCmd() *cobra.Command {
	var c archiveCommon
	var instruments, products []string
	var cone, adql, format string
	var maxrec int
	var scienceOnly bool
	cmd := &cobra.Command{
		Use:   "eso",
		Short: "ESO raw frames (dbo.raw) or products (ivoa.ObsCore) from tap_obs, by date, instrument or cone",
		Long: "Anonymous unless ARCSECOND_ESO_TOKEN holds an ESO token. --adql replaces the generated query\n" +
			"(its rows must be dbo.raw or ObsCore rows).",
		Example: "  arcsecond archive eso --instrument MUSE --date 2026-11-20\n  arcsecond archive eso --cone 266.4168,-29.0078,0.1 --date 2013-08-01 --until 2014-05-01",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := c.window(adql == "" && cone == "")
			if err != nil {
				return err
			}
			o := eso.Options{URL: c.baseURL, Instruments: instruments, ScienceOnly: scienceOnly, ADQL: adql, MaxRec: maxrec, Format: format, HTTPOptions: connectors.HTTPOptions{Transport: archiveTransport, Timeout: c.timeout, Retries: c.retries}}
			for _, p := range products {
				switch p {
				case "raw":
					o.Products = append(o.Products, eso.Raw)
				case "processed":
					o.Products = append(o.Products, eso.Processed)
				default:
					return usageErrorf("--products %q: want raw or processed", p)
				}
			}
			if cone != "" {
				ra, dec, r, err := archiveParseCone(cone)
				if err != nil {
					return err
				}
				o.Cone = &eso.Cone{RA: ra, Dec: dec, Radius: r}
			}
			src, err := eso.New(o)
			return c.list(cmd, "eso", w, src, err)
		},
	}
	c.flags(cmd)
	cmd.Flags().StringSliceVar(&instruments, "instrument", nil, "instruments (MUSE, FORS2, SINFONI, ...)")
	cmd.Flags().StringSliceVar(&products, "products", []string{"raw"}, "raw and/or processed")
	cmd.Flags().StringVar(&cone, "cone", "", "RA,DEC,RADIUS in degrees")
	cmd.Flags().StringVar(&adql, "adql", "", "ADQL query replacing the generated one")
	cmd.Flags().StringVar(&format, "format", "", "reply format asked of the service (votable or csv; default the connector's)")
	cmd.Flags().IntVar(&maxrec, "maxrec", 0, "row limit asked of the service (default the connector's)")
	cmd.Flags().BoolVar(&scienceOnly, "science-only", false, "only science frames")
	return cmd
}
