package tess

import (
	"errors"
	"flag"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassette in testdata")

const (
	pointingsFile = "testdata/pointings_sectors85-88.csv"
	orbitsFile    = "testdata/orbit_times_sectors85-86.csv"
	ingest        = "NASA-ACROSS/across-data-ingestion@f56cc932b4c63235f3735c468044b8485fdca843:across_data_ingestion/tasks/schedules/tess/low_fidelity_planned.py"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPlanRows: sectors 85 and 86 have orbit times (8 intervals), 87 and 88
// none (a placeholder each). Expected values: an independent reading of
// the files (Python's csv; JD to UTC by datetime).
func TestPlanRows(t *testing.T) {
	ps, skipped, err := ParsePointings(archivetest.Read(t, pointingsFile))
	if err != nil || skipped != 0 {
		t.Fatal(err, skipped)
	}
	orbits, err := ParseOrbits(archivetest.Read(t, orbitsFile))
	if err != nil {
		t.Fatal(err)
	}
	res := Plan(ps, orbits)
	sectors := map[int]struct {
		ra, dec, roll float64
	}{85: {5.8776, 66.3525, 45.8046}, 86: {42.6741, 75.893, 32.5811}, 87: {97.9629, -32.3927, 175.9167}, 88: {116.8315, -35.7542, 163.0201}}
	want := []struct {
		key        string
		sector     int
		start, end string
	}{
		{"TESS_sector_85_obs_0_orbit_177", 85, "2024-10-27T01:20:00Z", "2024-11-02T11:45:00Z"},
		{"TESS_sector_85_obs_1_orbit_177", 85, "2024-11-02T16:45:00Z", "2024-11-08T17:45:00Z"},
		{"TESS_sector_85_obs_2_orbit_178", 85, "2024-11-08T22:45:00Z", "2024-11-15T06:15:00Z"},
		{"TESS_sector_85_obs_3_orbit_178", 85, "2024-11-15T11:15:00Z", "2024-11-21T13:15:00Z"},
		{"TESS_sector_86_obs_0_orbit_179", 86, "2024-11-21T18:15:00Z", "2024-11-28T06:15:00Z"},
		{"TESS_sector_86_obs_1_orbit_179", 86, "2024-11-28T11:15:00Z", "2024-12-05T02:45:00Z"},
		{"TESS_sector_86_obs_2_orbit_180", 86, "2024-12-05T07:45:00Z", "2024-12-11T08:00:00Z"},
		{"TESS_sector_86_obs_3_orbit_180", 86, "2024-12-11T13:00:00Z", "2024-12-18T08:00:00Z"},
		{"TESS_sector_87_placeholder", 87, "2024-12-18T00:00:00Z", "2025-01-14T00:00:00Z"},
		{"TESS_sector_88_placeholder", 88, "2025-01-14T00:00:00Z", "2025-02-11T00:00:00Z"},
	}
	if len(res.Activities) != len(want) || res.Records != len(want) {
		t.Fatalf("%d activities, %d records", len(res.Activities), res.Records)
	}
	for i, w := range want {
		a := res.Activities[i]
		s := sectors[w.sector]
		if a.ID != "tess:"+w.key || !a.Start.Equal(ts(w.start)) || !a.End.Equal(ts(w.end)) {
			t.Errorf("%d: %s [%s, %s]", i, a.ID, a.Start, a.End)
		}
		if a.Pointing.RA != s.ra || a.Pointing.Dec != s.dec || *a.Pointing.Roll != s.roll || a.Target.RA != nil {
			t.Errorf("%d: pointing %v, target %+v", i, a.Pointing, a.Target)
		}
		if a.Target.Name != "TESS sector "+strconv.Itoa(w.sector) || a.Programme.ID != "sector "+strconv.Itoa(w.sector) || a.Instrument != "cameras 1-4" {
			t.Errorf("%d: target %q programme %q instrument %q", i, a.Target.Name, a.Programme.ID, a.Instrument)
		}
		if *a.Exposure != ts(w.end).Sub(ts(w.start)).Seconds() || a.Kind != activities.KindPlanned || a.Fidelity != activities.FidelityLow {
			t.Errorf("%d: exposure %v %s %s", i, *a.Exposure, a.Kind, a.Fidelity)
		}
	}
}

// TestOrbitWithoutPointing: an orbit row of a sector the pointings file
// does not list is a counted skip, not dropped silently.
func TestOrbitWithoutPointing(t *testing.T) {
	ps, _, err := ParsePointings(archivetest.Read(t, pointingsFile))
	if err != nil {
		t.Fatal(err)
	}
	orbits, err := ParseOrbits([]byte("Sector,Orbit,Start of Orbit,End of Orbit\n85,177,2024-10-27 01:20:00,2024-11-02 11:45:00\n99,205,2025-10-01 00:00:00,2025-10-08 00:00:00\n"))
	if err != nil {
		t.Fatal(err)
	}
	res := Plan(ps, orbits)
	// Sector 85: its orbit; 86-88: placeholders; sector 99: a skip.
	if len(res.Activities) != 4 || res.Skipped[SkipNoPointing] != 1 || res.Records != 5 {
		t.Errorf("%d activities, %d records, skipped %v", len(res.Activities), res.Records, res.Skipped)
	}
}

func TestContract(t *testing.T) {
	cases := []struct{ what, got, want string }{
		{"pointings URL", DefaultPointingsURL, "https://raw.githubusercontent.com/tessgi/tesswcs/main/src/tesswcs/data/pointings.csv"},
		{"orbit times URL", DefaultOrbitsURL, "https://tess.mit.edu/public/files/TESS_orbit_times.csv"},
		{"pointing columns", strings.Join(PointingColumns, ","), "Sector,RA,Dec,Roll,Start,End"},
		{"orbit columns", strings.Join(OrbitColumns, ","), "Sector,Orbit,Start of Orbit,End of Orbit"},
		{"band", band().String(), "600 nm – 1 µm"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s (%s: TESS_POINTINGS_FILE, TESS_ORBIT_TIMES_FILE, the columns of ingest and transform_*, Start/End as JD, TESS_BANDPASS 6000-10000 Å)", c.what, c.got, c.want, ingest)
		}
	}
	// The placeholder path on ACROSS's EDITED orbit file (rows removed).
	orbits, err := ParseOrbits([]byte("Sector,Orbit,Start of Orbit,End of Orbit\n# Created 2025-01-16 by roland\n"))
	if err != nil || len(orbits) != 0 {
		t.Fatalf("empty orbit file: %v %v", orbits, err)
	}
}

func TestSchemaDrift(t *testing.T) {
	var se *connectors.SchemaError
	p := string(archivetest.Read(t, pointingsFile))
	if _, _, err := ParsePointings([]byte(strings.Replace(p, ",Roll,", ",Angle,", 1))); !errors.As(err, &se) || se.Column != "Roll" {
		t.Errorf("renamed Roll: %v", err)
	}
	if _, _, err := ParsePointings([]byte(strings.Replace(p, "45.8046", "north", 1))); !errors.As(err, &se) || se.Column != "Roll" {
		t.Errorf("text in Roll: %v", err)
	}
	o := string(archivetest.Read(t, orbitsFile))
	if _, err := ParseOrbits([]byte(strings.Replace(o, "2024-10-27 01:20:00", "27/10/2024", 1))); !errors.As(err, &se) || se.Column != "Start of Orbit" {
		t.Errorf("bad date: %v", err)
	}
	ps, skipped, err := ParsePointings([]byte("Sector,RA,Dec,Roll,Start,End\n85,5.8,95,45,2460609.5,2460635.5\n86,,,,,\n"))
	if err != nil || skipped != 1 || len(ps) != 1 {
		t.Fatalf("%v %d %v", ps, skipped, err)
	}
	if res := Plan(ps, nil); res.Skipped[SkipBadPointing] != 1 || len(res.Activities) != 0 {
		t.Errorf("dec 95: %+v", res)
	}
}

var window = activities.Window{Start: ts("2024-10-20T00:00:00Z"), End: ts("2025-02-20T00:00:00Z")}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	err := vcrtest.NewCassette("testdata/files", "bodies = testdata/pointings_sectors85-88.csv and orbit_times_sectors85-86.csv (see PROVENANCE.md: real excerpts kept by NASA-ACROSS/across-data-ingestion), unchanged, as the GETs of the two files").
		Add(vcrtest.Interaction{URL: DefaultPointingsURL, ContentType: "text/plain", Body: archivetest.Read(t, pointingsFile), Provenance: "excerpt: sectors 85-88"}).
		Add(vcrtest.Interaction{URL: DefaultOrbitsURL, ContentType: "text/csv", Body: archivetest.Read(t, orbitsFile), Provenance: "excerpt: sectors 85-86"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/files", window, 10)
}

// TestFaults: the HTML page and the 503 of either file end the listing
// with an error naming the source and the file.
func TestFaults(t *testing.T) {
	htmlRT := roundTrip(func(r *http.Request) (*http.Response, error) {
		if strings.Contains(r.URL.Host, "tess.mit.edu") {
			return resp(503, "text/plain", "busy"), nil
		}
		return resp(200, "text/csv", string(archivetest.Read(t, pointingsFile))), nil
	})
	_, err := activities.Collect(archivetest.On(t, open, htmlRT).Activities(t.Context(), window))
	var se *activities.SourceError
	if !errors.As(err, &se) || se.Source != Name || !strings.Contains(err.Error(), "orbit times") || !strings.Contains(err.Error(), "503") {
		t.Errorf("orbit file 503: %v", err)
	}
	pageRT := roundTrip(func(r *http.Request) (*http.Response, error) {
		return resp(200, "text/html", "<!DOCTYPE html><html><head><title>Rate limited</title></head></html>"), nil
	})
	_, err = activities.Collect(archivetest.On(t, open, pageRT).Activities(t.Context(), window))
	var he *connectors.HTMLError
	if !errors.As(err, &he) || he.Title != "Rate limited" || !strings.Contains(err.Error(), "pointings") {
		t.Errorf("HTML page: %v", err)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func resp(code int, ct, body string) *http.Response {
	return &http.Response{StatusCode: code, Status: http.StatusText(code), Header: http.Header{"Content-Type": {ct}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}

func BenchmarkNormalize(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, pointingsFile), ParsePointingsOnly)
}

func FuzzParse(f *testing.F) {
	f.Add(archivetest.Read(f, pointingsFile), archivetest.Read(f, orbitsFile))
	f.Fuzz(func(t *testing.T, p, o []byte) {
		res, err := ParsePointingsOnly(p)
		archivetest.Check(t, res, err)
		ps, _, perr := ParsePointings(p)
		orbits, oerr := ParseOrbits(o)
		if perr == nil && oerr == nil {
			archivetest.Check(t, Plan(ps, orbits), nil)
		}
	})
}
