package chandra

import (
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// asFlownReply is SYNTHETIC (no recorded as-flown reply of CXC TAP exists;
// see testdata/PROVENANCE.md): the columns of ACROSS's as-flown query plus
// status, invented values.
const asFlownReply = "testdata/cxc_tap_asflown_observations_synthetic.xml"

// asFlownWindow holds the synthetic as-flown rows (2025-06-25..07-01) and
// the recorded scheduled ones (2025-07-01..06).
var asFlownWindow = activities.Window{Start: time.Date(2025, 6, 24, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)}

// asFlownRows is an independent reading of the synthetic reply, one line
// per TR (the unobserved row is skipped, so not here).
var asFlownRows = []struct {
	obsid, start, target, proposal string
	kind                           activities.Kind
	inst, grating, mode            string
	ra, dec                        float64
	ks                             float64 // -1: none
	loKeV, hiKeV                   float64
}{
	{"29611", "2025-06-25T03:14:07Z", "SYNTHETIC Crab", "26100123", activities.KindArchived, "ACIS-S", "HETG", "TE", 83.63308333333333, 22.0145, 50.03, 0.6, 10},
	{"29612", "2025-06-27T10:02:41Z", "SYNTHETIC Mkn 421", "26200456", activities.KindCompleted, "HRC-S", "LETG", "", 166.11380833333334, 38.20883333333333, 30.1, 0.1, 6},
	{"29613", "2025-06-29T18:45:00Z", "SYNTHETIC Sgr A*", "26620789", activities.KindCompleted, "ACIS-S", "NONE", "CC", 266.41683333333333, -29.007805555555555, -1, 0.1, 10},
	{"30986", "2025-07-01T21:12:12Z", "SYNTHETIC V2487 Oph", "26400011", activities.KindCompleted, "ACIS-S", "NONE", "TE", 262.6729583333333, -21.491667, 9.84, 0.1, 10},
}

func TestAsFlownRows(t *testing.T) {
	res, err := ParseAsFlown(archivetest.Read(t, asFlownReply))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 5 || len(res.Activities) != 4 || res.Skipped[SkipNotFlown] != 1 || res.Warnings[WarnNoFlownExposure] != 1 {
		t.Fatalf("records %d, activities %d, skipped %v, warnings %v", res.Records, len(res.Activities), res.Skipped, res.Warnings)
	}
	for i, w := range asFlownRows {
		a := res.Activities[i]
		start, _ := time.Parse(time.RFC3339, w.start)
		if a.ID != "chandra:"+w.obsid || a.DatasetID != w.obsid || !a.Start.Equal(start) || a.Kind != w.kind || a.Fidelity != activities.FidelityHigh {
			t.Errorf("row %d: %s %s %s %s/%s", i, a.ID, a.DatasetID, a.Start, a.Kind, a.Fidelity)
		}
		if a.Target.Name != w.target || a.Programme.ID != w.proposal || a.Instrument != w.inst || a.Mode != w.mode {
			t.Errorf("row %d: target %q programme %q %s %q", i, a.Target.Name, a.Programme.ID, a.Instrument, a.Mode)
		}
		if wantFilter := strings.TrimPrefix(w.grating, "NONE"); a.Filter != wantFilter {
			t.Errorf("row %d: filter %q, want %q", i, a.Filter, wantFilter)
		}
		if a.Pointing == nil || a.Pointing.RA != w.ra || a.Pointing.Dec != w.dec {
			t.Errorf("row %d: pointing %v", i, a.Pointing)
		}
		if w.ks < 0 {
			if a.Exposure != nil || !a.End.IsZero() {
				t.Errorf("row %d: exposure %v end %s, want none", i, a.Exposure, a.End)
			}
		} else if a.Exposure == nil || math.Abs(*a.Exposure-w.ks*1000) > 1e-6 || math.Abs(a.End.Sub(start).Seconds()-w.ks*1000) > 1e-3 {
			t.Errorf("row %d: exposure %v end %s, want %v s", i, a.Exposure, a.End, w.ks*1000)
		}
		lo, hi := a.Bandpass.Energies()
		if math.Abs(float64(lo)/1e3-w.loKeV) > 1e-9 || math.Abs(float64(hi)/1e3-w.hiKeV) > 1e-9 {
			t.Errorf("row %d: bandpass %v..%v eV", i, lo, hi)
		}
		if a.Revision != activities.Revision(w.kind, time.Time{}) || a.Revision <= activities.Revision(activities.KindPlanned, time.Time{}) {
			t.Errorf("row %d: revision %x does not supersede the planned one", i, a.Revision)
		}
	}
}

// TestAsFlownContract: the as-flown query, status values and units, with
// their sources.
func TestAsFlownContract(t *testing.T) {
	const asflown = "NASA-ACROSS/across-data-ingestion@ac21280f42e3df737232e1c453da731ef812350d:across_data_ingestion/tasks/schedules/chandra/as_flown.py"
	const olist = "CXC, Chandra Observations Processing Status Fields, http://cxc.harvard.edu/soft/op/op_olist.html (OCat Status)"
	q, _ := AsFlownQuery(window)
	res, _ := ParseAsFlown(archivetest.Read(t, asFlownReply))
	cases := []struct{ what, got, want, cite string }{
		{"as-flown query", q, "SELECT o.obsid, o.start_date, o.ra, o.dec, o.instrument, o.grating, o.exposure_mode, o.status, o.target_name, o.exposure_time, o.proposal_number FROM cxc.observation o WHERE o.status IN ('observed', 'archived') AND o.start_date >= '2025-06-28 00:00:00' AND o.start_date < '2025-07-08 00:00:00' ORDER BY o.start_date",
			asflown + " get_observation_data_from_tap (columns, status='observed', start_date literal); 'archived' and status as a column: " + olist},
		{"observed is completed", string(res.Activities[1].Kind), string(activities.KindCompleted), asflown + " status=PERFORMED for status='observed'"},
		{"archived is archived", string(res.Activities[0].Kind), string(activities.KindArchived), olist + " (data products in the archive)"},
		{"exposure_time is in ks", time.Duration(*res.Activities[3].Exposure * float64(time.Second)).String(), "2h44m0s",
			asflown + " transform_to_observation (exposure_time * 1000.0 s; end = start_date + that)"},
		{"proposal_number is the programme", res.Activities[0].Programme.ID, "26100123", asflown + " proposal_reference=str(proposal_number)"},
		{"target_name is the object", res.Activities[0].Target.Name, "SYNTHETIC Crab", asflown + " object_name=target_name"},
		{"same ID as the scheduled observation", res.Activities[3].ID, activities.NewID(Name, "30986"), asflown + " external_observation_id=str(obsid), as in high_fidelity_planned.py"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s:\n got %s\nwant %s\n(%s)", c.what, c.got, c.want, c.cite)
		}
	}
}

func TestAsFlownSchemaDrift(t *testing.T) {
	body := string(archivetest.Read(t, asFlownReply))
	var se *connectors.SchemaError
	for _, col := range append(append([]string{}, observationColumns...), asFlownColumns...) {
		b := strings.Replace(body, `name="`+col+`"`, `name="renamed"`, 1)
		if _, err := ParseAsFlown([]byte(b)); !errors.As(err, &se) || se.Column != col {
			t.Errorf("without %s: %v", col, err)
		}
	}
	// Text in a double column: the VOTable reader gives no value (or an
	// error); either way no exposure is made up.
	b := strings.Replace(body, "<TD>50.03</TD>", "<TD>long</TD>", 1)
	if res, err := ParseAsFlown([]byte(b)); err == nil && (res.Activities[0].Exposure != nil || res.Warnings[WarnNoFlownExposure] != 2) {
		t.Errorf("text in exposure_time: exposure %v, warnings %v", res.Activities[0].Exposure, res.Warnings)
	}
	b = strings.Replace(body, "<TD>50.03</TD>", "<TD>9000</TD>", 1)
	if res, err := ParseAsFlown([]byte(b)); err != nil || res.Activities[0].Exposure != nil || res.Warnings[WarnNoFlownExposure] != 2 {
		t.Errorf("a 9000 ks exposure: %v %v", err, res)
	}
	// The scheduled parser reads the as-flown reply's common columns, and
	// the formats tell the two replies apart.
	if recognizeScheduled(asFlownReply, []byte(body)) || !recognizeAsFlown(asFlownReply, []byte(body)) {
		t.Error("the as-flown reply is not told apart from the scheduled one")
	}
	sched := archivetest.Read(t, reply)
	if !recognizeScheduled(reply, sched) || recognizeAsFlown(reply, sched) {
		t.Error("the scheduled reply is not told apart from the as-flown one")
	}
}

func TestOpenSettings(t *testing.T) {
	for _, v := range []string{"", "true", "false"} {
		s, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"asflown": v}})
		if err != nil {
			t.Fatalf("asflown=%q: %v", v, err)
		}
		if got := s.(*Source).o.NoAsFlown; got != (v == "false") {
			t.Errorf("asflown=%q: NoAsFlown %v", v, got)
		}
	}
	if _, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"asflown": "maybe"}}); !errors.Is(err, connectors.ErrInvalid) {
		t.Errorf("asflown=maybe: %v", err)
	}
	if _, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"timeline": "planned"}}); err == nil {
		t.Error("an undeclared setting was accepted")
	}
}

