package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/chandra"
	"github.com/arcsecond-go/arcsecond/connectors/jwst"
	"github.com/arcsecond-go/arcsecond/connectors/nustar"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
	"github.com/arcsecond-go/arcsecond/connectors/tess"
	"github.com/arcsecond-go/arcsecond/connectors/xmm"
	"github.com/arcsecond-go/arcsecond/connectors/xrism"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// offline are the HTTP options of a source replaying a cassette.
func offline(rt http.RoundTripper) connectors.HTTPOptions {
	return connectors.HTTPOptions{Transport: rt, Retries: -1, RatePerHost: -1}
}

// jsonLines encodes activities as `activities parse` prints them.
func jsonLines(t *testing.T, acts []activities.Activity) []string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, a := range acts {
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	return lines(b.String())
}

func lines(s string) []string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// chandraPlans is an ivoa.obsplan reply for two of the recorded
// observations. SYNTHETIC: no recorded reply of Chandra's second query
// exists (connectors/chandra/testdata/PROVENANCE.md); the columns are
// those of the connector's PlansQuery, the values invented.
const chandraPlans = `<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/><TABLE>` +
	`<FIELD name="obs_id" datatype="char" arraysize="*"/><FIELD name="target_name" datatype="char" arraysize="*"/><FIELD name="t_plan_exptime" datatype="double" unit="s"/><DATA><TABLEDATA>` +
	`<TR><TD>29892</TD><TD>NGC 4472</TD><TD>20000</TD></TR><TR><TD>30982</TD><TD>Sgr A*</TD><TD></TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`

