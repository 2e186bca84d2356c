package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir finds ../shared/fixtures/arcsecond beside the repository.
func sharedDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	dir := ""
	if err == nil {
		dir = filepath.Join(strings.TrimSpace(string(out)), "..", "shared", "fixtures", "arcsecond")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.txt")); dir == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared fixtures not found beside the repository (%q); CI must provide ../shared", dir)
		}
		t.Skipf("shared fixtures not found (%q): skipping the regeneration check", dir)
	}
	return dir
}

func readMaybeGzip(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// TestRegenerate rebuilds the embedded data from the shared sources and
// checks it is identical to what is committed: the data is reproducible
// from the sources, the corrections and this program.
func TestRegenerate(t *testing.T) {
	src := sharedDir(t)
	tmp := t.TempDir()
	run(src, "../../data", tmp)
	for _, f := range []string{"catalogues.json", "standards.tsv.gz", "sites.json.gz", "crosscheck.md", "stars_crosscheck.md", "sources.json"} {
		got := readMaybeGzip(t, filepath.Join(tmp, f))
		want := readMaybeGzip(t, filepath.Join("../../data", f))
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the committed copy: run go generate ./catalogs", f)
		}
	}
}
