package euclid

import (
	"errors"
	"flag"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	file   = "testdata/pointing_file_excerpt.txt"
	ingest = "NASA-ACROSS/across-data-ingestion@11a9ee8706f1dacc8726385ced15a173a7def56d:across_data_ingestion/tasks/schedules/euclid/"
)

// linkPage is a SYNTHETIC stand-in for the schedule page (no recording of
// it exists here): one link whose text names the .txt file, with a
// relative href as the real page's links are (ACROSS prefixes them with
// SCHEDULE_FILE_BASE_URL).
const linkPage = `<!DOCTYPE html><html><head><title>Where is Euclid observing</title></head><body>
<a href="/documents/euclid/pointing_file_excerpt.txt">pointing_file_excerpt.txt</a></body></html>`

const fileURL = "https://www.cosmos.esa.int/documents/euclid/pointing_file_excerpt.txt"

// TestRows: the excerpt's three records, read independently: START and
// SLEW are not observations; the POINTING (obs 1, pointing 1, dither 0,
// WIDE, RED grism) gives a VIS and a NISP activity.
func TestRows(t *testing.T) {
	res, err := Parse(archivetest.Read(t, file))
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped[SkipNotPointing] != 2 || len(res.Activities) != 2 || res.Records != 4 {
		t.Fatalf("records %d, activities %d, skipped %v", res.Records, len(res.Activities), res.Skipped)
	}
	start := time.Date(2024, 2, 14, 0, 30, 5, 0, time.UTC)
	poly := [][2]float64{{52.430, -57.224}, {52.355, -56.448}, {51.075, -56.478}, {51.122, -57.255}}
	for i, w := range []struct{ id, inst, mode, band string }{
		{"euclid:1-1-0-VIS", "VIS", "imaging", "550 nm – 990 nm"},
		{"euclid:1-1-0-NISP", "NISP", "grism RED", "1.25 µm – 1.85 µm"},
	} {
		a := res.Activities[i]
		if a.ID != w.id || a.Instrument != w.inst || a.Mode != w.mode || a.Bandpass.String() != w.band {
			t.Errorf("%d: %s %s %s %s", i, a.ID, a.Instrument, a.Mode, a.Bandpass)
		}
		if !a.Start.Equal(start) || !a.End.Equal(start.Add(996*time.Second)) {
			t.Errorf("%d: [%s, %s]", i, a.Start, a.End)
		}
		if a.Pointing.RA != 51.745 || a.Pointing.Dec != -56.853 || math.Abs(*a.Pointing.Roll-(360-92.463)) > 1e-9 {
			t.Errorf("%d: %v", i, a.Pointing)
		}
		for j, v := range poly {
			if a.Footprints[0].Polygon[j] != v {
				t.Errorf("%d: corner %d %v, want %v", i, j, a.Footprints[0].Polygon[j], v)
			}
		}
		if a.Programme.ID != "WIDE" || a.Kind != activities.KindPlanned || a.Fidelity != activities.FidelityLow {
			t.Errorf("%d: %+v %s %s", i, a.Programme, a.Kind, a.Fidelity)
		}
	}
	if *res.Activities[0].Exposure != 566 || *res.Activities[1].Exposure != 574 {
		t.Errorf("exposures %v %v", *res.Activities[0].Exposure, *res.Activities[1].Exposure)
	}
}

func TestContract(t *testing.T) {
	cases := []struct{ what, got, want, cite string }{
		{"page", DefaultPageURL, "https://www.cosmos.esa.int/web/euclid/where-is-euclid-observing", ingest + "low_fidelity_planned.py SCHEDULE_PAGE_URL"},
		{"columns", strings.Join(PointingColumns, " "), "record_type obs_tag mjd utc duration obs_id pointing_id dither_id patch_id quat_x quat_y quat_z quat_w center_lon center_lat pos_angle saa alpha corner_x0 corner_y0 corner_x1 corner_y1 corner_x2 corner_y2 corner_x3 corner_y3 area grism", ingest + "util.py POINTING_COLUMNS"},
		{"science tags", strings.Join(ScienceTags, " "), "WIDE SOUTH NORTH CPC DEEP INFILL COLOR ROS PHOTO-Z", ingest + "util.py SCIENCE_OBS_TAGS_PREFIXES"},
		{"VIS band", nm(visBand).String(), "550 nm – 990 nm", "NASA-ACROSS/across-data-ingestion@54a08dcdc9fdf204f4795656ab130160dd2a6da8:across_data_ingestion/tasks/schedules/euclid/constants.py EUCLID_VIS_BANDPASS, VIS 566 s"},
		{"blue grism", nm(blueGrism).String(), "920 nm – 1.25 µm", "constants.py EUCLID_NISP_BLUE_GRISM, 574 s"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s (%s)", c.what, c.got, c.want, c.cite)
		}
	}
	page, _ := url.Parse(DefaultPageURL)
	got, err := FileLink(page, []byte(linkPage))
	if err != nil || got != fileURL {
		t.Errorf("FileLink = %s, %v (ACROSS retrieve_schedule_file_path: the first <a> whose text holds .txt, prefixed with https://www.cosmos.esa.int)", got, err)
	}
	var he *connectors.HTMLError
	if _, err := FileLink(page, []byte("<html><head><title>Maintenance</title></head><body><a href='/x.pdf'>x.pdf</a></body></html>")); !errors.As(err, &he) || he.Title != "Maintenance" {
		t.Errorf("no link: %v", err)
	}
}

