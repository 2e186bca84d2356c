package nustar

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

// liveBoth lists both timelines from a local server answering the planned
// page and the numaster query with the given bodies.
func liveBoth(t *testing.T, planned, asflown []byte) []activities.Activity {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/Schedule.php") {
			w.Write(planned)
			return
		}
		w.Write(asflown)
	}))
	defer srv.Close()
	s, err := New(Options{PlannedURL: srv.URL + "/Schedule.php", TAPURL: srv.URL + "/tap", HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := activities.Collect(s.Activities(t.Context(), activities.Window{}))
	if err != nil {
		t.Fatal(err)
	}
	return acts
}

// TestJoinRepliesIsTheLiveListing: the recorded planned schedule and
// as-flown rows joined by the "nustar" format (roles recognized from the
// files) give what the listing of both timelines gives when the services
// answer with them: the as-flown observations, then the planned ones they
// do not list. The recorded files share no observation; with one planned
// row given an as-flown obsid, that observation is listed once, as
// completed.
func TestJoinRepliesIsTheLiveListing(t *testing.T) {
	planned, asflown := archivetest.Read(t, plannedFile), archivetest.Read(t, asflownFile)
	for _, tc := range []struct {
		name    string
		planned []byte
		n, dup  int
	}{
		{"recorded", planned, 8, 0},
		{"an observation in both", []byte(strings.Replace(string(planned), "71001002005", "31002031015", 1)), 7, 1},
	} {
		live := liveBoth(t, tc.planned, asflown)
		rep, err := connectors.ParseReplies(Name, connectors.Recorded{Name: plannedFile, Body: tc.planned}, connectors.Recorded{Name: asflownFile, Body: asflown})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(live, rep.Activities); d != "" {
			t.Errorf("%s: joined replies differ from the live listing (-live +joined):\n%s", tc.name, d)
		}
		if len(rep.Activities) != tc.n || rep.Skipped[SkipAsFlown] != tc.dup {
			t.Errorf("%s: %d activities, skipped %v; want %d and %d listed by the as-flown rows", tc.name, len(rep.Activities), rep.Skipped, tc.n, tc.dup)
		}
		archivetest.Check(t, rep, nil)
	}
	for _, f := range []string{plannedFile, asflownFile} {
		b := archivetest.Read(t, f)
		one, err := connectors.ParseReplies(Name, connectors.Recorded{Name: f, Body: b})
		if err != nil || len(one.Activities) != 4 {
			t.Errorf("%s alone: %v %v", f, one, err)
		}
		if either, err := ParseEither(b); err != nil || len(either.Activities) != 4 {
			t.Errorf("ParseEither(%s): %v %v", f, either, err)
		}
	}
	if _, err := ParseEither([]byte("a,b\n1,2\n")); err == nil || !strings.Contains(err.Error(), "sequenceID") {
		t.Errorf("ParseEither of neither: %v", err)
	}
}

func FuzzJoinReplies(f *testing.F) {
	f.Add(archivetest.Read(f, plannedFile), archivetest.Read(f, asflownFile))
	f.Fuzz(func(t *testing.T, planned, asflown []byte) {
		res, err := JoinReplies([]connectors.Recorded{{Name: "a.ascii", Body: asflown, Role: RoleAsFlown}, {Name: "p.csv", Body: planned, Role: RolePlanned}})
		archivetest.Check(t, res, err)
		res, err = ParseEither(planned)
		archivetest.Check(t, res, err)
	})
}
