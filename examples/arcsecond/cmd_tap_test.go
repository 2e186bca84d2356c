package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const tapTestVOTable = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
<TABLE><FIELD name="obs_id" datatype="char" arraysize="*"/><FIELD name="s_ra" datatype="double"/><FIELD name="n" datatype="int"/>
<DATA><TABLEDATA><TR><TD>a1</TD><TD>10.5</TD><TD>3</TD></TR><TR><TD>b,2</TD><TD/><TD/></TR></TABLEDATA></DATA></TABLE>
%s
</RESOURCE></VOTABLE>`

const tapTestError = `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">Could not parse your query: Expected "SELECT"</INFO></RESOURCE></VOTABLE>`

// tapTestServer is a minimal TAP service: /sync answers every query, async
// jobs complete at the first look.
func tapTestServer(t *testing.T) (*httptest.Server, *sync.Map) {
	seen := &sync.Map{}
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, q, maxrec string) {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		switch {
		case strings.HasPrefix(q, "SELEC "):
			w.WriteHeader(400)
			io.WriteString(w, tapTestError)
		case maxrec == "1":
			fmt.Fprintf(w, tapTestVOTable, `<INFO name="QUERY_STATUS" value="OVERFLOW"/>`)
		default:
			fmt.Fprintf(w, tapTestVOTable, "")
		}
	}
	mux.HandleFunc("/tap/sync", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			r.ParseMultipartForm(1 << 20)
			for name, fh := range r.MultipartForm.File {
				f, _ := fh[0].Open()
				b, _ := io.ReadAll(f)
				seen.Store("upload:"+name, string(b))
			}
		} else {
			r.ParseForm()
		}
		seen.Store("UPLOAD", r.Form.Get("UPLOAD"))
		seen.Store("auth", r.Header.Get("Authorization"))
		answer(w, r.Form.Get("QUERY"), r.Form.Get("MAXREC"))
	})
	var q string
	mux.HandleFunc("/tap/async", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		q = r.Form.Get("QUERY")
		http.Redirect(w, r, "/tap/async/7", http.StatusSeeOther)
	})
	mux.HandleFunc("/tap/async/7", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			seen.Store("deleted", true)
			return
		}
		fmt.Fprint(w, `<uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0"><uws:jobId>7</uws:jobId><uws:phase>COMPLETED</uws:phase>
<uws:results><uws:result id="result" href="/tap/async/7/results/result"/></uws:results></uws:job>`)
	})
	mux.HandleFunc("/tap/async/7/phase", func(w http.ResponseWriter, r *http.Request) {
		seen.Store("run", true)
		http.Redirect(w, r, "/tap/async/7", http.StatusSeeOther)
	})
	mux.HandleFunc("/tap/async/7/results/result", func(w http.ResponseWriter, r *http.Request) { answer(w, q, "") })
	mux.HandleFunc("/tap/capabilities", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<capabilities><capability standardID="ivo://ivoa.net/std/TAP"><language><name>ADQL</name><version>2.0</version></language>
<outputFormat><mime>text/csv</mime><alias>csv</alias></outputFormat><uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-inline"/>
<outputLimit><default unit="row">2000</default><hard unit="row">100000</hard></outputLimit></capability></capabilities>`)
	})
	mux.HandleFunc("/tap/tables", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<tableset><schema><name>ivoa</name><table><name>ivoa.obscore</name><description>Observations</description><column><name>s_ra</name></column></table></schema></tableset>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, seen
}

func TestTapQueryJSONL(t *testing.T) {
	srv, _ := tapTestServer(t)
	out, errOut, code := runCLI(t, "tap", "query", srv.URL+"/tap", "SELECT obs_id, s_ra, n FROM ivoa.obscore")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("output %q", out)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &row); err != nil {
		t.Fatal(err)
	}
	if row["obs_id"] != "b,2" || row["s_ra"] != nil || row["n"] != nil {
		t.Errorf("row = %v", row)
	}
	if strings.Contains(errOut, "OVERFLOW") {
		t.Error("overflow reported")
	}
}

func TestTapQueryCSVAsyncOverflow(t *testing.T) {
	srv, seen := tapTestServer(t)
	out, errOut, code := runCLI(t, "tap", "query", "--async", "--format", "csv", srv.URL+"/tap", "SELECT obs_id, s_ra, n FROM t")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "obs_id,s_ra,n\na1,10.5,3\n\"b,2\",,\n" {
		t.Errorf("csv = %q", out)
	}
	if _, ok := seen.Load("run"); !ok {
		t.Error("job not run")
	}
	if _, ok := seen.Load("deleted"); !ok {
		t.Error("job not deleted")
	}
	_, errOut, code = runCLI(t, "tap", "query", "--maxrec", "1", srv.URL+"/tap", "SELECT 1")
	if code != 0 || !strings.Contains(errOut, "OVERFLOW") {
		t.Errorf("overflow: exit %d, stderr %q", code, errOut)
	}
}

func TestTapQueryUploadAndToken(t *testing.T) {
	srv, seen := tapTestServer(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "mine.xml")
	if err := os.WriteFile(f, []byte(fmt.Sprintf(tapTestVOTable, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(tapTokenEnv, "s3cret")
	_, errOut, code := runCLI(t, "tap", "query", "--upload", "mine="+f, srv.URL+"/tap", "SELECT * FROM TAP_UPLOAD.mine")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if v, _ := seen.Load("UPLOAD"); v != "mine,param:mine" {
		t.Errorf("UPLOAD = %v", v)
	}
	if v, _ := seen.Load("upload:mine"); !strings.Contains(v.(string), "<VOTABLE") {
		t.Errorf("upload body = %v", v)
	}
	if v, _ := seen.Load("auth"); v != "Bearer s3cret" {
		t.Errorf("Authorization = %v", v)
	}
	// The token never shows in an error.
	_, errOut, code = runCLI(t, "tap", "query", srv.URL+"/tap", "SELEC 1")
	if code != exitNetwork || strings.Contains(errOut, "s3cret") || !strings.Contains(errOut, "Could not parse") {
		t.Errorf("ADQL error: exit %d, %q", code, errOut)
	}
}

func TestTapErrors(t *testing.T) {
	srv, _ := tapTestServer(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tap", "query", srv.URL + "/tap", "SELEC x"}, exitNetwork, "Could not parse your query"},
		{[]string{"tap", "query", "ftp://x/tap", "SELECT 1"}, exitUsage, "http or https"},
		{[]string{"tap", "query", srv.URL + "/tap"}, exitUsage, "accepts 2 arg"},
		{[]string{"tap", "query", "--format", "xml", srv.URL + "/tap", "SELECT 1"}, exitUsage, "--format"},
		{[]string{"tap", "query", "--upload", "noequals", srv.URL + "/tap", "SELECT 1"}, exitUsage, "name=FILE"},
		{[]string{"tap", "query", "--upload", "a b=" + os.DevNull, srv.URL + "/tap", "SELECT 1"}, exitUsage, "ADQL identifier"},
		{[]string{"tap", "query", "--upload", "t=/no/such/file.xml", srv.URL + "/tap", "SELECT 1"}, exitNotFound, "no such file"},
		{[]string{"tap", "query", "http://127.0.0.1:1/tap", "SELECT 1"}, exitNetwork, "127.0.0.1:1"},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", c.args, code, c.code, errOut, c.want)
		}
	}
}

func TestTapTablesAndCapabilities(t *testing.T) {
	srv, _ := tapTestServer(t)
	out, errOut, code := runCLI(t, "tap", "tables", srv.URL+"/tap")
	if code != 0 || out != "ivoa.obscore\t1 columns\tObservations\n" {
		t.Errorf("tables: exit %d %q %q", code, out, errOut)
	}
	out, errOut, code = runCLI(t, "tap", "capabilities", srv.URL+"/tap")
	if code != 0 || !strings.Contains(out, "language\tADQL 2.0") || !strings.Contains(out, "limit\toutputLimit\tdefault 2000 row\thard 100000 row") {
		t.Errorf("capabilities: exit %d %q %q", code, out, errOut)
	}
}

// TestTapQueryDaCHS runs the command against the DaCHS service of
// .ci/setup.d/40-dachs.sh.
func TestTapQueryDaCHS(t *testing.T) {
	u := os.Getenv("ARCSECOND_TAP_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("ARCSECOND_TAP_URL is not set under CI")
		}
		t.Skip("ARCSECOND_TAP_URL not set (run .ci/setup.d/40-dachs.sh)")
	}
	out, errOut, code := runCLI(t, "tap", "query", "--maxrec", "5", u, "SELECT obs_id, facility_name, t_min FROM ivoa.obscore ORDER BY obs_id")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\n"); n != 5 || !strings.Contains(errOut, "OVERFLOW") {
		t.Errorf("%d rows, stderr %q", n, errOut)
	}
	_, errOut, code = runCLI(t, "tap", "query", u, "SELECT nosuchcolumn FROM ivoa.obscore")
	if code != exitNetwork || !strings.Contains(errOut, "nosuchcolumn") {
		t.Errorf("bad column: exit %d, %q", code, errOut)
	}
}
