package tap

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseJobDaCHS(t *testing.T) {
	j, err := ParseJob(bytes.NewReader(readTestdata(t, "pyvo_job.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if j.JobID != "1337" || j.Phase != PhaseCompleted || j.Version != "1.1" {
		t.Errorf("job = %+v", j)
	}
	if j.ExecutionDuration != 2*time.Hour {
		t.Errorf("executionDuration = %v", j.ExecutionDuration)
	}
	if want := time.Date(2018, 2, 1, 0, 0, 0, 0, time.UTC); !j.Destruction.Equal(want) {
		t.Errorf("destruction = %v", j.Destruction)
	}
	if q, ok := j.Param("QUERY"); !ok || q != "SELECT 'test'" {
		t.Errorf("query param = %q, %v", q, ok)
	}
	if r := j.Result("result"); r == nil || r.Href != "http://example.com/tap/async/1337/results/result" {
		t.Errorf("result = %+v", r)
	}
	if j.Error != nil {
		t.Errorf("completed job has error %+v", j.Error)
	}
}

func TestParseJobError(t *testing.T) {
	j, err := ParseJob(bytes.NewReader(readTestdata(t, "pyvo_job-error.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if j.Phase != PhaseError || j.Error == nil || j.Error.Message != "We have problem" || j.Error.Type != "fatal" || j.Error.HasDetail {
		t.Errorf("job = %+v, error %+v", j, j.Error)
	}
}

func TestParseJobVariants(t *testing.T) {
	j, err := ParseJob(bytes.NewReader(readTestdata(t, "pyvo_job-implicit-v1.0.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if j.Version != "" || !j.Phase.Final() {
		t.Errorf("v1.0 job = %+v", j)
	}
	j, err = ParseJob(bytes.NewReader(readTestdata(t, "pyvo_job-with-typed-jobinfo.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if len(j.JobInfo) != 4 || j.JobInfo[0].Name != "integer_value" || j.JobInfo[0].Text != "100" {
		t.Errorf("jobInfo = %+v", j.JobInfo)
	}
}

func TestParseJobList(t *testing.T) {
	refs, err := ParseJobList(bytes.NewReader(readTestdata(t, "astroquery_jobs_list.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) == 0 || refs[0].ID == "" {
		t.Errorf("refs = %+v", refs)
	}
	refs, err = ParseJobList(bytes.NewReader(readTestdata(t, "astroquery_test_jobs_async.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 2 || refs[0].ID != "1479386030738O" || refs[1].Phase != PhaseError {
		t.Errorf("refs = %+v", refs)
	}
	// ESA writes times as +0100.
	if refs[0].CreationTime.IsZero() {
		t.Error("creation time with +hhmm zone not read")
	}
}

func TestParseJobErrors(t *testing.T) {
	cases := map[string]string{
		"":                            "empty",
		"<job/>":                      "no <jobId>",
		"<job><jobId>1</jobId></job>": "no <phase>",
		"<job><jobId>1</jobId><phase>RUNNING</phase></job>":                                          "unknown UWS phase",
		"<job><jobId>1</jobId><phase>PENDING</phase><phase>ERROR</phase></job>":                      "repeated",
		"<job><jobId>1</jobId><phase>PENDING</phase><startTime>yesterday</startTime></job>":          "startTime",
		"<job><jobId>1</jobId><phase>PENDING</phase><executionDuration>-5</executionDuration></job>": "executionDuration",
		"<jobs/>":                        "want <job>",
		"<job><jobId>1</jobId>":          "malformed XML",
		strings.Repeat("<a>", 300) + "x": "nested deeper",
	}
	for doc, want := range cases {
		_, err := ParseJob(strings.NewReader(doc))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseJob(%.40q) = %v, want error containing %q", doc, err, want)
		}
	}
}

func TestParseCapabilitiesDaCHS(t *testing.T) {
	caps, err := ParseCapabilities(bytes.NewReader(readTestdata(t, "pyvo_capabilities.xml")))
	if err != nil {
		t.Fatal(err)
	}
	tap := caps.Find(StandardTAP)
	if tap == nil {
		t.Fatal("no TAP capability")
	}
	if len(tap.Languages) == 0 || tap.Languages[0].Name != "ADQL" || len(tap.Languages[0].Features) < 10 {
		t.Errorf("languages = %+v", tap.Languages)
	}
	if !tap.SupportsFormat("csv") || !tap.SupportsFormat("text/tab-separated-values") || !tap.SupportsFormat("votable/b2") || tap.SupportsFormat("parquet") {
		t.Error("SupportsFormat wrong")
	}
	if tap.OutputLimit.Default != 20000 || tap.OutputLimit.Hard != 10000000 || tap.OutputLimit.HardUnit != "row" {
		t.Errorf("outputLimit = %+v", tap.OutputLimit)
	}
	if tap.UploadLimit.Hard != 100000000 || len(tap.UploadMethods) != 4 {
		t.Errorf("upload = %+v %v", tap.UploadLimit, tap.UploadMethods)
	}
	if tables := caps.Find(StandardTables); tables == nil || len(tables.Interfaces[0].SecurityMethods) != 1 {
		t.Errorf("tables capability = %+v", tables)
	}
	var hasObsCore bool
	for _, dm := range tap.DataModels {
		hasObsCore = hasObsCore || strings.HasPrefix(dm.IVOID, "ivo://ivoa.net/std/ObsCore")
	}
	if !hasObsCore {
		t.Error("ObsCore data model not found")
	}
}

func TestParseCapabilitiesCADC(t *testing.T) {
	caps, err := ParseCapabilities(bytes.NewReader(readTestdata(t, "astroquery_tap_caps.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if caps.Find(StandardTAP) == nil {
		t.Fatalf("no TAP capability in %+v", caps)
	}
}

func TestParseTables(t *testing.T) {
	ts, err := ParseTableSet(bytes.NewReader(readTestdata(t, "pyvo_tables.xml")))
	if err != nil {
		t.Fatal(err)
	}
	tab := ts.Table("TEST.ALL")
	if tab == nil || tab.NRows != 30 || len(tab.Columns) != 1 {
		t.Fatalf("table = %+v", tab)
	}
	c := tab.Column("id")
	if c == nil || c.DataType != "VARCHAR" || c.ArraySize != "*" || c.Size != "42" || len(c.Flags) != 2 || c.UCD != "meta.id;meta.main" {
		t.Errorf("column = %+v", c)
	}
	if fk := tab.ForeignKeys; len(fk) != 1 || fk[0].TargetTable != "test.foreigntable" || fk[0].From[0] != "testkey" {
		t.Errorf("foreign keys = %+v", fk)
	}
	ts, err = ParseTableSet(bytes.NewReader(readTestdata(t, "pyvo_lazy-table1.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if ts.Table("test.table1") == nil {
		t.Error("single-table document not read")
	}
}

func TestParseAvailability(t *testing.T) {
	a, err := ParseAvailability(bytes.NewReader(readTestdata(t, "pyvo_availability.xml")))
	if err != nil {
		t.Fatal(err)
	}
	// Its dates (2000-00-00) are impossible: kept zero, not fatal.
	if !a.Available || len(a.Notes) != 2 || !a.UpSince.IsZero() {
		t.Errorf("availability = %+v", a)
	}
	if _, err := ParseAvailability(strings.NewReader("<availability><available>maybe</available></availability>")); err == nil {
		t.Error("bad <available> accepted")
	}
}

func TestParseExamples(t *testing.T) {
	ex, cont, err := ParseExamples(bytes.NewReader(readTestdata(t, "pyvo_examples.htm")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 5 || ex[0].ID != "QueryContainsPointCircle" || !strings.HasPrefix(ex[0].Query, "SELECT * FROM rosmaster") || ex[0].Name == "" {
		t.Errorf("examples = %+v", ex)
	}
	if len(cont) != 1 || cont[0] != "http://example.org/obscore-examples.html" {
		t.Errorf("continuation = %v", cont)
	}
}

func TestErrorMessage(t *testing.T) {
	msg, status := ErrorMessage(readTestdata(t, "VOTables.jl_tap_error"), "text/xml")
	if status != "ERROR" || !strings.HasPrefix(msg, "Incorrect ADQL query: 3 unresolved identifiers") || !strings.Contains(msg, `Unknown column "TAP_UPLOAD.ids.id"`) {
		t.Errorf("VizieR error = %q (%s)", msg, status)
	}
	msg, status = ErrorMessage(readTestdata(t, "VOTables.jl_tap_results_and_error"), "")
	if status != "ERROR" || msg == "" {
		t.Errorf("error after results = %q (%s)", msg, status)
	}
	msg, _ = ErrorMessage([]byte("  Query timed out after 60 s\n"), "text/plain")
	if msg != "Query timed out after 60 s" {
		t.Errorf("plain = %q", msg)
	}
	msg, _ = ErrorMessage([]byte("<html><head><title>x</title><style>p{}</style></head><body><h1>503</h1><p>Service &amp; database down</p></body></html>"), "text/html")
	if msg != "503 Service & database down" {
		t.Errorf("html = %q", msg)
	}
	msg, _ = ErrorMessage([]byte(strings.Repeat("é", 5000)), "text/plain")
	if len(msg) > maxMessage+10 || !strings.HasSuffix(msg, "…") {
		t.Errorf("long message not clipped: %d bytes", len(msg))
	}
	if msg, _ := ErrorMessage([]byte("\xff\xfe bad"), ""); !strings.Contains(msg, "bad") {
		t.Errorf("invalid UTF-8 = %q", msg)
	}
}

func FuzzParseJob(f *testing.F) {
	for _, name := range []string{"pyvo_job.xml", "pyvo_job-error.xml", "pyvo_job-implicit-v1.0.xml", "pyvo_job-with-typed-jobinfo.xml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte("<job><jobId>1</jobId><phase>QUEUED</phase></job>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := ParseJob(bytes.NewReader(b))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if j.JobID == "" || j.Phase == "" {
			t.Fatalf("accepted job without id or phase: %+v", j)
		}
		_, _ = ParseJobList(bytes.NewReader(b))
	})
}

func FuzzErrorMessage(f *testing.F) {
	f.Add(readTestdata(f, "VOTables.jl_tap_error"), "text/xml")
	f.Add([]byte("<html><body>x</body></html>"), "text/html")
	f.Fuzz(func(t *testing.T, b []byte, ct string) {
		msg, _ := ErrorMessage(b, ct)
		if len(msg) > maxMessage+8 {
			t.Fatalf("message of %d bytes", len(msg))
		}
	})
}

func FuzzVOSI(f *testing.F) {
	for _, name := range []string{"pyvo_capabilities.xml", "pyvo_tables.xml", "pyvo_lazy-table1.xml", "pyvo_availability.xml", "pyvo_examples.htm"} {
		f.Add(readTestdata(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if caps, err := ParseCapabilities(bytes.NewReader(b)); err == nil {
			caps.Find(StandardTAP)
		}
		if ts, err := ParseTableSet(bytes.NewReader(b)); err == nil {
			for _, s := range ts.Schemas {
				for _, tab := range s.Tables {
					if tab.Name == "" {
						t.Fatal("table without a name accepted")
					}
				}
			}
		}
		_, _ = ParseAvailability(bytes.NewReader(b))
		_, _, _ = ParseExamples(bytes.NewReader(b))
	})
}
