package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/arcsecond-go/arcsecond/connectors/vo/tap"
)

// tapTokenEnv names the environment variable whose value, when set, is sent
// as a bearer token to the TAP service.
const tapTokenEnv = "ARCSECOND_TAP_TOKEN"

func init() {
	register(func(root *cobra.Command) {
		grp := &cobra.Command{
			Use:   "tap",
			Short: "Query IVOA TAP services (sync or async, uploads, capabilities, tables)",
			Long: "Query IVOA Table Access Protocol services.\n\n" +
				"Credentials: user:password@ in the URL is sent as HTTP basic authentication, and the\n" +
				"environment variable " + tapTokenEnv + " as a bearer token; neither is ever printed.",
		}
		var async bool
		var maxrec int
		var uploads []string
		var format string
		var timeout time.Duration
		query := &cobra.Command{
			Use:   "query URL ADQL",
			Short: "Run an ADQL query and print the rows as JSON lines or CSV",
			Long: "Run an ADQL query on the TAP service at URL and print every row of the result as JSON lines\n" +
				"(one object per row keyed by column name, nulls as null) or CSV (nulls as empty cells).\n" +
				"--upload name=FILE sends the VOTable FILE as TAP_UPLOAD.name (repeatable).\n" +
				"A result truncated at MAXREC or the service's limit is reported on standard error.",
			Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				if format != "jsonl" && format != "csv" {
					return usageErrorf("--format must be csv or jsonl, not %q", format)
				}
				if maxrec < 0 {
					return usageErrorf("--maxrec must be 0 or more")
				}
				return tapQuery(cmd, args[0], args[1], async, maxrec, uploads, format, timeout)
			},
		}
		query.Flags().BoolVar(&async, "async", false, "run as an asynchronous (UWS) job")
		query.Flags().IntVar(&maxrec, "maxrec", 0, "maximum number of rows (default: the service's limit; 0: columns only)")
		query.Flags().StringArrayVar(&uploads, "upload", nil, "upload a VOTable file as TAP_UPLOAD.name: name=FILE")
		query.Flags().StringVar(&format, "format", "jsonl", "output format: jsonl or csv")
		query.Flags().DurationVar(&timeout, "timeout", time.Hour, "give up (and abort an async job) after this long")

		tables := &cobra.Command{
			Use:   "tables URL",
			Short: "List the service's tables with their column counts and descriptions",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := newTAPClient(args[0])
				if err != nil {
					return err
				}
				ts, err := c.Tables(cmd.Context())
				if err != nil {
					return networkError{err}
				}
				out := bufio.NewWriter(cmd.OutOrStdout())
				defer out.Flush()
				for _, s := range ts.Schemas {
					for _, t := range s.Tables {
						fmt.Fprintf(out, "%s\t%d columns\t%s\n", t.Name, len(t.Columns), oneLine(t.Description, 100))
					}
				}
				return nil
			},
		}
		caps := &cobra.Command{
			Use:   "capabilities URL",
			Short: "Summarise the service's TAP capabilities (languages, formats, uploads, limits)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := newTAPClient(args[0])
				if err != nil {
					return err
				}
				cs, err := c.Capabilities(cmd.Context())
				if err != nil {
					return networkError{err}
				}
				return printCapabilities(cmd.OutOrStdout(), cs)
			},
		}
		grp.AddCommand(query, tables, caps)
		root.AddCommand(grp)
	})
}

func newTAPClient(raw string, opts ...tap.Option) (*tap.Client, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageErrorf("URL must be an http or https TAP service URL")
	}
	if tok := os.Getenv(tapTokenEnv); tok != "" {
		opts = append(opts, tap.WithAuth(tap.BearerToken(tok)))
	}
	c, err := tap.NewClient(raw, opts...)
	if err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

