package recorded_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

func TestShipped(t *testing.T) {
	root, err := recorded.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := recorded.Shipped(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"gemini/testdata/m101.json":                         "gemini",
		"hst/testdata/caom.json":                            "hst-mast",
		"hst/testdata/timeline_07_28_25":                    "hst-timeline",
		"swift/testdata/planquery_2025-07-01.json":          "swift-planned",
		"swift/testdata/obsquery_2025-07-01_synthetic.json": "swift-asflown",
		"jsonl/testdata/example.jsonl":                      "jsonl",
	}
	got := map[string]recorded.File{}
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join(root, "connectors"), f.Path)
		got[filepath.ToSlash(rel)] = f
	}
	for path, parser := range want {
		f, ok := got[path]
		if !ok {
			t.Errorf("%s not found (found %v)", path, got)
			continue
		}
		if f.Parser != parser {
			t.Errorf("%s recognized as %q, want %q", path, f.Parser, parser)
		}
		if f.Synthetic != (strings.Contains(path, "synthetic") || parser == "jsonl") {
			t.Errorf("%s: Synthetic = %v", path, f.Synthetic)
		}
		rep, err := recorded.Load(f)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if len(rep.Activities) == 0 {
			t.Errorf("%s: no activities", path)
		}
		skipped := 0
		for _, n := range rep.Skipped {
			skipped += n
		}
		if rep.Records != len(rep.Activities)+skipped {
			t.Errorf("%s: %d records != %d activities + %d skipped", path, rep.Records, len(rep.Activities), skipped)
		}
		for _, a := range rep.Activities {
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %v", path, err)
				break
			}
		}
		t.Logf("%-45s %-14s records=%d activities=%d skipped=%v", path, f.Parser, rep.Records, len(rep.Activities), rep.Skipped)
	}
	for path, f := range got {
		if strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".md") {
			t.Errorf("%s should not be recognized (as %s)", path, f.Parser)
		}
	}
}

func TestFilesUnknown(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "notes.txt")
	os.WriteFile(p, []byte("hello"), 0o644)
	if _, err := recorded.Files(p); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("want an error naming the file, got %v", err)
	}
	if _, err := recorded.Files(filepath.Join(dir, "missing.json")); err == nil {
		t.Fatal("missing file: no error")
	}
	if _, err := connectors.ParseReply("nope", nil); err == nil || !strings.Contains(err.Error(), "gemini") {
		t.Fatalf("unknown format: %v", err)
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	connectors.Register("gemini-again", connectors.Driver{
		Open:    func(connectors.Config) (activities.Source, error) { return nil, nil },
		Parsers: []connectors.Parser{{Name: "gemini", Parse: func([]byte) (*connectors.Reply, error) { return nil, nil }}},
	})
}

// FuzzParse feeds arbitrary bytes to every format: an error or a reply, never
// a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`[{"data_label": "x"}]`))
	f.Add([]byte(`{"status": "COMPLETE", "fields": [], "data": []}`))
	f.Add([]byte(`{"status": {"status": "Accepted"}, "entries": [{"obsid": "1"}]}`))
	f.Add([]byte("{\"id\": \"a:1\"}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, n := range connectors.ParserNames() {
			rep, err := connectors.ParseReply(n, b)
			if err == nil && rep == nil {
				t.Fatalf("%s: nil reply and nil error", n)
			}
			name := connectors.Recognize("x.json", b)
			_ = name
		}
	})
}