// serveBoth answers the as-flown query with flown, ivoa.obsplan with
// plans, and the scheduled query with the recorded reply.
func serveBoth(t *testing.T, flown, plans []byte) *httptest.Server {
	sched := archivetest.Read(t, reply)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		switch q := r.FormValue("QUERY"); {
		case strings.Contains(q, "ivoa.obsplan"):
			w.Write(plans)
		case strings.Contains(q, "exposure_time"):
			w.Write(flown)
		default:
			w.Write(sched)
		}
	}))
}

// TestAsFlownListing: the default listing gives the as-flown rows, then the
// scheduled ones but 30986, which the as-flown rows list as completed; the
// recorded replies joined give the same.
func TestAsFlownListing(t *testing.T) {
	flown := archivetest.Read(t, asFlownReply)
	plans := plansVOTable([3]string{"29892", "NGC 4472", "20000"})
	srv := serveBoth(t, flown, plans)
	defer srv.Close()
	s, err := New(Options{URL: srv.URL, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
	if err != nil {
		t.Fatal(err)
	}
	live, err := activities.Collect(s.Activities(t.Context(), asFlownWindow))
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 22 {
		t.Fatalf("%d activities, want 4 as flown + 18 scheduled", len(live))
	}
	n := 0
	for _, a := range live {
		if a.ID == "chandra:30986" {
			n++
			if a.Kind != activities.KindCompleted || a.Target.Name != "SYNTHETIC V2487 Oph" {
				t.Errorf("30986: %s %q, want the as-flown revision", a.Kind, a.Target.Name)
			}
		}
	}
	if n != 1 {
		t.Errorf("30986 listed %d times", n)
	}
	rep, err := connectors.ParseReplies(Name,
		connectors.Recorded{Name: reply, Body: archivetest.Read(t, reply)},
		connectors.Recorded{Name: "obsplan_synthetic.xml", Body: plans},
		connectors.Recorded{Name: asFlownReply, Body: flown})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("joined replies differ from the live listing (-live +joined):\n%s", d)
	}
	if rep.Records != 24 || rep.Skipped[SkipAsFlown] != 1 || rep.Skipped[SkipNotFlown] != 1 {
		t.Errorf("records %d, skipped %v", rep.Records, rep.Skipped)
	}
	one, err := connectors.ParseReplies(AsFlownFormat, connectors.Recorded{Name: asFlownReply, Body: flown})
	if err != nil || len(one.Activities) != 4 {
		t.Errorf("the %s format: %v %v", AsFlownFormat, err, one)
	}
}

// TestAsFlownFaults: a failing as-flown query ends the listing with an
// error naming the source and the query.
func TestAsFlownFaults(t *testing.T) {
	cases := []struct {
		name  string
		flown []byte
		want  string
	}{
		{"html", []byte("<!DOCTYPE html><html><head><title>Maintenance</title></head></html>"), "Maintenance"},
		{"service error", []byte(`<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">Column exposure_time not found</INFO></RESOURCE></VOTABLE>`), "exposure_time"},
		{"no status column", []byte(strings.Replace(string(archivetest.Read(t, asFlownReply)), `name="status"`, `name="state"`, 1)), `"status"`},
		{"cut", archivetest.Read(t, asFlownReply)[:900], "as flown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := serveBoth(t, c.flown, nil)
			defer srv.Close()
			s, err := New(Options{URL: srv.URL, NoPlans: true, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			if err != nil {
				t.Fatal(err)
			}
			acts, err := activities.Collect(s.Activities(t.Context(), asFlownWindow))
			var se *activities.SourceError
			if err == nil || !errors.As(err, &se) || se.Source != Name || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %d activities and %v, want an error naming the source and %q", len(acts), err, c.want)
			}
		})
	}
}

func openBoth(rt http.RoundTripper) (activities.Source, error) {
	return New(Options{URL: DefaultURL, NoPlans: true, HTTPOptions: archivetest.Offline(rt)})
}

// TestConformanceAsFlown runs the suite over the default listing (as-flown
// rows, then the scheduled ones): 4 + 18 activities.
func TestConformanceAsFlown(t *testing.T) {
	archivetest.Conformance(t, openBoth, "testdata/cxctap_asflown", asFlownWindow, 22)
}

func FuzzParseAsFlown(f *testing.F) {
	f.Add(archivetest.Read(f, asFlownReply))
	f.Add(archivetest.Read(f, reply))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseAsFlown(b)
		archivetest.Check(t, res, err)
		if sched, err := ParseObservations(b); err == nil && res != nil {
			archivetest.Check(t, Merge(res, sched), nil)
		}
	})
}
