package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

var updateTour = flag.Bool("update-tour", false, "rewrite the outputs in the README's tour from the commands")

// tourCassettes replays the archives for the tour's archive commands.
var tourCassettes = map[string]string{}

func init() {
	for _, r := range archiveReplays {
		tourCassettes[r.name] = r.cassette
	}
}

// tourBlock is one ```console block of the tour: a command and its output.
type tourBlock struct {
	start, end int // line indexes of the opening and closing fences
	args       []string
	output     string
}

func parseTour(lines []string) ([]tourBlock, error) {
	var blocks []tourBlock
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```console" {
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ arcsecond ") {
			return nil, fmt.Errorf("line %d: a console block must start with \"$ arcsecond \"", i+2)
		}
		args, err := shellSplit(strings.TrimPrefix(lines[i+1], "$ arcsecond "))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		j := i + 2
		for j < len(lines) && strings.TrimSpace(lines[j]) != "```" {
			j++
		}
		if j == len(lines) {
			return nil, fmt.Errorf("line %d: unclosed block", i+1)
		}
		blocks = append(blocks, tourBlock{start: i, end: j, args: args, output: strings.Join(lines[i+2:j], "\n")})
		i = j
	}
	return blocks, nil
}

// shellSplit splits a command line as a POSIX shell would for words with
// single or double quotes (no variables, no escapes beyond \" in double
// quotes).
func shellSplit(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unclosed ' in %q", s)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && s[i+1] == '"' {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unclosed \" in %q", s)
			}
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// tourFile holds the tour: the README's ```console blocks.
const tourFile = "../../README.md"

// tourPending holds the outputs of tour commands changed on purpose whose
// README text is not updated yet (the README is folded in separately):
// testdata/tour_pending.txt, blocks of "$ arcsecond ARGS" and the output up
// to the next "$ " line.
var tourPending = func() map[string]string {
	m := map[string]string{}
	b, err := os.ReadFile("testdata/tour_pending.txt")
	if err != nil {
		return m
	}
	var cmd string
	var out []string
	flush := func() {
		if cmd != "" {
			m[cmd] = strings.TrimRight(trimLines(strings.Join(out, "\n")), "\n")
		}
	}
	for _, l := range strings.Split(string(b), "\n") {
		if c, ok := strings.CutPrefix(l, "$ arcsecond "); ok {
			flush()
			cmd, out = c, nil
			continue
		}
		out = append(out, l)
	}
	flush()
	return m
}()

// TestTour runs every command of the README's tour (from the repository's root, as
// the tour shows them; archives replayed from the connectors' cassettes,
// chart files written to a temporary folder) and compares the outputs.
func TestTour(t *testing.T) {
	b, err := os.ReadFile(tourFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	blocks, err := parseTour(lines)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) < 10 {
		t.Fatalf("only %d commands in the README's tour", len(blocks))
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for bi := range blocks {
		blk := &blocks[bi]
		args := append([]string(nil), blk.args...)
		var outs []string // files the command writes
		for i := range args {
			switch {
			case i > 0 && args[i-1] == "--out":
				outs = append(outs, args[i])
				args[i] = filepath.Join(tmp, filepath.Base(args[i]))
			case strings.HasPrefix(args[i], "connectors/") || strings.HasPrefix(args[i], "examples/"):
				args[i] = filepath.Join(root, args[i])
			}
		}
		if len(args) >= 2 && args[0] == "archive" {
			c, ok := tourCassettes[args[1]]
			if !ok {
				t.Fatalf("%v: no cassette for archive %s", blk.args, args[1])
			}
			archiveTransport = archiveReplay(t, c)
		}
		out, errs, code := runCLI(t, args...)
		archiveTransport = nil
		if code != 0 {
			t.Errorf("%v: exit %d: %s", blk.args, code, errs)
			continue
		}
		for _, o := range outs {
			out = strings.ReplaceAll(out, filepath.Join(tmp, filepath.Base(o)), o)
			if st, err := os.Stat(filepath.Join(tmp, filepath.Base(o))); err != nil || st.Size() == 0 {
				t.Errorf("%v: %s not written", blk.args, o)
			}
		}
		got := strings.TrimRight(trimLines(out), "\n")
		if *updateTour {
			blk.output = got
			continue
		}
		want := strings.TrimRight(trimLines(blk.output), "\n")
		if pending, ok := tourPending[strings.Join(blk.args, " ")]; ok && got != want {
			// A change of this branch whose README text is still to be
			// folded in: the output must be the pending one, exactly.
			t.Logf("%v: the README's tour still shows the old output; fold in testdata/tour_pending.txt", blk.args)
			want = pending
		}
		if got != want {
			t.Errorf("%v: output differs from the README's tour\n--- got\n%s\n--- want\n%s", blk.args, got, want)
		}
	}
	if *updateTour {
		var buf bytes.Buffer
		prev := 0
		for _, blk := range blocks {
			buf.WriteString(strings.Join(lines[prev:blk.start+2], "\n"))
			buf.WriteString("\n")
			if blk.output != "" {
				buf.WriteString(blk.output + "\n")
			}
			prev = blk.end
		}
		buf.WriteString(strings.Join(lines[prev:], "\n"))
		if err := os.WriteFile(tourFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func trimLines(s string) string {
	ls := strings.Split(s, "\n")
	for i := range ls {
		ls[i] = strings.TrimRight(ls[i], " \t")
	}
	return strings.Join(ls, "\n")
}

func TestShellSplit(t *testing.T) {
	got, err := shellSplit(`astro chart --target 'NGC 253=00:47:33,-25:17:18' --adql "select * from t where a = 'x'" x`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"astro", "chart", "--target", "NGC 253=00:47:33,-25:17:18", "--adql", "select * from t where a = 'x'", "x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%q", got)
	}
	if _, err := shellSplit(`a 'b`); err == nil {
		t.Error("unclosed quote accepted")
	}
}

// Every command answers --help, and cobra's completion scripts are there.
func TestHelpEverywhereAndCompletion(t *testing.T) {
	var walk func(c *cobra.Command, path []string)
	n := 0
	walk = func(c *cobra.Command, path []string) {
		out, _, code := runCLI(t, append(append([]string(nil), path...), "--help")...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v --help: exit %d", path, code)
		}
		n++
		for _, s := range c.Commands() {
			if s.Hidden || s.Name() == "help" {
				continue
			}
			walk(s, append(append([]string(nil), path...), s.Name()))
		}
	}
	walk(newRoot(), nil)
	if n < 20 {
		t.Errorf("only %d commands", n)
	}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, _, code := runCLI(t, "completion", sh)
		if code != 0 || !strings.Contains(out, "arcsecond") {
			t.Errorf("completion %s: exit %d", sh, code)
		}
	}
}
