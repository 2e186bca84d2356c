package fermi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/faulttest"
	"github.com/arcsecond-go/arcsecond/connectors/vo/fits"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassette in testdata")

const (
	final  = "testdata/FERMI_POINTING_FINAL_875_2025065_2025072_00.fits"
	prelim = "testdata/FERMI_POINTING_PRELIM_875_2025065_2025072_00.fits"
)

var window = activities.Window{Start: time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)}

// TestAgainstAstropy compares every activity with the independent reading
// of the same rows by astropy (testdata/gen_astropy.py).
func TestAgainstAstropy(t *testing.T) {
	for _, c := range []struct {
		file string
		fid  activities.Fidelity
	}{{final, activities.FidelityHigh}, {prelim, activities.FidelityLow}} {
		res, err := Parse(archivetest.Read(t, c.file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(c.file + ".astropy.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		n := 0
		for ; sc.Scan(); n++ {
			var w struct {
				MET                     float64
				Start, Stop             string
				RA, Dec, Roll, Exposure float64
			}
			if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
				t.Fatal(err)
			}
			if n >= len(res.Activities) {
				t.Fatalf("%s: astropy keeps more rows than the %d activities", c.file, len(res.Activities))
			}
			a := res.Activities[n]
			start, _ := time.Parse("2006-01-02T15:04:05.000", w.Start)
			stop, _ := time.Parse("2006-01-02T15:04:05.000", w.Stop)
			if a.ID != "fermi-lat:"+strconv.FormatFloat(w.MET, 'f', 0, 64) || !a.Start.Equal(start) || !a.End.Equal(stop) {
				t.Errorf("%s row %d: %s [%s, %s], want MET %v [%s, %s]", c.file, n, a.ID, a.Start, a.End, w.MET, start, stop)
			}
			if a.Pointing.RA != w.RA || a.Pointing.Dec != w.Dec || math.Abs(*a.Pointing.Roll-w.Roll) > 1e-9 || *a.Exposure != w.Exposure {
				t.Errorf("%s row %d: pointing %+v roll %v exposure %v, want (%v, %v) roll %v exposure %v", c.file, n, a.Pointing, *a.Pointing.Roll, *a.Exposure, w.RA, w.Dec, w.Roll, w.Exposure)
			}
			if a.Kind != activities.KindPlanned || a.Fidelity != c.fid || a.Facility != "Fermi" || a.Instrument != "LAT" || a.Programme.ID != "week 875" {
				t.Errorf("%s row %d: %s %s %s %s %s", c.file, n, a.Kind, a.Fidelity, a.Facility, a.Instrument, a.Programme.ID)
			}
		}
		if n != 10 || len(res.Activities) != n || res.Records != 10 {
			t.Errorf("%s: astropy %d rows, connector %d activities of %d records (skipped %v)", c.file, n, len(res.Activities), res.Records, res.Skipped)
		}
	}
}

// TestFieldOfView: the footprint is a cone of 2.4 sr about the z axis.
func TestFieldOfView(t *testing.T) {
	if r := FOVRadius(); math.Abs(2*math.Pi*(1-math.Cos(r*math.Pi/180))-2.4) > 1e-12 || r < 51 || r > 53 {
		t.Errorf("radius %v° does not subtend 2.4 sr", r)
	}
	res, err := Parse(archivetest.Read(t, final))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Activities {
		if len(a.Footprints) != 1 || len(a.Footprints[0].Polygon) != FOVVertices {
			t.Fatalf("%s: footprints %v", a.ID, a.Footprints)
		}
		for _, v := range a.Footprints[0].Polygon {
			if d := separation(a.Pointing.RA, a.Pointing.Dec, v[0], v[1]); math.Abs(d-FOVRadius()) > 1e-9 {
				t.Errorf("%s: vertex %v at %v° from the z axis, want %v°", a.ID, v, d, FOVRadius())
			}
		}
	}
}

// TestPrelimThenFinal: the final file's row of a minute replaces the
// preliminary one (same ID, higher revision).
func TestPrelimThenFinal(t *testing.T) {
	p, _ := Parse(archivetest.Read(t, prelim))
	f, _ := Parse(archivetest.Read(t, final))
	for i := range p.Activities {
		if p.Activities[i].ID != f.Activities[i].ID || p.Activities[i].Revision >= f.Activities[i].Revision {
			t.Errorf("row %d: prelim %s rev %d, final %s rev %d", i, p.Activities[i].ID, p.Activities[i].Revision, f.Activities[i].ID, f.Activities[i].Revision)
		}
	}
}

// TestContract: what the connector relies on, each with its source.
func TestContract(t *testing.T) {
	const (
		ingest = "NASA-ACROSS/across-data-ingestion@0a13ea2759db6782b7e343d9e183e4df7b872508:across_data_ingestion/tasks/schedules/fermi/lat_planned.py"
		ft2    = "fermi-lat/fitsGen@348eac317f345376c35a61c6fe33196ec3c1ffdf:data/ft2.tpl"
		paper  = "Atwood et al. 2009, ApJ 697, 1071 (arXiv:0902.1089), abstract"
	)
	body := archivetest.Read(t, final)
	rows := []struct {
		what, cite string
		ok         bool
	}{
		{"BaseURL is FERMI_LAT_POINTING_FILE_BASE_PATH", ingest, BaseURL == "https://fermi.gsfc.nasa.gov/ssc/observations/timeline/ft2/files/"},
		{"file name FERMI_POINTING_<kind>_<week>_<start YYYYDDD>_<end YYYYDDD>_<version>.fits (get_pointing_filenames, calculate_date_from_fermi_week)", ingest,
			FileName("FINAL", 875, 0) == "FERMI_POINTING_FINAL_875_2025065_2025072_00.fits" && FileName("FINAL", 23, 0) == "FERMI_POINTING_FINAL_023_2008311_2008318_00.fits"},
		{"week 23 starts on day 311 of 2008 (FERMI_JD_WEEK_23)", ingest, WeekStart(23).Equal(time.Date(2008, 11, 6, 0, 0, 0, 0, time.UTC)) && Week(time.Date(2025, 3, 12, 23, 0, 0, 0, time.UTC)) == 875},
		{"PRELIM is low fidelity, FINAL high (transform_to_schedule)", ingest, fidelityOf("FERMI_POINTING_PRELIM_878_2025086_2025093_01.fits") == activities.FidelityLow && fidelityOf("FERMI_POINTING_FINAL_875_2025065_2025072_00.fits") == activities.FidelityHigh},
		{"bandpass 0.02-300 GeV (FERMI_LAT_MIN_ENERGY, FERMI_LAT_MAX_ENERGY)", ingest, bandOK()},
		{"IN_SAA rows dropped (get_planned_schedule_data)", ingest, saaSkipped(t, body)},
		{"exposure STOP - START (transform_to_observation)", ingest, firstExposure(t, body) == 60},
		{"EXTNAME SC_DATA", ft2, Table == "SC_DATA"},
		{"START, STOP: interval in mission elapsed time, s", ft2, hasColumns(Columns, "START", "STOP")},
		{"RA_SCZ, DEC_SCZ: RA/Dec of the LAT +z axis, deg", ft2, hasColumns(Columns, "RA_SCZ", "DEC_SCZ")},
		{"RA_SCX, DEC_SCX: RA/Dec of the LAT +x axis, deg", ft2, hasColumns(Columns, "RA_SCX", "DEC_SCX")},
		{"IN_SAA: logical, whether the spacecraft was in the SAA", ft2, hasColumns(Columns, "IN_SAA")},
		{"TIMESYS TT, MJDREFI 51910, MJDREFF 7.428703703703703D-4 (mission time 0 = 2001-01-01T00:00:00 UTC)", ft2, metZero(t)},
		{"FILENAME: name of this file (its kind and week)", ft2, hasColumns(Keywords, "FILENAME", "DATE")},
		{"LAT field of view 2.4 sr", paper, FieldOfView == 2.4},
		{"LAT energy range 20 MeV to more than 300 GeV", paper, bandOK()},
	}
	for _, r := range rows {
		if !r.ok {
			t.Errorf("%s (%s)", r.what, r.cite)
		}
	}
}

func fidelityOf(name string) activities.Fidelity {
	f, _, err := ParseFileName(name)
	if err != nil {
		return ""
	}
	return f
}

func bandOK() bool {
	b := lat()
	lo, hi := b.Energies()
	return math.Abs(float64(lo)-20e6) < 1e-3 && math.Abs(float64(hi)-300e9)/300e9 < 1e-9
}

func hasColumns(list []string, names ...string) bool {
	for _, n := range names {
		found := false
		for _, c := range list {
			found = found || c == n
		}
		if !found {
			return false
		}
	}
	return true
}

func firstExposure(t *testing.T, b []byte) float64 {
	res, err := Parse(b)
	if err != nil || len(res.Activities) == 0 {
		t.Fatal(err)
	}
	return *res.Activities[0].Exposure
}

// saaSkipped sets IN_SAA on the first row (a synthetic edit of the
// recorded file) and checks that row becomes a counted skip.
func saaSkipped(t *testing.T, b []byte) bool {
	edited := setLogical(t, b, "IN_SAA", 'T')
	res, err := Parse(edited)
	return err == nil && res.Skipped[SkipInSAA] == 1 && len(res.Activities) == 9 && res.Records == 10
}

func metZero(t *testing.T) bool {
	f := file{mjdrefi: 51910, mjdreff: 7.428703703703703e-4}
	z, err := f.time(0)
	return err == nil && z.Equal(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC))
}

// setLogical overwrites the first row's byte of a logical column.
func setLogical(t *testing.T, b []byte, col string, v byte) []byte {
	t.Helper()
	off := columnOffset(t, b, col)
	out := bytes.Clone(b)
	out[off] = v
	return out
}

// columnOffset is the byte offset of col in the first row of SC_DATA:
// the table's data starts after the primary header and the table header
// (each ends with the block holding its END card); the column's place in
// a row is read with vo/fits.
func columnOffset(t *testing.T, b []byte, col string) int {
	t.Helper()
	r := fits.NewReader(bytes.NewReader(b), fits.Options{})
	for {
		h, err := r.NextHDU()
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == Table {
			break
		}
	}
	i := r.Table().ColumnIndex(col)
	data := headerEnd(t, b, headerEnd(t, b, 0))
	if i < 0 || len(b) < data+r.Table().Columns[i].Offset+1 {
		t.Fatalf("no %s", col)
	}
	return data + r.Table().Columns[i].Offset
}

// headerEnd returns the offset of the block after the header starting at
// off (the primary HDU has no data).
func headerEnd(t *testing.T, b []byte, off int) int {
	for p := off; p+80 <= len(b); p += 80 {
		if string(b[p:p+8]) == "END     " {
			return (p/2880 + 1) * 2880
		}
	}
	t.Fatal("no END card")
	return 0
}

func separation(ra1, dec1, ra2, dec2 float64) float64 {
	return astro.Separation(astro.Deg(ra1), astro.Deg(dec1), astro.Deg(ra2), astro.Deg(dec2)).Deg()
}

func TestSchemaDrift(t *testing.T) {
	body := archivetest.Read(t, final)
	var se *connectors.SchemaError
	for _, c := range Columns {
		b := bytes.Replace(body, []byte(pad8("'"+c+"'")), []byte(pad8("'X"+c[1:]+"'")), 1)
		if _, err := Parse(b); !errors.As(err, &se) || se.Column != c {
			t.Errorf("without %s: %v", c, err)
		}
	}
	for _, c := range []struct{ from, to, card string }{
		{"TIMESYS = 'TT      '", "TIMESYS = 'UTC     '", "TIMESYS"},
		{"FILENAME= 'FERMI_POINTING_FINAL", "FILENAME= 'FERMI_POINTING_DRAFT", "FILENAME"},
		{"MJDREFF = '7.428703703703703D-4'", "MJDREFF = 'seven point four    '", "MJDREFF"},
		{"DATE    = '2025-02-28T22:11:02'", "DATE    = 'last thursday      '", "DATE"},
	} {
		b := bytes.Replace(body, []byte(c.from), []byte(c.to), 1)
		if bytes.Equal(b, body) {
			t.Fatalf("%q not in the file", c.from)
		}
		if _, err := Parse(b); !errors.As(err, &se) || se.Column != c.card {
			t.Errorf("%s changed: %v", c.card, err)
		}
	}
	if _, err := Parse(body[:2880]); !errors.As(err, &se) || se.Column != Table {
		t.Errorf("no table: %v", err)
	}
	var he *connectors.HTMLError
	if _, err := Parse([]byte("<html><title>Not Found</title></html>")); !errors.As(err, &he) {
		t.Errorf("HTML: %v", err)
	}
	if _, err := Parse(body[:5*2880-100]); err == nil || !strings.Contains(err.Error(), "fermi-lat") {
		t.Errorf("truncated: %v", err)
	}
}

func pad8(s string) string {
	for len(s) < 10 {
		s = s[:len(s)-1] + " '"
	}
	return s
}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{URL: BaseURL + "FERMI_POINTING_FINAL_875_2025065_2025072_00.fits",
		HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	err := vcrtest.NewCassette("testdata/pointing", "body = testdata/FERMI_POINTING_FINAL_875_2025065_2025072_00.fits (NASA-ACROSS/across-data-ingestion@f56cc932b4c63235f3735c468044b8485fdca843 tests/tasks/schedules/fermi/mocks/: the real FSSC file of week 875, trimmed to 10 rows upstream), unchanged; the request is the GET of BaseURL + its name").
		Add(vcrtest.Interaction{URL: BaseURL + "FERMI_POINTING_FINAL_875_2025065_2025072_00.fits", ContentType: "application/fits", Body: archivetest.Read(t, final), Provenance: "recorded, unchanged"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/pointing", window, 10)
}

func TestFaults(t *testing.T) {
	faulttest.Run(t, faulttest.Harness{
		Open: func(u string, retries int) (activities.Source, error) {
			return New(Options{URL: u + "/FERMI_POINTING_FINAL_875_2025065_2025072_00.fits", HTTPOptions: connectors.HTTPOptions{Retries: retries, RatePerHost: -1}})
		},
		Good: archivetest.Read(t, final), ContentType: "application/fits", Window: window, Want: 10,
	})
}

func TestOptions(t *testing.T) {
	now := func() time.Time { return time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC) }
	s, err := New(Options{Now: now})
	if err != nil || s.URL() != BaseURL+"FERMI_POINTING_FINAL_875_2025065_2025072_00.fits" {
		t.Errorf("default: %v %v", s, err)
	}
	s, err = New(Options{Now: now, Kind: "PRELIM", Week: 878})
	if err != nil || s.URL() != BaseURL+"FERMI_POINTING_PRELIM_878_2025086_2025093_00.fits" {
		t.Errorf("prelim 878: %v %v", s, err)
	}
	if _, err := New(Options{Kind: "DRAFT"}); err == nil {
		t.Error("kind DRAFT accepted")
	}
	if _, err := New(Options{Week: 3}); err == nil {
		t.Error("week 3 accepted")
	}
	if _, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"week": "soon"}}); err == nil {
		t.Error("week soon accepted")
	}
	if _, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"color": "red"}}); err == nil {
		t.Error("unknown setting accepted")
	}
	for _, n := range []string{"FERMI_POINTING_FINAL_x_1_2_00.fits", "FERMI_POINTING_FINAL.fits", "NICER_POINTING_FINAL_875_2025065_2025072_00.fits"} {
		if _, _, err := ParseFileName(n); err == nil {
			t.Errorf("%s accepted", n)
		}
	}
	if Week(time.Date(2008, 11, 5, 0, 0, 0, 0, time.UTC)) != 22 || Week(WeekStart(900)) != 900 || Week(WeekStart(900).Add(-time.Second)) != 899 {
		t.Error("Week")
	}
}

func TestRecognize(t *testing.T) {
	b := archivetest.Read(t, prelim)
	if got := connectors.Recognize("x/renamed.fits", b[:connectors.HeadSize]); got != Name {
		t.Errorf("recognized as %q", got)
	}
	if connectors.Recognize("x/FERMI_POINTING_FINAL.csv", []byte("ObsID,Target")) == Name {
		t.Error("a CSV recognized")
	}
}

func BenchmarkNormalize(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, final), Parse)
}

func FuzzParse(f *testing.F) {
	f.Add(archivetest.Read(f, final))
	f.Add(archivetest.Read(f, prelim))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(b)
		archivetest.Check(t, res, err)
	})
}
