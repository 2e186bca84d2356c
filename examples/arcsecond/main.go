// Command arcsecond is the reference command line of the arcsecond SDK.
//
// Every capability lives in the SDK's packages; this binary only wires
// flags and output to them. Each area registers its commands in a file of
// its own (cmd_<area>.go) through register.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// Exit codes distinguish the kinds of failure, so scripts can react.
const (
	exitOK       = 0
	exitFailure  = 1 // any other error
	exitUsage    = 2 // bad flags or arguments
	exitNetwork  = 3 // a remote service failed or could not be reached
	exitNotFound = 4 // the thing asked for does not exist
)

// usageError marks an error caused by how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// notFoundError marks an error for something asked for that does not exist.
type notFoundError struct{ err error }

func (e notFoundError) Error() string { return e.err.Error() }
func (e notFoundError) Unwrap() error { return e.err }

// networkError marks an error from a remote service.
type networkError struct{ err error }

func (e networkError) Error() string { return e.err.Error() }
func (e networkError) Unwrap() error { return e.err }

func usageErrorf(format string, a ...any) error {
	return usageError{fmt.Errorf(format, a...)}
}

var registrations []func(root *cobra.Command)

// register adds a function that attaches commands to the root command. Each
// cmd_<area>.go file calls it from an init function.
func register(f func(root *cobra.Command)) { registrations = append(registrations, f) }

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "arcsecond",
		Short:         "Observing activities, archives, catalogues and astronomical algorithms",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	for _, f := range registrations {
		f(root)
	}
	return root
}

func exitCode(err error) int {
	var u usageError
	var n notFoundError
	var netErr networkError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u):
		return exitUsage
	case errors.As(err, &n):
		return exitNotFound
	case errors.As(err, &netErr):
		return exitNetwork
	}
	return exitFailure
}

func run(args []string) int {
	root := newRoot()
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		fmt.Fprintln(os.Stderr, "arcsecond:", err)
	}
	return executeExitCode(err)
}

// executeExitCode is the exit code of an error returned by the root
// command's Execute: exitCode, with the usage errors cobra raises itself
// (isCobraUsage) exiting as usage errors.
func executeExitCode(err error) int {
	if err != nil && exitCode(err) == exitFailure && isCobraUsage(err) {
		return exitUsage
	}
	return exitCode(err)
}

// isCobraUsage reports errors cobra raises for unknown commands or bad
// argument counts, which are usage errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func main() { os.Exit(run(os.Args[1:])) }

// rowProgress shows, on a terminal, how a wait of more than a second is going:
// a counter of the rows received and the time spent, rewritten in place on
// stderr. It writes nothing when stderr is not a terminal (pipes, files,
// CI), so output stays clean for scripts.
type rowProgress struct {
	mu      sync.Mutex
	w       io.Writer
	label   string
	n       int
	start   time.Time
	stop    chan struct{}
	done    bool
	printed bool
}

// progressForce makes rowProgress draw even when w is not a terminal (tests).
var progressForce = false

// progressDelay is how long a wait lasts before the bar appears.
var progressDelay = time.Second

func newRowProgress(w io.Writer, label string) *rowProgress {
	p := &rowProgress{w: w, label: label, start: time.Now(), stop: make(chan struct{})}
	f, isFile := w.(*os.File)
	if !progressForce && (!isFile || !isatty.IsTerminal(f.Fd())) {
		p.done = true
		return p
	}
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case now := <-t.C:
				if now.Sub(p.start) >= progressDelay {
					p.draw(now)
				}
			}
		}
	}()
	return p
}

func (p *rowProgress) draw(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.printed = true
	fmt.Fprintf(p.w, "\r%s: %d rows, %.0fs ", p.label, p.n, now.Sub(p.start).Seconds())
}

// Add counts n more rows.
func (p *rowProgress) Add(n int) {
	p.mu.Lock()
	p.n += n
	p.mu.Unlock()
}

// Done stops the display and clears its line; it may be called twice.
func (p *rowProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	close(p.stop)
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