func TestSchemaDriftAndSkips(t *testing.T) {
	body := string(archivetest.Read(t, file))
	var se *connectors.SchemaError
	if _, err := Parse([]byte(strings.Replace(body, "51.745", "fifty", 1))); !errors.As(err, &se) || se.Column != "center_lon" {
		t.Errorf("text in center_lon: %v", err)
	}
	if _, err := Parse([]byte(strings.Replace(body, "2024-02-14T00:30:05Z", "14/02/2024", 1))); !errors.As(err, &se) || se.Column != "utc" {
		t.Errorf("bad utc: %v", err)
	}
	cal := strings.Replace(body, "POINTING WIDE", "POINTING CALIB", 1)
	res, err := Parse([]byte(cal))
	if err != nil || res.Skipped[SkipNotScience] != 1 || len(res.Activities) != 0 {
		t.Errorf("calibration pointing: %v %+v", err, res)
	}
	res, err = Parse([]byte("POINTING WIDE 1 2024-02-14T00:30:05Z 996\n"))
	if err != nil || res.Skipped[SkipShort] != 1 {
		t.Errorf("short record: %v %+v", err, res)
	}
	blue := strings.Replace(body, " RED", " BLUE", 1)
	res, _ = Parse([]byte(blue))
	if res.Activities[1].Mode != "grism BLUE" || res.Activities[1].Bandpass.String() != "920 nm – 1.25 µm" {
		t.Errorf("blue grism: %s %s", res.Activities[1].Mode, res.Activities[1].Bandpass)
	}
}

var window = activities.Window{Start: time.Date(2024, 2, 13, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC)}

func open(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{HTTPOptions: archivetest.Offline(rt)})
}

func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	err := vcrtest.NewCassette("testdata/pointings", "the page is SYNTHETIC (a link to the file; no recording of the page exists here); the file = testdata/pointing_file_excerpt.txt (see PROVENANCE.md), unchanged").
		Add(vcrtest.Interaction{URL: DefaultPageURL, ContentType: "text/html", Body: []byte(linkPage), Provenance: "SYNTHETIC page"}).
		Add(vcrtest.Interaction{URL: fileURL, ContentType: "text/plain", Body: archivetest.Read(t, file), Provenance: "recorded excerpt, unchanged"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	archivetest.Conformance(t, open, "testdata/pointings", window, 2)
}

// TestFaults: a page without the link, a file that is an HTML page, and a
// 503 of the file end the listing with an error naming the source.
func TestFaults(t *testing.T) {
	for _, c := range []struct {
		name       string
		page, file func(w http.ResponseWriter)
		want       string
	}{
		{"no link", func(w http.ResponseWriter) { w.Write([]byte("<html><head><title>Moved</title></head></html>")) }, nil, "Moved"},
		{"file is a page", nil, func(w http.ResponseWriter) {
			w.Write([]byte("<!DOCTYPE html><html><head><title>Not Found</title></head></html>"))
		}, "Not Found"},
		{"file 503", nil, func(w http.ResponseWriter) { http.Error(w, "busy", http.StatusServiceUnavailable) }, "503"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, ".txt") {
					if c.file != nil {
						c.file(w)
						return
					}
					w.Write(archivetest.Read(t, file))
					return
				}
				if c.page != nil {
					c.page(w)
					return
				}
				w.Write([]byte(linkPage))
			}))
			defer srv.Close()
			s, err := New(Options{PageURL: srv.URL + "/web/euclid/where-is-euclid-observing", HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = activities.Collect(s.Activities(t.Context(), window))
			var se *activities.SourceError
			if !errors.As(err, &se) || se.Source != Name || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error naming the source and %q", err, c.want)
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, file), Parse)
}

func FuzzParse(f *testing.F) {
	f.Add(archivetest.Read(f, file))
	f.Add([]byte("POINTING WIDE 1 2024-02-14T00:30:05Z 1e300 1 1 0 1 0 0 0 1 1e300 95 nan 0 0 0 0 0 0 0 0 0 0 0 BLUE\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(b)
		archivetest.Check(t, res, err)
	})
}
