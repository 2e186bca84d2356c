// Package recorded reads the replies of the connectors' services that were
// recorded and shipped with the repository (connectors/*/testdata), so that
// a program can run on them with no network: the arcsecond CLI's
// `activities parse` and activityd's --replay use it.
//
// Each connector registers its reply formats (a "parser": "gemini",
// "hst-mast", "hst-timeline", "swift-planned", "swift-asflown", "eso",
// "obscore", "jsonl") with its connectors.Driver: a parse function and a
// recognizer that tells, from a file's name and first bytes, whether the
// file is a reply of that format. This package imports the repository's
// connectors so that their formats are registered; Dir and Files find and
// recognize recorded files, Load parses one.
//
//	files, err := recorded.Dir("connectors") // every testdata folder below
//	if err != nil { ... }
//	for _, f := range files {
//		rep, err := recorded.Load(f)
//		if err != nil { ... }
//		fmt.Println(f.Parser, len(rep.Activities), rep.Skipped)
//	}
//
// A new connector adds its formats in the Parsers of the Driver it
// registers (connectors.Register); there is no second registry here.
package recorded

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
)

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
			return nil, fmt.Errorf("recorded: %s: not a reply of any known format (%s)", p, strings.Join(connectors.ParserNames(), ", "))
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
	folders, err := testdataFolders(dir)
	if err != nil {
		return nil, err
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

// testdataFolders returns the folders named testdata below dir, or dir.
func testdataFolders(dir string) ([]string, error) {
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
	return folders, nil
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
	head := make([]byte, connectors.HeadSize)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return File{}, false, fmt.Errorf("recorded: %w", err)
	}
	name := connectors.Recognize(filepath.ToSlash(path), head[:n])
	if name == "" {
		return File{}, false, nil
	}
	base := strings.ToLower(filepath.Base(path))
	return File{Path: path, Parser: name, Synthetic: strings.Contains(base, "synthetic") || name == "jsonl"}, true, nil
}

// Load reads and parses a recorded file.
func Load(f File) (*connectors.Reply, error) {
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return nil, fmt.Errorf("recorded: %w", err)
	}
	r, err := connectors.ParseReply(f.Parser, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return r, nil
}

// Group is what one parse reads: one recorded reply, or the replies a
// joining format combines (connectors.GroupReplies).
type Group struct {
	connectors.Group
	// Synthetic is set when one of its replies was written for tests (as
	// File.Synthetic tells them).
	Synthetic bool
}

// DirGroups finds the recorded replies under dir as Dir does, with the
// replies that only join others (a role of a joining format, which Dir
// leaves out), and groups each folder's replies into the parses that read
// them. Files that neither a format nor a role recognizes are left out.
func DirGroups(dir string) ([]Group, error) {
	folders, err := testdataFolders(dir)
	if err != nil {
		return nil, err
	}
	var out []Group
	for _, folder := range folders {
		entries, err := os.ReadDir(folder)
		if err != nil {
			return nil, fmt.Errorf("recorded: %w", err)
		}
		var rs []connectors.Recorded
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			p := filepath.Join(folder, e.Name())
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("recorded: %w", err)
			}
			rs = append(rs, connectors.Recorded{Name: filepath.ToSlash(p), Body: b})
		}
		out = append(out, groups(rs)...)
	}
	return out, nil
}

// FSGroups does what DirGroups does for a file system whose folders are
// each a service's recorded replies (connectors/recorded/replayset's
// <connector>/<file>): each folder's replies, grouped. Replies are named
// by their path in fsys.
func FSGroups(fsys fs.FS) ([]Group, error) {
	byFolder := map[string][]connectors.Recorded{}
	var folders []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		dir := path.Dir(p)
		if _, seen := byFolder[dir]; !seen {
			folders = append(folders, dir)
		}
		byFolder[dir] = append(byFolder[dir], connectors.Recorded{Name: p, Body: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recorded: %w", err)
	}
	var out []Group
	for _, dir := range folders {
		out = append(out, groups(byFolder[dir])...)
	}
	return out, nil
}

func groups(rs []connectors.Recorded) []Group {
	gs, _ := connectors.GroupReplies(rs...)
	out := make([]Group, len(gs))
	for i, g := range gs {
		out[i].Group = g
		for _, r := range g.Replies {
			out[i].Synthetic = out[i].Synthetic || g.Format == "jsonl" ||
				strings.Contains(strings.ToLower(path.Base(r.Name)), "synthetic")
		}
	}
	return out
}
