package hst

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestTimelineContract: what a weekly timeline row's times mean, from
// STScI's "How to Read a Weekly Timeline"
// (http://www.stsci.edu/observing/weekly_timeline_help.html): Begin UT is
// the earliest start and End UT the latest end of the row's scheduling
// unit, shared by its exposures; the exposure's own length is the
// "Exposure Time(sec)" column.
func TestTimelineContract(t *testing.T) {
	const cite = "http://www.stsci.edu/observing/weekly_timeline_help.html (Begin UT: earliest start of the SU; End UT: latest end of the SU; the times are SU times)"
	body := archivetest.Read(t, "testdata/timeline_07_28_25")
	archivetest.RunContract(t, []archivetest.Row{
		{Name: "Begin UT / End UT: the scheduling unit's window, not the exposure", Cite: cite, Check: func(t *testing.T) {
			res, err := ParseTimeline(body)
			if err != nil || len(res.Activities) == 0 {
				t.Fatal(err)
			}
			for _, a := range res.Activities {
				window := a.End.Sub(a.Start).Seconds()
				if a.Exposure == nil || *a.Exposure > window || *a.Exposure == window {
					t.Errorf("%s: exposure %v s in a window of %v s: the exposure must be the column, shorter than the window", a.ID, a.Exposure, window)
				}
			}
		}},
		{Name: "Exposure Time(sec) longer than the window: dropped, counted", Cite: cite, Check: func(t *testing.T) {
			// the first row's 44.11 s becomes 99999.00 s in a 3336 s window
			bad := strings.Replace(string(body), "     44.11  07 01 01", "  99999.00  07 01 01", 1)
			res, err := ParseTimeline([]byte(bad))
			if err != nil {
				t.Fatal(err)
			}
			if res.Warnings[WarnExposureExceedsWindow] != 1 || res.Activities[0].Exposure != nil {
				t.Errorf("warnings %v, first exposure %v", res.Warnings, res.Activities[0].Exposure)
			}
		}},
	})
}

// TestMASTContract: the Mast.Caom.Filtered request and the reply fields,
// as MAST's own client writes and reads them.
func TestMASTContract(t *testing.T) {
	const aq = "astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8:"
	s, err := NewMAST(Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := s.RequestBody(caomWindow, 2)
	var req struct {
		Service  string `json:"service"`
		Format   string `json:"format"`
		PageSize int    `json:"pagesize"`
		Page     int    `json:"page"`
		Params   struct {
			Columns string `json:"columns"`
			Filters []struct {
				ParamName string            `json:"paramName"`
				Values    []json.RawMessage `json:"values"`
			} `json:"filters"`
		} `json:"params"`
	}
	archivetest.RunContract(t, []archivetest.Row{
		{Name: "request: POST /api/v0/invoke, form body request=<url-encoded JSON>", Cite: aq + "astroquery/mast/discovery_portal.py (MAST_REQUEST_URL, _prepare_service_request_string, service_request_async)", Check: func(t *testing.T) {
			enc, ok := strings.CutPrefix(body, "request=")
			js, err := url.QueryUnescape(enc)
			if !ok || err != nil || json.Unmarshal([]byte(js), &req) != nil {
				t.Fatalf("body %q", body)
			}
			if DefaultMASTURL != "https://mast.stsci.edu/api/v0/invoke" {
				t.Errorf("DefaultMASTURL %s", DefaultMASTURL)
			}
		}},
		{Name: "request: service Mast.Caom.Filtered, params {columns: *, filters}, format json, pagesize, page", Cite: aq + "astroquery/mast/observations.py (_caom_filtered, params columns/filters), discovery_portal.py (mashup_request)", Check: func(t *testing.T) {
			if req.Service != "Mast.Caom.Filtered" || req.Format != "json" || req.Params.Columns != "*" || req.PageSize != 5000 || req.Page != 2 {
				t.Errorf("%+v", req)
			}
		}},
		{Name: "request: filters obs_collection [HST] and t_min [{min, max}] (a continuous column)", Cite: aq + "astroquery/mast/discovery_portal.py (build_filter_set: continuous values as [{\"min\", \"max\"}])", Check: func(t *testing.T) {
			got := map[string]string{}
			for _, f := range req.Params.Filters {
				got[f.ParamName] = string(f.Values[0])
			}
			if got["obs_collection"] != `"HST"` || !strings.HasPrefix(got["t_min"], `{"max":`) || !strings.Contains(got["t_min"], `"min":`) {
				t.Errorf("filters %v", got)
			}
		}},
		{Name: "response: status EXECUTING re-asked; paging.pagesFiltered and page followed", Cite: aq + "astroquery/mast/discovery_portal.py (_request: while status == EXECUTING; paging['pagesFiltered'], paging['page'])", Check: func(t *testing.T) {
			rep, err := ParseMAST([]byte(`{"status": "EXECUTING", "msg": "", "data": [], "fields": []}`))
			if err != nil || rep.Status != MASTExecuting {
				t.Fatalf("%v %v", rep, err)
			}
		}},
		{Name: "response: every CAOM field read is a field of MAST's reply (or its columns config)", Cite: aq + "astroquery/mast/tests/data/caom.json (a real Mast.Caom reply: its fields list); " +
			aq + "astroquery/mast/tests/data/columnsconfig.json and tests/test_mast_remote.py (intentType: science or calibration)", Check: func(t *testing.T) {
			var rep struct {
				Fields []struct {
					Name string `json:"name"`
				} `json:"fields"`
			}
			if err := json.Unmarshal(archivetest.Read(t, "testdata/caom.json"), &rep); err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{"intentType": true} // in the CAOM columns config, not in the Cone reply
			for _, f := range rep.Fields {
				have[f.Name] = true
			}
			rt := reflect.TypeFor[mastRow]()
			for i := range rt.NumField() {
				if k, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); k != "" && !have[k] {
					t.Errorf("the connector reads %q, not a field of the reply", k)
				}
			}
		}},
	})
}
