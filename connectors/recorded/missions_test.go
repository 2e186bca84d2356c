package recorded_test

import (
	"path/filepath"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// TestMissionsShipped checks that the recorded replies of the mission
// connectors (obsloctap, rubin, chandra, nicer, nustar, ...) are recognized
// as their format and parse into activities.
func TestMissionsShipped(t *testing.T) {
	root, err := recorded.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := recorded.Shipped(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"rubin/testdata/obsloctap_schedule_10rows.json":       "rubin",
		"chandra/testdata/cxc_tap_scheduled_observations.xml": "chandra",
		"nicer/testdata/obs_pred_timeline_detail_first10.csv": "nicer",
		"nicer/testdata/no_scheduled_edited_synthetic.csv":    "nicer",
		"nustar/testdata/planned_schedule_table.csv":          "nustar-planned",
		"nustar/testdata/numaster_6rows.ascii":                "nustar-asflown",
	}
	got := map[string]recorded.File{}
	for _, f := range files {
		rel, _ := filepath.Rel(filepath.Join(root, "connectors"), f.Path)
		got[filepath.ToSlash(rel)] = f
	}
	for path, parser := range want {
		f, ok := got[path]
		if !ok || f.Parser != parser {
			t.Errorf("%s: recognized as %q, want %q", path, f.Parser, parser)
			continue
		}
		rep, err := recorded.Load(f)
		if err != nil || len(rep.Activities) == 0 {
			t.Errorf("%s: %v, %d activities", path, err, len(rep.Activities))
		}
	}
	// The obsloctap format reads the DaCHS test table.
	f, err := recorded.Files(filepath.Join(root, "testdata", "dachs", "obsplan.csv"))
	if err != nil || f[0].Parser != "obsloctap" {
		t.Fatalf("obsplan.csv: %v %v", err, f)
	}
	if rep, err := recorded.Load(f[0]); err != nil || len(rep.Activities) != 21 {
		t.Errorf("obsplan.csv: %v %+v", err, rep)
	}
}
