// Package recorded reads the replies of the connectors' services that were
// recorded and shipped with the repository (connectors/*/testdata), so that
// a program can run on them with no network: the arcsecond CLI's
// `activities parse` and activityd's --replay use it.
//
// A table maps each reply format (a "parser": "gemini", "hst-mast",
// "hst-timeline", "swift-planned", "swift-asflown", "jsonl") to the
// connector's exported parse function and to a recognizer that tells, from a
// file's name and first bytes, whether the file is a reply of that format.
// Dir and Files find and recognize recorded files; Load parses one.
//
//	files, err := recorded.Dir("connectors") // every testdata folder below
//	if err != nil { ... }
//	for _, f := range files {
//		rep, err := recorded.Load(f)
//		if err != nil { ... }
//		fmt.Println(f.Parser, len(rep.Activities), rep.Skipped)
//	}
//
// A new connector adds its format with one call to Register, from an init
// function of this package (see builtin.go) or of any other package.
package recorded

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Reply is what a parser makes of one recorded reply.
type Reply struct {
	// Records is how many records the reply held.
	Records    int
	Activities []activities.Activity
	// Skipped counts records not turned into activities, by reason.
	Skipped map[string]int
	// Warnings counts oddities in kept records, by reason.
	Warnings map[string]int
	// Truncated is set when the reply says more records matched than it
	// holds.
	Truncated bool
}

// Parser is one reply format of the table.
type Parser struct {
	// Name is the format's name ("gemini", "hst-mast").
	Name string
	// Help says in a line what the format is.
	Help string
	// Parse turns one reply into activities.
	Parse func(body []byte) (*Reply, error)
	// Recognize reports whether a file is a reply in this format, from its
	// slash-separated path and its first bytes (up to HeadSize). Nil
	// recognizes nothing: the parser is then used only by name.
	Recognize func(path string, head []byte) bool
}

// HeadSize is how many first bytes of a file Recognize sees.
const HeadSize = 4096

var (
	mu      sync.RWMutex
	parsers = map[string]Parser{}
	order   []string // registration order: the first recognizer wins
)

// Register adds a format to the table. It panics on an empty name, a nil
// Parse or a name registered twice: programming errors caught at start-up.
func Register(p Parser) {
	if p.Name == "" || p.Parse == nil {
		panic("recorded: Register needs a name and a Parse function")
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := parsers[p.Name]; dup {
		panic("recorded: format registered twice: " + p.Name)
	}
	parsers[p.Name] = p
	order = append(order, p.Name)
}

// Lookup returns the format with this name.
func Lookup(name string) (Parser, bool) {
	mu.RLock()
	defer mu.RUnlock()
	p, ok := parsers[name]
	return p, ok
}

// Names lists the registered formats, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return slices.Sorted(maps.Keys(parsers))
}

// Parse parses a reply with the named format.
func Parse(name string, body []byte) (*Reply, error) {
	p, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("recorded: unknown format %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	r, err := p.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("recorded: %s: %w", name, err)
	}
	return r, nil
}

// File is a recorded reply found on disk.
type File struct {
	Path string
	// Parser is the name of the format recognized.
	Parser string
	// Synthetic is set for files that were written for tests rather than
	// recorded from a service (their name says "synthetic", or their folder's
	// provenance says so, as for the jsonl example).
	Synthetic bool
}

// Recognize returns the format of a file from its path and first bytes, or
// "" when no registered format recognizes it.
func Recognize(path string, head []byte) string {
	path = filepath.ToSlash(path)
	mu.RLock()
	defer mu.RUnlock()
	for _, n := range order {
		if p := parsers[n]; p.Recognize != nil && p.Recognize(path, head) {
			return n
		}
	}
	return ""
}

// Files recognizes the given files. A file that cannot be read or that no
// format recognizes is an error naming it.
func Files(paths ...string) ([]File, error) {
	var out []File
	for _, p := range paths {
		f, ok, err := classify(p)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("recorded: %s: not a reply of any known format (%s)", p, strings.Join(Names(), ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// Dir finds the recorded replies under dir: every file of a folder named
// testdata below dir (dir itself when it is named testdata or holds no
// testdata folder) that a format recognizes, sorted by path. Other files
// (cassettes, provenance notes) are left out.
func Dir(dir string) ([]File, error) {
	var folders []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			folders = append(folders, p)
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recorded: %w", err)
	}
	if len(folders) == 0 {
		folders = []string{dir}
	}
	var out []File
	for _, folder := range folders {
		entries, err := os.ReadDir(folder)
		if err != nil {
			return nil, fmt.Errorf("recorded: %w", err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			f, ok, err := classify(filepath.Join(folder, e.Name()))
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// Shipped returns the recorded replies shipped in the repository whose root
// is root (the folder holding go.mod): Dir(root/connectors).
func Shipped(root string) ([]File, error) {
	return Dir(filepath.Join(root, "connectors"))
}

// RepoRoot finds the root of the repository holding the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("recorded: %w", err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/arcsecond-go/arcsecond\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("recorded: the recorded replies live in the arcsecond repository, and the working directory is not inside it")
		}
		dir = parent
	}
}

func classify(path string) (File, bool, error) {
	fh, err := os.Open(path)
	if err != nil {
		return File{}, false, fmt.Errorf("recorded: %w", err)
	}
	defer fh.Close()
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return File{}, false, fmt.Errorf("recorded: %w", err)
	}
	name := Recognize(path, head[:n])
	if name == "" {
		return File{}, false, nil
	}
	base := strings.ToLower(filepath.Base(path))
	return File{Path: path, Parser: name, Synthetic: strings.Contains(base, "synthetic") || name == "jsonl"}, true, nil
}

// Load reads and parses a recorded file.
func Load(f File) (*Reply, error) {
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("recorded: %w", err)
	}
	r, err := Parse(f.Parser, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return r, nil
}
