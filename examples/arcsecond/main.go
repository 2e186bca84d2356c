// Command arcsecond is the reference command line of the arcsecond SDK.
//
// Every capability lives in the SDK's packages; this binary only wires
// flags and output to them. Each area registers its commands in a file of
// its own (cmd_<area>.go) through register.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

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
		if exitCode(err) == exitFailure && isCobraUsage(err) {
			return exitUsage
		}
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