// TestActivitiesParseJoinsLikeLive: each joining source's recorded files,
// given together to `activities parse --source`, print the activities
// the connector's live listing gives over its cassette of the same replies,
// line for line; standard error names each file's role.
func TestActivitiesParseJoinsLikeLive(t *testing.T) {
	const td = "../../connectors/"
	plans := filepath.Join(t.TempDir(), "obsplan_synthetic.xml")
	if err := os.WriteFile(plans, []byte(chandraPlans), 0o644); err != nil {
		t.Fatal(err)
	}
	chandraServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		if strings.Contains(r.FormValue("QUERY"), "ivoa.obsplan") {
			w.Write([]byte(chandraPlans))
			return
		}
		b, _ := os.ReadFile(td + "chandra/testdata/cxc_tap_scheduled_observations.xml")
		w.Write(b)
	}))
	defer chandraServer.Close()
	nustarServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := td + "nustar/testdata/numaster_6rows.ascii"
		if strings.HasSuffix(r.URL.Path, "/Schedule.php") {
			f = td + "nustar/testdata/planned_schedule_table.csv"
		}
		b, _ := os.ReadFile(f)
		w.Write(b)
	}))
	defer nustarServer.Close()
	chandraWeek := activities.Window{Start: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)}

	for _, tc := range []struct {
		name, source string
		files        []string
		roles        []string // stderr: the role of each file, in order
		live         func(t *testing.T) (activities.Source, error)
		window       activities.Window
		n            int
	}{
		{"jwst", "jwst", []string{td + "jwst/testdata/mast_jwst_observations_8cols.json", td + "jwst/testdata/observing_schedule_2521607f02.txt"},
			[]string{jwst.RoleSchedule, jwst.RoleMAST},
			func(t *testing.T) (activities.Source, error) {
				return jwst.New(jwst.Options{HTTPOptions: offline(vcrtest.Replay(t, td+"jwst/testdata/schedules", vcrtest.Repeatable()))})
			}, activities.Window{}, 48},
		{"tess", "tess", []string{td + "tess/testdata/pointings_sectors85-88.csv", td + "tess/testdata/orbit_times_sectors85-86.csv"},
			[]string{tess.RolePointings, tess.RoleOrbits},
			func(t *testing.T) (activities.Source, error) {
				return tess.New(tess.Options{HTTPOptions: offline(vcrtest.Replay(t, td+"tess/testdata/files", vcrtest.Repeatable()))})
			}, activities.Window{}, 10},
		{"xmm", "xmm", []string{td + "xmm/testdata/short_term_schedule_5rows.csv", td + "xmm/testdata/revolution_4714_nice.csv"},
			[]string{xmm.RoleSchedule, xmm.RoleTimeline},
			func(t *testing.T) (activities.Source, error) {
				return xmm.New(xmm.Options{HTTPOptions: offline(vcrtest.Replay(t, td+"xmm/testdata/schedule", vcrtest.Repeatable()))})
			}, activities.Window{}, 42},
		{"xrism (synthetic pages)", "xrism", []string{td + "xrism/testdata/too_synthetic.html", td + "xrism/testdata/proposals_synthetic.html", td + "xrism/testdata/shortterm_synthetic.html"},
			[]string{xrism.RoleSchedule, xrism.RoleProposals, xrism.RoleToO},
			func(t *testing.T) (activities.Source, error) {
				return xrism.New(xrism.Options{HTTPOptions: offline(vcrtest.Replay(t, td+"xrism/testdata/synthetic", vcrtest.Repeatable()))})
			}, activities.Window{}, 6},
		{"nustar (both timelines, served locally)", "nustar", []string{td + "nustar/testdata/planned_schedule_table.csv", td + "nustar/testdata/numaster_6rows.ascii"},
			[]string{nustar.RoleAsFlown, nustar.RolePlanned},
			func(t *testing.T) (activities.Source, error) {
				return nustar.New(nustar.Options{PlannedURL: nustarServer.URL + "/Schedule.php", TAPURL: nustarServer.URL + "/tap",
					HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			}, activities.Window{}, 8},
		{"chandra without plans", "chandra", []string{td + "chandra/testdata/cxc_tap_scheduled_observations.xml"},
			nil,
			func(t *testing.T) (activities.Source, error) {
				return chandra.New(chandra.Options{NoPlans: true, NoAsFlown: true, HTTPOptions: offline(vcrtest.Replay(t, td+"chandra/testdata/cxctap", vcrtest.Repeatable()))})
			}, chandraWeek, 19},
		{"chandra with the synthetic as-flown rows", "chandra", []string{td + "chandra/testdata/cxc_tap_asflown_observations_synthetic.xml", td + "chandra/testdata/cxc_tap_scheduled_observations.xml"},
			[]string{chandra.RoleObservations, chandra.RoleAsFlown},
			func(t *testing.T) (activities.Source, error) {
				return chandra.New(chandra.Options{NoPlans: true, HTTPOptions: offline(vcrtest.Replay(t, td+"chandra/testdata/cxctap_asflown", vcrtest.Repeatable()))})
			}, activities.Window{Start: time.Date(2025, 6, 24, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)}, 22},
		{"chandra with synthetic plans", "chandra", []string{plans, td + "chandra/testdata/cxc_tap_scheduled_observations.xml"},
			[]string{chandra.RoleObservations, chandra.RolePlans},
			func(t *testing.T) (activities.Source, error) {
				return chandra.New(chandra.Options{URL: chandraServer.URL, NoAsFlown: true, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			}, chandraWeek, 19},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := tc.live(t)
			if err != nil {
				t.Fatal(err)
			}
			live, err := activities.Collect(src.Activities(t.Context(), tc.window))
			if err != nil {
				t.Fatal(err)
			}
			out, errs, code := runCLI(t, append([]string{"activities", "parse", "--source", tc.source}, tc.files...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			got := lines(out)
			if d := cmp.Diff(jsonLines(t, live), got); d != "" {
				t.Errorf("parse differs from the live listing (-live +parse):\n%s", d)
			}
			if len(got) != tc.n {
				t.Errorf("%d activities, want %d", len(got), tc.n)
			}
			var said []string
			for _, l := range lines(errs) {
				if _, role, ok := strings.Cut(l, ": the "); ok {
					said = append(said, strings.TrimSuffix(role, " of the "+tc.source+" join"))
				}
			}
			if !slices.Equal(said, tc.roles) {
				t.Errorf("roles on stderr %q, want %q:\n%s", said, tc.roles, errs)
			}
		})
	}
}

// TestActivitiesParseEveryFormat runs `activities parse --source` for
// every registered format on its recorded replies: each file under a
// testdata folder of connectors/ (and the DaCHS table of testdata/ for
// obsloctap) that a format recognizes, alone, and the files of each
// folder that a joining format joins, together. Each run prints valid
// activities, one per line, as many as its summaries say.
func TestActivitiesParseEveryFormat(t *testing.T) {
	byFormat := map[string][][]string{}
	for _, root := range []string{"../../connectors", "../../testdata/dachs"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || !strings.Contains(filepath.ToSlash(p), "testdata/") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if f := connectors.Recognize(filepath.ToSlash(p), b[:min(len(b), connectors.HeadSize)]); f != "" {
				byFormat[f] = append(byFormat[f], []string{p})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		gs, err := recorded.DirGroups(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gs {
			if len(g.Replies) < 2 {
				continue
			}
			var files []string
			for _, r := range g.Replies {
				files = append(files, filepath.FromSlash(r.Name))
			}
			byFormat[g.Format] = append(byFormat[g.Format], files)
		}
	}
	for _, format := range connectors.ParserNames() {
		runs := byFormat[format]
		if len(runs) == 0 {
			t.Errorf("%s: no recorded reply of this format under connectors/*/testdata", format)
			continue
		}
		total := 0
		for _, files := range runs {
			out, errs, code := runCLI(t, append([]string{"activities", "parse", "--source", format}, files...)...)
			if code != 0 {
				// a reply the format recognizes and refuses (a GCN notice
				// type it does not decode): a clear error naming the file
				if code != exitFailure || len(files) != 1 || !strings.Contains(errs, files[0]) {
					t.Errorf("%s %v: exit %d: %s", format, files, code, errs)
				}
				continue
			}
			got := lines(out)
			for _, l := range got {
				var a activities.Activity
				if err := json.Unmarshal([]byte(l), &a); err != nil {
					t.Fatalf("%s: %v: %s", format, err, l)
				}
				if err := a.Validate(); err != nil {
					t.Errorf("%s: %v", format, err)
				}
			}
			n := 0
			for _, l := range lines(errs) {
				var k int
				if _, rest, ok := strings.Cut(l, " records: "); ok {
					if _, err := fmt.Sscanf(rest, "%d activities", &k); err == nil {
						n += k
					}
				}
			}
			if n != len(got) {
				t.Errorf("%s %v: %d lines, the summaries say %d activities:\n%s", format, files, len(got), n, errs)
			}
			total += len(got)
			if len(files) > 1 {
				t.Logf("%-16s %d files joined: %d activities", format, len(files), len(got))
			}
		}
		if total == 0 {
			t.Errorf("%s: no activity from any of its %d recorded replies", format, len(runs))
		}
		t.Logf("%-16s %d runs: %d activities", format, len(runs), total)
	}
}

// TestActivitiesParseJoinErrors: files that cannot be joined fail with an
// error naming the file or the role.
func TestActivitiesParseJoinErrors(t *testing.T) {
	const td = "../../connectors/"
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		inErr []string
	}{
		{"a file that plays no role", []string{"--source", "tess", td + "tess/testdata/pointings_sectors85-88.csv", td + "tess/testdata/PROVENANCE.md"},
			exitFailure, []string{"PROVENANCE.md plays none of the roles", "pointings, orbit times"}},
		{"no schedule", []string{"--source", "xmm", td + "xmm/testdata/revolution_4714_nice.csv", td + "xmm/testdata/revolution_4714_nice.csv"},
			exitFailure, []string{"no reply plays the schedule role"}},
		{"two MAST replies", []string{"--source", "jwst", td + "jwst/testdata/observing_schedule_2521607f02.txt", td + "jwst/testdata/mast_jwst_observations_8cols.json", td + "jwst/testdata/mast_jwst_observations_8cols.json"},
			exitFailure, []string{"MAST rows role, which takes one reply"}},
		{"a missing file", []string{"--source", "jwst", td + "jwst/testdata/observing_schedule_2521607f02.txt", "no-such.json"},
			exitNotFound, []string{"no-such.json"}},
	} {
		out, errs, code := runCLI(t, append([]string{"activities", "parse"}, tc.args...)...)
		if code != tc.code || out != "" {
			t.Errorf("%s: exit %d, %d bytes out; want exit %d and nothing", tc.name, code, len(out), tc.code)
		}
		for _, s := range tc.inErr {
			if !strings.Contains(errs, s) {
				t.Errorf("%s: stderr %q does not say %q", tc.name, errs, s)
			}
		}
	}
}
