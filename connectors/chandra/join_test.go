package chandra

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestJoinRepliesIsTheLiveListing: the recorded cxc.observation reply
// alone gives what the listing without plans gives over the cassette; with
// an ivoa.obsplan reply (synthetic: no recorded one exists, see
// PROVENANCE.md), what the live listing gives when the service answers
// both queries with them.
func TestJoinRepliesIsTheLiveListing(t *testing.T) {
	obs := connectors.Recorded{Name: reply, Body: archivetest.Read(t, reply)}
	live, err := activities.Collect(archivetest.Replay(t, open, "testdata/cxctap").Activities(t.Context(), window))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := connectors.ParseReplies(Name, obs)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("observations alone differ from the listing without plans (-live +recorded):\n%s", d)
	}

	plans := plansVOTable([3]string{"29892", "NGC 4472", "20000"}, [3]string{"30982", "Sgr A*", ""})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		if strings.Contains(r.FormValue("QUERY"), "ivoa.obsplan") {
			w.Write(plans)
			return
		}
		w.Write(obs.Body)
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL, NoAsFlown: true, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
	if err != nil {
		t.Fatal(err)
	}
	live, err = activities.Collect(s.Activities(t.Context(), window))
	if err != nil {
		t.Fatal(err)
	}
	rep, err = connectors.ParseReplies(Name, connectors.Recorded{Name: "obsplan_synthetic.xml", Body: plans}, obs)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(live, rep.Activities); d != "" {
		t.Errorf("joined replies differ from the live listing (-live +joined):\n%s", d)
	}
	if rep.Activities[0].Target.Name != "NGC 4472" || rep.Warnings[WarnNoExposure] != 18 {
		t.Errorf("join: %q, warnings %v", rep.Activities[0].Target.Name, rep.Warnings)
	}
}

func FuzzJoinReplies(f *testing.F) {
	f.Add(archivetest.Read(f, reply), plansVOTable([3]string{"29892", "NGC 4472", "20000"}))
	f.Fuzz(func(t *testing.T, obs, plans []byte) {
		res, err := JoinReplies([]connectors.Recorded{{Name: "o.xml", Body: obs, Role: RoleObservations}, {Name: "p.xml", Body: plans, Role: RolePlans}})
		archivetest.Check(t, res, err)
	})
}
