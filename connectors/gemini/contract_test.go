package gemini

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// The upstream sources of the contract (see testdata/PROVENANCE.md).
const (
	fsCommit   = "GeminiDRSoftware/FitsStorage@426e1308a379b5a4c7d76b68936171a228c5f91c:"
	aqCommit   = "astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8:"
	citeSR     = fsCommit + "fits_storage/gemini_metadata_utils/coords.py (srtodeg: arcseconds unless suffixed d)"
	citeSRaq   = aqCommit + "astroquery/gemini/urlhelper.py (sr=%fd)"
	citeSlash  = fsCommit + "fits_storage/db/selection/get_selection.py, to_url.py (object: =slash= for /)"
	citeRange  = fsCommit + "fits_storage/gemini_metadata_utils/datestimes.py (gemini_daterange YYYYMMDD-YYYYMMDD)"
	citeLimit  = fsCommit + "fits_storage/config/fits_storage.conf (fits_closed_result_limit = 2000), fits_storage/db/list_headers.py"
	citeOpen   = fsCommit + "fits_storage/web/file_list.py (results_truncated on every open reply), fits_storage/db/selection/misc.py (openquery)"
	citeProgJS = fsCommit + "fits_storage/server/wsgi/router.py (/programinfojson/<program_id>), fits_storage/web/program.py (program_info_json)"
	citeFields = fsCommit + "fits_storage/web/file_list.py (jsonsummary: header_fields, diskfile_fields, name)"
)

// recorder is a local server that records each request's path and answers
// with reply(path).
type recorder struct {
	mu    sync.Mutex
	paths []string
}

func (r *recorder) serve(t *testing.T, reply func(path string) string, o Options) *Source {
	return newTest(t, func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.paths = append(r.paths, req.URL.EscapedPath())
		r.mu.Unlock()
		fmt.Fprint(w, reply(req.URL.Path))
	}, o)
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.paths)
}

// records returns a jsonsummary reply of n science frames on the UT day d.
func records(n int, d time.Time) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		r := strings.Replace(oneRecord[1:len(oneRecord)-1], "GN-2024A-Q-1-2-003", fmt.Sprintf("GN-2024A-Q-1-2-%s-%04d", d.Format("0102"), i), 1)
		r = strings.Replace(r, "2024-01-01 10:00:00.5", d.Add(time.Duration(i)*time.Second).Format("2006-01-02 15:04:05.0"), 1)
		b.WriteString(r)
	}
	b.WriteByte(']')
	return b.String()
}

