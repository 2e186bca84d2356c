package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func serveDoctor(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestActivitiesDoctor runs the doctor against local servers, one verdict
// each, and checks every line names what to do.
func TestActivitiesDoctor(t *testing.T) {
	for _, v := range []string{"ARCSECOND_ESO_TOKEN", "ARCSECOND_ESO_USERNAME", "ARCSECOND_ESO_PASSWORD", "ARCSECOND_OBSCORE_URL", "ARCSECOND_OBSCORE_TOKEN", "GEMINI_ARCHIVE_SESSION"} {
		t.Setenv(v, "")
	}
	var paths []string
	gemini := serveDoctor(t, func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		w.Write([]byte("[]"))
	})
	eso := serveDoctor(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "authentication required", http.StatusUnauthorized)
	})
	mast := serveDoctor(t, func(w http.ResponseWriter, r *http.Request) {
		// a MAST reply whose rows lost every CAOM column but one
		w.Write([]byte(`{"status": "COMPLETE", "msg": "", "fields": [{"name": "obs_collection", "type": "string"}],
			"data": [{"obs_collection": "HST"}], "paging": {"page": 1, "pageSize": 1, "pagesFiltered": 1, "rows": 1, "rowsFiltered": 1, "rowsTotal": 1}}`))
	})
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close() // connection refused from now on
	out, errs, code := runCLI(t, "activities", "doctor", "--timeout", "5s",
		"--source", "gemini,eso,hst-mast,swift-planned,obscore",
		"--base-url", "gemini="+gemini, "--base-url", "eso="+eso, "--base-url", "hst-mast="+mast,
		"--base-url", "swift-planned="+downURL)
	t.Logf("%s%s", out, errs)
	if code != exitNetwork {
		t.Errorf("exit %d, want %d", code, exitNetwork)
	}
	want := map[string][]string{
		"gemini":        {"ok"},
		"eso":           {"needs credentials", "ARCSECOND_ESO_TOKEN"},
		"hst-mast":      {"schema drift", "column"},
		"swift-planned": {"unreachable"},
		"obscore":       {"not configured", "ARCSECOND_OBSCORE_URL"},
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+len(want) {
		t.Fatalf("%d lines, want a header and %d sources", len(lines), len(want))
	}
	for _, l := range lines[1:] {
		name := strings.Fields(l)[0]
		for _, w := range want[name] {
			if !strings.Contains(l, w) {
				t.Errorf("%s: line %q lacks %q", name, l, w)
			}
		}
	}
	if len(paths) != 1 || !strings.HasPrefix(paths[0], "/jsonsummary/") {
		t.Errorf("gemini was asked %v, want one jsonsummary request", paths)
	}
	if !strings.Contains(errs, "eso") || strings.Contains(errs, "gemini") || strings.Contains(errs, "obscore") {
		t.Errorf("the failure message must name the failed sources only: %s", errs)
	}

	// All healthy: exit 0.
	if out, errs, code := runCLI(t, "activities", "doctor", "--source", "gemini", "--base-url", gemini); code != 0 {
		t.Errorf("healthy source: exit %d: %s%s", code, out, errs)
	}
	if _, _, code := runCLI(t, "activities", "doctor", "--source", "nope"); code != exitUsage {
		t.Errorf("unknown source: exit %d", code)
	}
}

// TestArchiveBaseURL: every `arcsecond archive` command sends its requests
// to --base-url, so they can be checked against a local server; the Gemini
// cone goes out in degrees with the archive's d suffix.
func TestArchiveBaseURL(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // in the request the local server received
	}{
		{[]string{"archive", "gemini", "--date", "2024-01-01", "--cone", "150,2.2,0.01", "--no-program-info"}, "/sr=0.01d"},
		{[]string{"archive", "hst", "--date", "2024-01-01"}, "POST /"},
		{[]string{"archive", "hst", "--timeline", "--date", "2024-01-01"}, "GET /timeline_01_01_24"},
		{[]string{"archive", "swift", "--date", "2024-01-01", "--timeline", "planned"}, "/swift/planquery?"},
		{[]string{"archive", "eso", "--date", "2024-01-01", "--cone", "266.4,-29,0.1"}, "INTERSECTS(s_region"},
	} {
		t.Run(strings.Join(tc.args[:2], " "), func(t *testing.T) {
			var got []string
			u := serveDoctor(t, func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				got = append(got, r.Method+" "+r.URL.RequestURI()+" "+r.PostForm.Get("QUERY"))
				http.Error(w, "recorded", http.StatusServiceUnavailable)
			})
			args := append(append([]string{}, tc.args...), "--base-url", u, "--retries", "-1", "--timeout", "2s")
			runCLI(t, args...)
			if len(got) == 0 {
				t.Fatalf("%v: nothing reached --base-url", tc.args)
			}
			dec, _ := url.QueryUnescape(got[0])
			if !strings.Contains(got[0], tc.want) && !strings.Contains(dec, tc.want) {
				t.Errorf("%v: the local server got %q, want %q in it", tc.args, got[0], tc.want)
			}
		})
	}
}
