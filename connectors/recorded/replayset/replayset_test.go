package replayset

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// TestCopiesMatchTestdata: every embedded file is a byte-for-byte copy of
// connectors/<connector>/testdata/<name>, every recorded reply of those
// folders is embedded (with the replies that only join others), and each
// is recognized as a reply of its format or a role of a joining one.
func TestCopiesMatchTestdata(t *testing.T) {
	embedded := map[string]bool{}
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		embedded[p] = true
		got, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		dir, name := path.Split(p)
		orig := filepath.Join("..", "..", path.Clean(dir), "testdata", name)
		want, err := os.ReadFile(orig)
		if err != nil {
			t.Errorf("%s: the original is gone: %v", p, err)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: copy it again (cp %s files/%s)", p, orig, orig, p)
		}
		head := got[:min(len(got), connectors.HeadSize)]
		if f, _ := connectors.RecognizeRole(p, head); connectors.Recognize(p, head) == "" && f == "" {
			t.Errorf("%s: no recorded format recognizes it, nor a role of a joining one", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := recorded.DirGroups(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range shipped {
		for _, r := range g.Replies {
			rel, _ := filepath.Rel(filepath.Join("..", ".."), filepath.FromSlash(r.Name))
			conn := filepath.ToSlash(filepath.Dir(filepath.Dir(rel)))
			if p := path.Join(conn, path.Base(r.Name)); !embedded[p] {
				t.Errorf("%s is a recorded reply (%s) but is not embedded as %s", r.Name, g.Format, p)
			}
		}
	}
	if len(embedded) == 0 {
		t.Fatal("nothing embedded")
	}
}

// TestJoinedReplay: the embedded replies of the joining sources are
// grouped as their live listings read them (XMM's schedule with its
// revolution's timeline, TESS's pointings with the orbit times, JWST's
// schedule with MAST's rows), and each group parses.
func TestJoinedReplay(t *testing.T) {
	gs, err := recorded.FSGroups(FS())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"xmm":     {"xmm/short_term_schedule_5rows.csv", "xmm/revolution_4714_nice.csv"},
		"tess":    {"tess/pointings_sectors85-88.csv", "tess/orbit_times_sectors85-86.csv"},
		"jwst":    {"jwst/observing_schedule_2521607f02.txt", "jwst/mast_jwst_observations_8cols.json"},
		"xrism":   {"xrism/shortterm_synthetic.html", "xrism/proposals_synthetic.html", "xrism/too_synthetic.html"},
		"nustar":  {"nustar/numaster_6rows.ascii", "nustar/planned_schedule_table.csv"},
		"chandra": {"chandra/cxc_tap_scheduled_observations.xml", "chandra/cxc_tap_asflown_observations_synthetic.xml"},
	}
	seen := map[string]bool{}
	for _, g := range gs {
		var names []string
		for _, r := range g.Replies {
			names = append(names, r.Name)
			if seen[r.Name] {
				t.Errorf("%s is in two groups", r.Name)
			}
			seen[r.Name] = true
		}
		if w, ok := want[g.Format]; ok && !slices.Equal(names, w) {
			t.Errorf("%s group: %v, want %v", g.Format, names, w)
		}
		if _, err := g.Parse(); err != nil {
			t.Errorf("%s %v: %v", g.Format, names, err)
		}
		delete(want, g.Format)
		if g.Format == "xmm-timeline" {
			t.Errorf("the XMM timeline is replayed alone: %v", names)
		}
	}
	if len(want) > 0 {
		t.Errorf("no group for %v", want)
	}
}