func TestContract(t *testing.T) {
	ra, dec, sr := 150.0, 2.2, 0.01
	archivetest.RunContract(t, []archivetest.Row{
		{Name: "request: sr= in degrees with the d suffix (0.01° -> sr=0.01d, not 0.01 arcsec)", Cite: citeSR + "; " + citeSRaq, Check: func(t *testing.T) {
			var rec recorder
			s := rec.serve(t, func(string) string { return "[]" }, Options{Query: Query{RA: &ra, Dec: &dec, SR: &sr}})
			if _, err := activities.Collect(s.Activities(t.Context(), day)); err != nil {
				t.Fatal(err)
			}
			p := rec.got()
			if len(p) != 1 || !strings.Contains(p[0], "/ra=150/dec=2.2/sr=0.01d") {
				t.Fatalf("sent %v, want .../ra=150/dec=2.2/sr=0.01d", p)
			}
		}},
		{Name: "request: object names with / use =slash=", Cite: citeSlash, Check: func(t *testing.T) {
			var rec recorder
			s := rec.serve(t, func(string) string { return "[]" }, Options{Query: Query{Object: "PKS 1510/089"}})
			if _, err := activities.Collect(s.Activities(t.Context(), day)); err != nil {
				t.Fatal(err)
			}
			if p := rec.got(); len(p) != 1 || !strings.HasSuffix(p[0], "/object=PKS%201510=slash=089") {
				t.Fatalf("sent %v", p)
			}
		}},
		{Name: "request: a dated window is a YYYYMMDD-YYYYMMDD range (closed query)", Cite: citeRange, Check: func(t *testing.T) {
			s, _ := New(Options{})
			w := activities.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 3)}
			if u := s.URL(w); !strings.HasSuffix(u, "/jsonsummary/notengineering/NotFail/20240101-20240103") {
				t.Fatalf("URL %s", u)
			}
		}},
		{Name: "response: a closed reply of exactly 2000 records is split until no reply is cut", Cite: citeLimit, Check: func(t *testing.T) {
			var rec recorder
			w := activities.Window{Start: day.Start, End: day.Start.AddDate(0, 0, 4)}
			s := rec.serve(t, func(p string) string {
				switch {
				case strings.HasSuffix(p, "/20240101-20240104"), strings.HasSuffix(p, "/20240101-20240102"):
					return records(ClosedResultLimit, day.Start) // cut: split again
				case strings.HasSuffix(p, "/20240101"):
					return records(3, day.Start)
				case strings.HasSuffix(p, "/20240102"):
					return records(2, day.Start.AddDate(0, 0, 1))
				case strings.HasSuffix(p, "/20240103-20240104"):
					return records(1, day.Start.AddDate(0, 0, 2))
				}
				return "[]"
			}, Options{})
			var st connectors.Stats
			acts, err := activities.Collect(s.Activities(connectors.WithStats(context.Background(), &st), w))
			if err != nil || len(acts) != 6 {
				t.Fatalf("%d activities, %v; requests %v", len(acts), err, rec.got())
			}
			want := []string{"20240101-20240104", "20240101-20240102", "20240101", "20240102", "20240103-20240104"}
			got := rec.got()
			for i := range got {
				got[i] = got[i][strings.LastIndex(got[i], "/")+1:]
			}
			if !slices.Equal(got, want) {
				t.Errorf("requests %v, want %v", got, want)
			}
			if st.Counts()["warning: closed-query limit reached: window split"] != 2 {
				t.Errorf("stats %v", &st)
			}
		}},
		{Name: "response: a single UT day answered with exactly 2000 records is reported truncated", Cite: citeLimit, Check: func(t *testing.T) {
			var rec recorder
			s := rec.serve(t, func(string) string { return records(ClosedResultLimit, day.Start) }, Options{})
			acts, err := activities.Collect(s.Activities(t.Context(), day))
			var te *connectors.TruncatedError
			if !errors.As(err, &te) || te.Limit != ClosedResultLimit || len(acts) != ClosedResultLimit {
				t.Fatalf("%d activities, %v", len(acts), err)
			}
		}},
		{Name: "response: results_truncated marks open queries: reported truncated", Cite: citeOpen, Check: func(t *testing.T) {
			var rec recorder
			s := rec.serve(t, func(string) string {
				return strings.Replace(oneRecord, `"data_label"`, `"results_truncated": true, "data_label"`, 1)
			}, Options{AllDates: true, Query: Query{Object: "NGC 1"}})
			_, err := activities.Collect(s.Activities(t.Context(), day))
			if !errors.Is(err, connectors.ErrTruncated) || !strings.Contains(err.Error(), "open query") {
				t.Fatalf("got %v", err)
			}
		}},
		{Name: "request/response: /programinfojson/<id> with pi_name, co_names, title, not_found", Cite: citeProgJS, Check: func(t *testing.T) {
			var rec recorder
			s := rec.serve(t, func(p string) string {
				if strings.HasPrefix(p, "/programinfojson/") {
					return strings.Replace(programJSON, "Ada Lovelace", "Ada Lovelace &amp; Co", 1)
				}
				return oneRecord
			}, Options{MaxProgramInfo: 2})
			acts, err := activities.Collect(s.Activities(t.Context(), day))
			if err != nil || len(acts) != 1 || acts[0].Programme.PI != "Ada Lovelace & Co" || len(acts[0].Programme.Investigators) != 2 {
				t.Fatalf("%v %+v", err, acts)
			}
			if p := rec.got(); len(p) != 2 || p[1] != "/programinfojson/GN-2024A-Q-1" {
				t.Fatalf("requests %v", p)
			}
			if _, err := ParseProgramInfoJSON([]byte(`{"program_id": "X", "not_found": true}`)); !errors.Is(err, ErrNoProgramInfo) {
				t.Errorf("not_found: %v", err)
			}
		}},
		{Name: "response: every jsonsummary key read is one the archive writes", Cite: citeFields, Check: func(t *testing.T) {
			upstream := []string{ // header_fields, diskfile_fields and the keys jsonsummary adds
				"program_id", "engineering", "science_verification", "processing", "calibration_program",
				"observation_id", "data_label", "telescope", "instrument", "ut_datetime", "local_time",
				"observation_type", "observation_class", "object", "ra", "dec", "azimuth", "elevation",
				"cass_rotator_pa", "airmass", "filter_name", "exposure_time", "disperser", "camera",
				"central_wavelength", "wavelength_band", "focal_plane_mask", "detector_binning", "spectroscopy",
				"mode", "adaptive_optics", "laser_guide_star", "wavefront_sensor", "gcal_lamp", "raw_iq", "raw_cc",
				"raw_wv", "raw_bg", "requested_iq", "requested_cc", "requested_wv", "requested_bg", "qa_state",
				"release", "reduction", "types", "phot_standard", "filename", "path", "compressed", "file_size",
				"data_size", "file_md5", "data_md5", "lastmod", "mdready", "entrytime", "present", "canonical",
				"name", "size", "md5", "pending_ingest", "results_truncated"}
			rt := reflect.TypeFor[rawRecord]()
			for i := range rt.NumField() {
				key, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
				if key != "" && !slices.Contains(upstream, key) {
					t.Errorf("the parser reads %q, which jsonsummary does not write", key)
				}
			}
		}},
	})
}

// FuzzParseProgramInfoJSON: any bytes give a programme or an error, never a
// panic; a programme has no HTML entities left.
func FuzzParseProgramInfoJSON(f *testing.F) {
	f.Add([]byte(programJSON))
	f.Add([]byte(`{"program_id": "X", "not_found": true}`))
	f.Add([]byte(`{"not_found": false, "pi_name": "A &amp; B", "co_names": ",,"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProgramInfoJSON(b)
		if err == nil && strings.Contains(p.PI, "&amp;") {
			t.Fatalf("PI %q still escaped", p.PI)
		}
	})
}
