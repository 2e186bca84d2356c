package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// The verdicts of `activities doctor`.
const (
	doctorOK            = "ok"
	doctorNotConfigured = "not configured"
	doctorCredentials   = "needs credentials"
	doctorDrift         = "schema drift"
	doctorUnreachable   = "unreachable"
	doctorRejected      = "rejected"
	doctorFailed        = "failed"
)

// doctorResult is one source's verdict and what to do about it.
type doctorResult struct {
	name, verdict, detail string
}

func (r doctorResult) failed() bool { return r.verdict != doctorOK && r.verdict != doctorNotConfigured }

func newActivitiesDoctorCmd() *cobra.Command {
	var (
		sources  []string
		baseURLs []string
		timeout  time.Duration
	)
	cmd := &cobra.Command{
		Use:   "doctor [--source NAME ...] [--base-url [NAME=]URL ...]",
		Short: "Check each source with one small request: ok, needs credentials, schema drift or unreachable",
		Long: "Asks each source for the activities of the last and next hour, stopping at the first one, and prints\n" +
			"per source: ok; not configured (naming the variable to set; not a failure); needs credentials (naming\n" +
			"the variable); schema drift (naming the column); unreachable; rejected. Exits 3 when any source fails.\n" +
			"--base-url URL points every source at URL, --base-url NAME=URL one source (repeatable).\n\n" +
			"Sources: " + strings.Join(activitySourceNames(), ", "),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(sources) == 0 {
				sources = activitySourceNames()
			}
			urls := map[string]string{}
			for _, b := range baseURLs {
				name, u, ok := strings.Cut(b, "=")
				if !ok || strings.Contains(name, "/") {
					name, u = "", b
				} else if _, err := lookupActivitySource(name); err != nil {
					return err
				}
				urls[name] = u
			}
			var results []doctorResult
			for _, name := range sources {
				spec, err := lookupActivitySource(name)
				if err != nil {
					return err
				}
				u, ok := urls[name]
				if !ok {
					u = urls[""]
				}
				results = append(results, doctorCheck(cmd.Context(), name, spec, liveOptions{BaseURL: u, Timeout: timeout, Retries: -1}))
			}
			if err := printDoctor(cmd.OutOrStdout(), results); err != nil {
				return err
			}
			var bad []string
			for _, r := range results {
				if r.failed() {
					bad = append(bad, r.name)
				}
			}
			if len(bad) > 0 {
				return networkError{fmt.Errorf("activities doctor: %d of %d sources failed: %s", len(bad), len(results), strings.Join(bad, ", "))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&sources, "source", nil, "sources to check (repeatable or comma-separated; default all)")
	f.StringArrayVar(&baseURLs, "base-url", nil, "URL for every source, or NAME=URL for one (repeatable)")
	f.DurationVar(&timeout, "timeout", 20*time.Second, "deadline of the check of each source")
	return cmd
}

// doctorCheck opens one source and asks it for one activity of the hour
// around now.
func doctorCheck(ctx context.Context, name string, spec activitySource, o liveOptions) doctorResult {
	if ctx == nil {
		ctx = context.Background()
	}
	src, err := spec.Live(o)
	if err != nil {
		return doctorResult{name, doctorNotConfigured, err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	now := time.Now().UTC()
	for _, err = range src.Activities(ctx, activities.Window{Start: now.Add(-time.Hour), End: now.Add(time.Hour)}) {
		break // the first activity, or the first error, answers
	}
	return doctorVerdict(name, src.Name(), err)
}

// doctorVerdict turns a listing's outcome into a verdict through the
// shared error kinds of package connectors.
func doctorVerdict(name, connector string, err error) doctorResult {
	r := doctorResult{name: name, detail: ""}
	var (
		ae *connectors.AuthError
		se *connectors.SchemaError
		he *connectors.HTMLError
	)
	switch {
	case err == nil, errors.Is(err, connectors.ErrTruncated):
		r.verdict = doctorOK
	case errors.Is(err, connectors.ErrAuthRequired), errors.Is(err, connectors.ErrAuthExpired):
		r.verdict = doctorCredentials
		vars := slices.Sorted(maps.Keys(connectors.Env(connector)))
		if errors.As(err, &ae) && ae.Env != "" {
			r.detail = "set " + ae.Env
		} else if len(vars) > 0 {
			r.detail = "set " + strings.Join(vars, " or ")
		}
		if errors.Is(err, connectors.ErrAuthExpired) {
			r.detail += " (the credentials given were refused or have expired)"
		}
	case errors.As(err, &se):
		r.verdict, r.detail = doctorDrift, fmt.Sprintf("column %q: %s", se.Column, se.Reason)
	case errors.As(err, &he):
		r.verdict, r.detail = doctorDrift, "an HTML page instead of data"
		if he.Title != "" {
			r.detail += fmt.Sprintf(" (%q)", he.Title)
		}
	case errors.Is(err, connectors.ErrSchemaDrift):
		r.verdict, r.detail = doctorDrift, err.Error()
	case errors.Is(err, connectors.ErrUnavailable):
		r.verdict, r.detail = doctorUnreachable, err.Error()
	case errors.Is(err, connectors.ErrRejected), errors.Is(err, connectors.ErrInvalid):
		r.verdict, r.detail = doctorRejected, err.Error()
	default:
		r.verdict, r.detail = doctorFailed, err.Error()
	}
	return r
}

func printDoctor(w io.Writer, results []doctorResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tDETAIL")
	for _, r := range results {
		d := strings.Join(strings.Fields(r.detail), " ")
		if len(d) > 160 {
			d = d[:160] + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.name, r.verdict, d)
	}
	return tw.Flush()
}
