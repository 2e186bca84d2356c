package gemini

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// sharedDir returns ../shared/fixtures/archives/gemini beside the
// repository, skipping the test when it is absent (failing under CI=true).
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	root := strings.TrimSpace(string(out))
	if err != nil || root == "" {
		root = "../.."
	}
	dir := filepath.Join(root, "..", "shared", "fixtures", "archives", "gemini", sub)
	if _, err := os.Stat(dir); err != nil {
		archivetest.Absent(t, fmt.Sprintf("shared fixtures absent (%v); skipping corpus test", err))
	}
	return dir
}

func TestCorpusJSONSummary(t *testing.T) {
	dir := sharedDir(t, "jsonsummary_canonical")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 344 {
		t.Fatalf("want 344 jsonsummary files, found %d", len(files))
	}
	total := connectors.Reply{Skipped: map[string]int{}, Warnings: map[string]int{}}
	instruments := map[string]bool{}
	recordInstruments := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ParseJSONSummary(b)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		var recs []struct {
			Instrument string `json:"instrument"`
		}
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			recordInstruments[r.Instrument] = true
		}
		t.Logf("%s: %d records: %d activities; skipped: %s", filepath.Base(f), res.Records, len(res.Activities), connectors.FormatCounts(res.Skipped))
		if got := len(res.Activities) + res.SkippedTotal(); got != res.Records {
			t.Errorf("%s: %d records but %d activities + skipped", filepath.Base(f), res.Records, got)
		}
		for _, a := range res.Activities {
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %s: %v", filepath.Base(f), a.ID, err)
			}
			instruments[a.Instrument] = true
		}
		total.Records += res.Records
		total.Activities = append(total.Activities, res.Activities...)
		for k, v := range res.Skipped {
			total.Skipped[k] += v
		}
		for k, v := range res.Warnings {
			total.Warnings[k] += v
		}
	}
	t.Logf("%d files, %d records: %d activities; skipped: %s; warnings: %s; instruments with activities: %d",
		len(files), total.Records, len(total.Activities), connectors.FormatCounts(total.Skipped), connectors.FormatCounts(total.Warnings), len(instruments))
	if len(recordInstruments) != 26 {
		t.Errorf("the corpus has records of %d instruments, want 26", len(recordInstruments))
	}
	want := map[string]int{SkipAcquisition: 13, SkipCalibration: 168, SkipEngineering: 10, SkipNoTime: 1, SkipProcessed: 53}
	if total.Records != 355 || len(total.Activities) != 110 || !maps.Equal(total.Skipped, want) {
		t.Errorf("corpus totals changed: %d records, %d activities, skipped %v; want 355, 110, %v",
			total.Records, len(total.Activities), total.Skipped, want)
	}
}

func TestCorpusProgramInfo(t *testing.T) {
	dir := sharedDir(t, "programinfo")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) != 125 {
		t.Fatalf("want 125 programinfo pages, found %d", len(files))
	}
	withPI, none := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParseProgramInfo(b)
		switch {
		case errors.Is(err, ErrNoProgramInfo):
			none++
		case err != nil:
			t.Errorf("%s: %v", filepath.Base(f), err)
		case p.PI == "" || p.Title == "" || p.ID == "":
			t.Errorf("%s: incomplete %+v", filepath.Base(f), p)
		default:
			withPI++
		}
	}
	t.Logf("%d programinfo pages: %d with PI, %d without information", len(files), withPI, none)
	if withPI != 124 || none != 1 {
		t.Errorf("want 124 pages with PI and 1 without, got %d and %d", withPI, none)
	}
}

// TestCorpusHTMLPages runs the archive's HTML summary pages (what a
// misconfigured or limited query can return instead of JSON) through the
// JSON parser: the two row-limit pages are reported as truncation with
// their limit, the others as HTML served instead of JSON.
func TestCorpusHTMLPages(t *testing.T) {
	dir := sharedDir(t, "html")
	want := map[string]int{"too_many_rows.html": 2500, "query_limit.html": 500}
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) != 8 {
		t.Fatalf("want 8 HTML pages, found %d", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseJSONSummary(b)
		var te *connectors.TruncatedError
		var he *connectors.HTMLError
		name := filepath.Base(f)
		switch {
		case want[name] > 0:
			if !errors.As(err, &te) || te.Limit != want[name] {
				t.Errorf("%s: want truncation at %d, got %v", name, want[name], err)
			}
		case !errors.As(err, &he):
			t.Errorf("%s: want an HTMLError, got %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
}
