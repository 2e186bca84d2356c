package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/gemini"
	"github.com/arcsecond-go/arcsecond/connectors/hst"
	_ "github.com/arcsecond-go/arcsecond/connectors/recorded" // registers every connector's reply formats
	"github.com/arcsecond-go/arcsecond/connectors/swift"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// liveOptions configure a live source.
type liveOptions struct {
	BaseURL string        // overrides the service's address when set
	Timeout time.Duration // per request
	Retries int           // of a failed request; negative for none
}

// activitySource is one entry of the `activities parse/live` table: how to
// open the source live. Recorded replies are parsed by the format of the
// same name registered with connectors.Register, so the CLI and activityd's replay read
// them the same way.
type activitySource struct {
	Help string
	Live func(liveOptions) (activities.Source, error)
}

// activitySources is the table of sources known to `arcsecond activities`.
// To add a source, add an entry (a file of its own can do it from an init
// function with addActivitySource).
var activitySources = map[string]activitySource{
	"gemini": {
		Help: "Gemini archive jsonsummary reply (JSON array)",
		Live: func(o liveOptions) (activities.Source, error) {
			return gemini.New(gemini.Options{BaseURL: o.BaseURL, HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	},
	"hst-mast": {
		Help: "MAST Mast.Caom.Filtered/Cone invoke reply (JSON)",
		Live: func(o liveOptions) (activities.Source, error) {
			return hst.NewMAST(hst.Options{BaseURL: o.BaseURL, HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	},
	"hst-timeline": {
		Help: "STScI weekly observing timeline (fixed-width text)",
		Live: func(o liveOptions) (activities.Source, error) {
			return hst.NewTimeline(hst.Options{BaseURL: o.BaseURL, HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	},
	"swift-planned": {
		Help: "Swift API planquery reply (JSON status + entries)",
		Live: func(o liveOptions) (activities.Source, error) {
			return swift.New(swift.Options{BaseURL: o.BaseURL, Timelines: []swift.Timeline{swift.Planned}, HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	},
	"swift-asflown": {
		Help: "Swift API obsquery reply (JSON status + entries)",
		Live: func(o liveOptions) (activities.Source, error) {
			return swift.New(swift.Options{BaseURL: o.BaseURL, Timelines: []swift.Timeline{swift.AsFlown}, HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	},
}

var activitySourcesMu sync.Mutex

// addActivitySource adds an entry to the table; it panics on a duplicate,
// a programming error caught at start-up.
func addActivitySource(name string, s activitySource) {
	activitySourcesMu.Lock()
	defer activitySourcesMu.Unlock()
	if _, dup := activitySources[name]; dup {
		panic("arcsecond: activity source registered twice: " + name)
	}
	activitySources[name] = s
}

func activitySourceNames() []string {
	activitySourcesMu.Lock()
	defer activitySourcesMu.Unlock()
	return slices.Sorted(maps.Keys(activitySources))
}

func lookupActivitySource(name string) (activitySource, error) {
	activitySourcesMu.Lock()
	s, ok := activitySources[name]
	activitySourcesMu.Unlock()
	if !ok {
		return s, usageErrorf("unknown source %q (known: %s)", name, strings.Join(activitySourceNames(), ", "))
	}
	return s, nil
}

func init() { register(addActivitiesCommands) }

func addActivitiesCommands(root *cobra.Command) {
	cmd := &cobra.Command{
		Use:   "activities",
		Short: "Normalized observing activities from archives and schedules",
	}
	cmd.AddCommand(newActivitiesParseCmd(), newActivitiesLiveCmd(), newActivitiesDoctorCmd())
	root.AddCommand(cmd)
}

func formatCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	return connectors.FormatCounts(m)
}

// joiningHelp lists the formats that join several replies, with their
// roles, for the help of `activities parse`.
func joiningHelp() string {
	var b strings.Builder
	for _, n := range connectors.ParserNames() {
		roles := connectors.JoinRoles(n)
		if roles == nil {
			continue
		}
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = r.Name
			switch {
			case r.Many:
				names[i] += " (any number)"
			case r.Optional:
				names[i] += " (optional)"
			}
		}
		fmt.Fprintf(&b, "\n  %s: %s", n, strings.Join(names, ", "))
	}
	return b.String()
}

func newActivitiesParseCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "parse --source NAME FILE...",
		Short: "Normalize recorded replies and print one activity per line as JSON",
		Long: "Reads recorded replies of a source (no network) and prints each activity in the documented JSON\n" +
			"encoding, one per line. A summary of each file (records, activities, skipped records by reason,\n" +
			"warnings, truncation) goes to standard error.\n\n" +
			"A source whose live listing joins several replies (a schedule and the rows giving its positions)\n" +
			"joins the files given together, as the live listing does: standard error says which role each file\n" +
			"plays, and the summary is the join's. Given one file, it is read alone. Sources that join, with\n" +
			"their roles (the first one required):" + joiningHelp() + "\n\n" +
			"Sources: " + strings.Join(connectors.ParserNames(), ", "),
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if source == "" {
				return usageErrorf("--source is required (one of %s)", strings.Join(connectors.ParserNames(), ", "))
			}
			if _, ok := connectors.LookupParser(source); !ok {
				return usageErrorf("unknown source %q (known: %s)", source, strings.Join(connectors.ParserNames(), ", "))
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			report := func(name string, rep *connectors.Reply) error {
				for _, a := range rep.Activities {
					if err := enc.Encode(a); err != nil {
						return err
					}
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d records: %d activities; skipped: %s; warnings: %s\n",
					name, rep.Records, len(rep.Activities), formatCounts(rep.Skipped), formatCounts(rep.Warnings))
				if rep.Truncated {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: WARNING: the reply says it was truncated: more records matched than it holds\n", name)
				}
				return nil
			}
			if len(args) > 1 && connectors.JoinRoles(source) != nil {
				rs := make([]connectors.Recorded, len(args))
				for i, f := range args {
					b, err := readRecorded(f)
					if err != nil {
						return err
					}
					rs[i] = connectors.Recorded{Name: filepath.ToSlash(f), Body: b}
				}
				rs, err := connectors.AssignRoles(source, rs...)
				if err != nil {
					return err
				}
				for _, r := range rs {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: the %s of the %s join\n", r.Name, r.Role, source)
				}
				rep, err := connectors.ParseReplies(source, rs...)
				if err != nil {
					return err
				}
				return report(fmt.Sprintf("%s join of %d files", source, len(rs)), rep)
			}
			for _, f := range args {
				b, err := readRecorded(f)
				if err != nil {
					return err
				}
				rep, err := connectors.ParseReply(source, b)
				if err != nil {
					return fmt.Errorf("%s: %w", f, err)
				}
				if err := report(f, rep); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "format of the recorded replies: "+strings.Join(connectors.ParserNames(), "|"))
	return cmd
}

// readRecorded reads a recorded reply; a missing file is a notFoundError.
func readRecorded(f string) ([]byte, error) {
	b, err := os.ReadFile(f)
	if errors.Is(err, os.ErrNotExist) {
		return nil, notFoundError{err}
	}
	return b, err
}

func newActivitiesLiveCmd() *cobra.Command {
	var (
		sources  []string
		since    time.Duration
		ahead    time.Duration
		interval time.Duration
		once     bool
		baseURL  string
		timeout  time.Duration
		retries  int
	)
	cmd := &cobra.Command{
		Use:   "live [--source NAME ...] [--since 1h]",
		Short: "Poll the real services and print activities as they come",
		Long: "Polls each source for activities from now−since to now+ahead and prints each new activity (or new\n" +
			"revision) once, as a JSON line. A source that fails is reported on standard error and retried at the\n" +
			"next poll; the others go on. With --once, polls once and exits: 3 when every source failed to reach\n" +
			"its service.\n\nSources: " + strings.Join(activitySourceNames(), ", "),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(sources) == 0 {
				sources = activitySourceNames()
			}
			if since <= 0 || ahead < 0 || interval <= 0 {
				return usageErrorf("--since and --interval must be positive, --ahead not negative")
			}
			if baseURL == "" {
				baseURL = os.Getenv("ARCSECOND_ACTIVITIES_BASE_URL")
			}
			var srcs []namedSource
			for _, name := range sources {
				spec, err := lookupActivitySource(name)
				if err != nil {
					return err
				}
				if retries == 0 {
					retries = -1 // the flag's 0 means none; the connectors' 0 means their default
				}
				s, err := spec.Live(liveOptions{BaseURL: baseURL, Timeout: timeout, Retries: retries})
				if err != nil {
					return usageErrorf("%s: %v", name, err)
				}
				srcs = append(srcs, namedSource{name, s})
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return pollLive(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), srcs, since, ahead, interval, once)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&sources, "source", nil, "sources to poll (repeatable or comma-separated; default all)")
	f.DurationVar(&since, "since", time.Hour, "list activities from this long ago")
	f.DurationVar(&ahead, "ahead", 24*time.Hour, "and up to this far ahead (planned activities)")
	f.DurationVar(&interval, "interval", 5*time.Minute, "time between polls")
	f.BoolVar(&once, "once", false, "poll once and exit")
	f.StringVar(&baseURL, "base-url", "", "override the services' address (mirrors, tests; env ARCSECOND_ACTIVITIES_BASE_URL)")
	f.DurationVar(&timeout, "timeout", 30*time.Second, "deadline of each request")
	f.IntVar(&retries, "retries", 3, "retries of a failed request (with backoff; 429 and 503 honour Retry-After)")
	return cmd
}

type namedSource struct {
	name string // the table's name ("swift-planned"), not the source's ("swift")
	activities.Source
}

// unhealthyAfter is how many consecutive failed polls mark a source
// unhealthy; it is then polled less and less often (interval × 2ⁿ, at most
// maxBackoff apart) until it answers again.
const (
	unhealthyAfter = 3
	maxBackoff     = time.Hour
)

type sourceHealth struct {
	fails int
	next  time.Time // no poll before this time
}

// pollLive polls srcs concurrently, printing each activity the first time
// it is seen at a given revision. A source that keeps failing is backed off
// and reported unhealthy; the others go on.
func pollLive(ctx context.Context, out, errw io.Writer, srcs []namedSource, since, ahead, interval time.Duration, once bool) error {
	var mu sync.Mutex
	seen := map[string]int64{}
	health := make([]sourceHealth, len(srcs))
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		now := time.Now().UTC()
		w := activities.Window{Start: now.Add(-since), End: now.Add(ahead)}
		var wg sync.WaitGroup
		errs := make([]error, len(srcs))
		polled := make([]bool, len(srcs))
		for i, s := range srcs {
			if now.Before(health[i].next) {
				continue
			}
			polled[i] = true
			wg.Go(func() {
				n := 0
				var st connectors.Stats
				for a, err := range s.Activities(connectors.WithStats(ctx, &st), w) {
					if err != nil {
						errs[i] = err
						break
					}
					mu.Lock()
					if rev, ok := seen[a.ID]; !ok || a.Revision > rev {
						seen[a.ID] = a.Revision
						_ = enc.Encode(a)
						n++
					}
					mu.Unlock()
				}
				if c := st.Counts(); len(c) > 0 {
					mu.Lock()
					fmt.Fprintf(errw, "%s: %d new; %s\n", s.name, n, formatCounts(c))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			return nil
		}
		failed, network := 0, 0
		for i, err := range errs {
			h := &health[i]
			if !polled[i] {
				continue
			}
			if err == nil {
				if h.fails >= unhealthyAfter {
					fmt.Fprintf(errw, "arcsecond: %s: healthy again\n", srcs[i].name)
				}
				*h = sourceHealth{}
				continue
			}
			failed++
			if isNetworkError(err) {
				network++
			}
			h.fails++
			fmt.Fprintf(errw, "arcsecond: %s: %v\n", srcs[i].name, err)
			if h.fails >= unhealthyAfter {
				wait := min(interval<<min(h.fails-unhealthyAfter+1, 20), maxBackoff)
				h.next = time.Now().Add(wait)
				fmt.Fprintf(errw, "arcsecond: %s: unhealthy after %d consecutive failures; next try in %v\n",
					srcs[i].name, h.fails, wait.Round(time.Second))
			}
		}
		if once {
			switch {
			case failed == 0 || failed < len(srcs):
				return nil
			case network == failed:
				return networkError{fmt.Errorf("every source failed to reach its service (%d)", failed)}
			default:
				return fmt.Errorf("every source failed (%d)", failed)
			}
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// isNetworkError reports errors from reaching a service: transport
// failures, timeouts and HTTP error statuses.
func isNetworkError(err error) bool {
	var ne net.Error
	var status *httpx.StatusError
	var req *httpx.RequestError
	return errors.As(err, &ne) || errors.As(err, &status) || errors.As(err, &req) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF)
}