// parseUploads reads name=FILE specifications and opens the files.
func parseUploads(specs []string) ([]tap.Upload, func(), error) {
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	var ups []tap.Upload
	for _, s := range specs {
		name, path, ok := strings.Cut(s, "=")
		if !ok || name == "" || path == "" {
			closeAll()
			return nil, nil, usageErrorf("--upload wants name=FILE, not %q", s)
		}
		f, err := os.Open(path)
		if err != nil {
			closeAll()
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, notFoundError{fmt.Errorf("upload %s: %w", name, err)}
			}
			return nil, nil, fmt.Errorf("upload %s: %w", name, err)
		}
		files = append(files, f)
		ups = append(ups, tap.Upload{Name: name, Content: f})
	}
	return ups, closeAll, nil
}

func tapQuery(cmd *cobra.Command, rawURL, q string, async bool, maxrec int, uploadSpecs []string, format string, timeout time.Duration) error {
	ups, closeUploads, err := parseUploads(uploadSpecs)
	if err != nil {
		return err
	}
	defer closeUploads()
	var opts []tap.Option
	stderr := cmd.ErrOrStderr()
	prog := newProgress(stderr)
	if async && prog != nil {
		opts = append(opts, tap.WithJobObserver(prog.update))
	}
	c, err := newTAPClient(rawURL, opts...)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	query := tap.Query{ADQL: q, MaxRec: maxrec, Uploads: ups}
	if maxrec == 0 && cmd.Flags().Changed("maxrec") {
		query.MaxRec = tap.MetadataOnly
	}
	for _, u := range ups {
		if err := checkUploadName(u.Name); err != nil {
			return err
		}
	}
	var res *tap.Result
	if async {
		res, err = c.Async(ctx, query)
		prog.done()
	} else {
		res, err = c.Sync(ctx, query)
	}
	if err != nil {
		return networkError{err}
	}
	defer res.Close()
	t, err := res.Table()
	if err != nil {
		return networkError{err}
	}
	if err := writeRows(cmd.OutOrStdout(), t, res.Rows(), format, func(err error) error { return networkError{err} }); err != nil {
		return err
	}
	if res.Overflow() {
		fmt.Fprintln(stderr, "arcsecond: QUERY_STATUS=OVERFLOW: the service truncated the result at MAXREC or its row limit")
	}
	return nil
}

func checkUploadName(name string) error {
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '_')) {
			return usageErrorf("upload name %q must be a plain ADQL identifier (letters, digits, _)", name)
		}
	}
	return nil
}

// progress shows the phase of an async job on a terminal; it is nil (and
// silent) when standard error is not one.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	shown bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

func (p *progress) update(j *tap.JobInfo) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[Kjob %s: %s (%s)", j.JobID, j.Phase, time.Since(p.start).Round(time.Second))
	p.shown = true
}

func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func printCapabilities(w io.Writer, cs *tap.Capabilities) error {
	out := bufio.NewWriter(w)
	defer out.Flush()
	t := cs.Find(tap.StandardTAP)
	if t == nil {
		return networkError{errors.New("the service declares no TAP capability")}
	}
	for _, l := range t.Languages {
		var vs []string
		for _, v := range l.Versions {
			vs = append(vs, v.Version)
		}
		fmt.Fprintf(out, "language\t%s %s (%d optional features)\n", l.Name, strings.Join(vs, ", "), len(l.Features))
	}
	for _, f := range t.OutputFormats {
		fmt.Fprintf(out, "format\t%s\t%s\n", f.MIME, strings.Join(f.Aliases, ", "))
	}
	for _, u := range t.UploadMethods {
		fmt.Fprintf(out, "upload\t%s\n", u)
	}
	for _, dm := range t.DataModels {
		fmt.Fprintf(out, "datamodel\t%s\t%s\n", dm.Name, dm.IVOID)
	}
	for _, l := range []struct {
		name string
		l    tap.Limit
	}{{"outputLimit", t.OutputLimit}, {"uploadLimit", t.UploadLimit}, {"executionDuration", t.ExecutionDuration}, {"retentionPeriod", t.RetentionPeriod}} {
		if l.l != (tap.Limit{}) {
			fmt.Fprintf(out, "limit\t%s\tdefault %d %s\thard %d %s\n", l.name, l.l.Default, l.l.DefaultUnit, l.l.Hard, l.l.HardUnit)
		}
	}
	return nil
}
