package main

import (
	"bytes"
	"testing"
)

// runCLI runs the command line with args as run does, and returns its
// standard output, its standard error followed by the error's message,
// and the exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil {
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), executeExitCode(err)
}
