package recorded_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// TestMissionsShipped checks that the recorded replies of the mission
// connectors (obsloctap, rubin, chandra, nicer, nustar, ...), whose formats
// each connector registers with its connectors.Driver, are recognized as
// their format and parse into activities. The auxiliary files of the joins
// (TESS orbit times, JWST's MAST rows and index page, XRISM's exposure
// tables) are not replies of a format by themselves.
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
		"rubin/testdata/obsloctap_schedule_10rows.json":                    "rubin",
		"chandra/testdata/cxc_tap_scheduled_observations.xml":              "chandra",
		"nicer/testdata/obs_pred_timeline_detail_first10.csv":              "nicer",
		"nicer/testdata/no_scheduled_edited_synthetic.csv":                 "nicer",
		"nustar/testdata/planned_schedule_table.csv":                       "nustar-planned",
		"nustar/testdata/numaster_6rows.ascii":                             "nustar-asflown",
		"tess/testdata/pointings_sectors85-88.csv":                         "tess",
		"ixpe/testdata/ltp_2025-06-17.html":                                "ixpe",
		"euclid/testdata/pointing_file_excerpt.txt":                        "euclid",
		"xmm/testdata/short_term_schedule_5rows.csv":                       "xmm",
		"jwst/testdata/observing_schedule_2521607f02.txt":                  "jwst",
		"xrism/testdata/shortterm_synthetic.html":                          "xrism",
		"fermi/testdata/FERMI_POINTING_FINAL_875_2025065_2025072_00.fits":  "fermi-lat",
		"fermi/testdata/FERMI_POINTING_PRELIM_875_2025065_2025072_00.fits": "fermi-lat",
		"mast/testdata/advSearchPos.json":                                  "mast",
		"hst/testdata/caom.json":                                           "hst-mast",
	}
	registered := connectors.ParserNames()
	for _, parser := range want {
		if !slices.Contains(registered, parser) {
			t.Errorf("format %q is not registered (registered: %v)", parser, registered)
		}
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
		if err != nil {
			t.Errorf("%s: %v", path, err)
		} else if len(rep.Activities) == 0 {
			t.Errorf("%s: no activities", path)
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
