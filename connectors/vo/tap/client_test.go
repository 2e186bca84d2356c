package tap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const okVOTable = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
<TABLE><FIELD name="obs_id" datatype="char" arraysize="*"/><FIELD name="s_ra" datatype="double"/>
<DATA><TABLEDATA><TR><TD>a1</TD><TD>10.5</TD></TR><TR><TD>b2</TD><TD/></TR></TABLEDATA></DATA></TABLE>
</RESOURCE></VOTABLE>`

// fakeTAP is a small in-memory TAP service: sync queries answer from a
// table of canned bodies; async jobs go PENDING → QUEUED → EXECUTING →
// COMPLETED (or ERROR) as they are polled, honouring WAIT.
type fakeTAP struct {
	t            *testing.T
	mu           sync.Mutex
	jobs         map[string]*fakeJob
	nextID       int
	bodies       map[string]string // QUERY → VOTable body
	reqs         []*http.Request
	forms        []url.Values
	uploads      map[string]string
	fail503      int // answer 503 this many times first
	longPollSeen bool
}

type fakeJob struct {
	id, query, phase string
	polls            int
	destruction      string
	duration         string
	deleted          bool
	run              bool
}

func newFakeTAP(t *testing.T) (*fakeTAP, *httptest.Server) {
	f := &fakeTAP{t: t, jobs: map[string]*fakeJob{}, bodies: map[string]string{}, uploads: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeTAP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, r.Clone(context.Background()))
	if f.fail503 > 0 {
		f.fail503--
		w.Header().Set("Retry-After", "0")
		http.Error(w, "Service temporarily overloaded", http.StatusServiceUnavailable)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		for name, fhs := range r.MultipartForm.File {
			fh, _ := fhs[0].Open()
			b, _ := io.ReadAll(fh)
			f.uploads[name] = string(b)
		}
	} else {
		r.ParseForm()
	}
	f.forms = append(f.forms, r.Form)
	path := strings.TrimPrefix(r.URL.Path, "/tap")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/sync":
		f.answer(w, r.Form.Get("QUERY"))
	case path == "/capabilities":
		w.Write(readTestdata(f.t, "pyvo_capabilities.xml"))
	case path == "/tables":
		w.Write(readTestdata(f.t, "pyvo_tables.xml"))
	case path == "/availability":
		w.Write(readTestdata(f.t, "pyvo_availability.xml"))
	case path == "/examples":
		w.Write(readTestdata(f.t, "pyvo_examples.htm"))
	case path == "/async" && r.Method == http.MethodPost:
		f.nextID++
		j := &fakeJob{id: fmt.Sprint("j", f.nextID), query: r.Form.Get("QUERY"), phase: "PENDING",
			duration: r.Form.Get("EXECUTIONDURATION"), destruction: r.Form.Get("DESTRUCTION")}
		f.jobs[j.id] = j
		http.Redirect(w, r, "/tap/async/"+j.id, http.StatusSeeOther)
	case len(parts) >= 2 && parts[0] == "async":
		j := f.jobs[parts[1]]
		if j == nil || j.deleted {
			http.Error(w, "no such job", 404)
			return
		}
		sub := strings.Join(parts[2:], "/")
		switch {
		case sub == "" && r.Method == http.MethodDelete:
			j.deleted = true
			http.Redirect(w, r, "/tap/async", http.StatusSeeOther)
		case sub == "" && r.Method == http.MethodGet:
			if r.URL.Query().Get("WAIT") != "" {
				f.longPollSeen = true
			}
			f.advance(j)
			f.writeJob(w, j)
		case sub == "phase" && r.Method == http.MethodPost:
			switch r.Form.Get("PHASE") {
			case "RUN":
				if j.phase == "PENDING" && !strings.Contains(j.query, "SLOWSTART") {
					j.phase = "QUEUED"
				}
				j.run = true
			case "ABORT":
				j.phase = "ABORTED"
			default:
				http.Error(w, "bad PHASE", 400)
				return
			}
			http.Redirect(w, r, "/tap/async/"+j.id, http.StatusSeeOther)
		case sub == "phase":
			io.WriteString(w, j.phase)
		case sub == "executionduration" && r.Method == http.MethodPost:
			j.duration = r.Form.Get("EXECUTIONDURATION")
			http.Redirect(w, r, "/tap/async/"+j.id, http.StatusSeeOther)
		case sub == "destruction" && r.Method == http.MethodPost:
			j.destruction = r.Form.Get("DESTRUCTION")
			http.Redirect(w, r, "/tap/async/"+j.id, http.StatusSeeOther)
		case sub == "error":
			w.Header().Set("Content-Type", "text/xml")
			w.Write(readTestdata(f.t, "VOTables.jl_tap_error"))
		case sub == "results/result":
			f.answer(w, j.query)
		default:
			http.Error(w, "unknown job resource "+sub, 404)
		}
	default:
		http.Error(w, "not found: "+path, 404)
	}
}

func (f *fakeTAP) answer(w http.ResponseWriter, query string) {
	if body, ok := f.bodies[query]; ok {
		w.Header().Set("Content-Type", "application/x-votable+xml")
		io.WriteString(w, body)
		return
	}
	if strings.HasPrefix(query, "SELEC ") {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		w.Write(readTestdata(f.t, "VOTables.jl_tap_error"))
		return
	}
	w.Header().Set("Content-Type", "application/x-votable+xml")
	io.WriteString(w, okVOTable)
}

func (f *fakeTAP) advance(j *fakeJob) {
	j.polls++
	switch j.phase {
	case "PENDING":
		// A service that queues run requests: PENDING for a while.
		if j.run && j.polls > 3 {
			j.phase = "QUEUED"
		}
	case "QUEUED":
		j.phase = "EXECUTING"
	case "EXECUTING":
		if strings.Contains(j.query, "FAIL") {
			j.phase = "ERROR"
		} else if !strings.Contains(j.query, "FOREVER") {
			j.phase = "COMPLETED"
		}
	}
}

func (f *fakeTAP) writeJob(w http.ResponseWriter, j *fakeJob) {
	w.Header().Set("Content-Type", "text/xml")
	var extra string
	if j.phase == "COMPLETED" {
		extra = `<uws:results><uws:result id="result" xlink:href="/tap/async/` + j.id + `/results/result"/></uws:results>`
	}
	if j.phase == "ERROR" {
		extra = `<uws:errorSummary type="fatal" hasDetail="true"><uws:message>Query failed</uws:message></uws:errorSummary>`
	}
	fmt.Fprintf(w, `<?xml version="1.0"?><uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">
<uws:jobId>%s</uws:jobId><uws:phase>%s</uws:phase><uws:executionDuration>%s</uws:executionDuration><uws:destruction>%s</uws:destruction>
<uws:parameters><uws:parameter id="query">%s</uws:parameter></uws:parameters>%s</uws:job>`,
		j.id, j.phase, orZero(j.duration), j.destruction, xmlEscape(j.query), extra)
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func testClient(t *testing.T, srv *httptest.Server, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithPolling(time.Millisecond, 5*time.Millisecond, 0)}, opts...)
	c, err := NewClient(srv.URL+"/tap/", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func readAll(t *testing.T, r *Result) (ids []string, ras []any) {
	t.Helper()
	tab, err := r.Table()
	if err != nil {
		t.Fatal(err)
	}
	iID, iRA := tab.FieldIndex("obs_id"), tab.FieldIndex("s_ra")
	for row, err := range r.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		id, _ := row.String(iID)
		ids = append(ids, id)
		if v, ok := row.Float(iRA); ok {
			ras = append(ras, v)
		} else {
			ras = append(ras, nil)
		}
	}
	return
}

func TestSync(t *testing.T) {
	f, srv := newFakeTAP(t)
	c := testClient(t, srv)
	res, err := c.Sync(ctxT(t), Query{ADQL: "SELECT obs_id, s_ra FROM ivoa.obscore", MaxRec: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	ids, ras := readAll(t, res)
	if fmt.Sprint(ids, ras) != "[a1 b2] [10.5 <nil>]" {
		t.Errorf("rows = %v %v", ids, ras)
	}
	if res.Overflow() {
		t.Error("overflow reported")
	}
	form := f.forms[0]
	if form.Get("REQUEST") != "doQuery" || form.Get("LANG") != "ADQL" || form.Get("MAXREC") != "5" {
		t.Errorf("form = %v", form)
	}
	if ua := f.reqs[0].Header.Get("User-Agent"); !strings.HasPrefix(ua, "arcsecond/") {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestSyncADQLError(t *testing.T) {
	_, srv := newFakeTAP(t)
	c := testClient(t, srv)
	_, err := c.Sync(ctxT(t), Query{ADQL: "SELEC x FROM y"})
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if se.StatusCode != 400 || se.Status != "ERROR" || !strings.Contains(se.Message, "Incorrect ADQL query") {
		t.Errorf("service error = %+v", se)
	}
	if !strings.Contains(err.Error(), "Incorrect ADQL query") {
		t.Errorf("message lost: %v", err)
	}
}

func TestSyncErrorIn200(t *testing.T) {
	f, srv := newFakeTAP(t)
	f.bodies["Q"] = string(readTestdata(t, "VOTables.jl_tap_error"))
	c := testClient(t, srv)
	// An error document sent with HTTP 200 (as DaCHS does) is reported by
	// Sync itself.
	_, err := c.Sync(ctxT(t), Query{ADQL: "Q"})
	var se *ServiceError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "unresolved identifiers") || se.Status != "ERROR" {
		t.Fatalf("err = %v", err)
	}
}

func TestErrorAfterRows(t *testing.T) {
	f, srv := newFakeTAP(t)
	f.bodies["Q"] = string(readTestdata(t, "VOTables.jl_tap_results_and_error"))
	c := testClient(t, srv)
	res, err := c.Sync(ctxT(t), Query{ADQL: "Q"})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var rows int
	var last error
	for _, err := range res.Rows() {
		if err != nil {
			last = err
			break
		}
		rows++
	}
	var se *ServiceError
	if rows == 0 || !errors.As(last, &se) {
		t.Errorf("rows = %d, last error = %v", rows, last)
	}
}

func TestOverflow(t *testing.T) {
	f, srv := newFakeTAP(t)
	f.bodies["Q"] = string(readTestdata(t, "pyvo_overflowstatus.xml"))
	c := testClient(t, srv)
	res, err := c.Sync(ctxT(t), Query{ADQL: "Q"})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range res.Rows() {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !res.Overflow() {
		t.Error("OVERFLOW not surfaced")
	}
	res.Close()
	res, err = c.Sync(ctxT(t), Query{ADQL: "Q", FailOnOverflow: true})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var last error
	for _, err := range res.Rows() {
		last = err
	}
	if !errors.Is(last, ErrOverflow) {
		t.Errorf("FailOnOverflow: last = %v", last)
	}
}

func TestAsyncLifecycle(t *testing.T) {
	f, srv := newFakeTAP(t)
	var phases []Phase
	c := testClient(t, srv, WithJobObserver(func(j *JobInfo) { phases = append(phases, j.Phase) }))
	res, err := c.Async(ctxT(t), Query{ADQL: "SELECT 1", ExecutionDuration: 90 * time.Second,
		Destruction: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), RunID: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := readAll(t, res)
	if len(ids) != 2 {
		t.Errorf("rows = %v", ids)
	}
	if res.Job() == nil {
		t.Fatal("no job")
	}
	if err := res.Close(); err != nil {
		t.Fatal(err)
	}
	j := f.jobs["j1"]
	if !j.deleted {
		t.Error("job not deleted on Close")
	}
	if j.duration != "90" || j.destruction != "2030-01-02T03:04:05Z" {
		t.Errorf("job params: duration %q destruction %q", j.duration, j.destruction)
	}
	if fmt.Sprint(phases) != "[EXECUTING COMPLETED]" {
		t.Errorf("phases = %v", phases)
	}
}

func TestAsyncLongPoll(t *testing.T) {
	f, srv := newFakeTAP(t)
	c := testClient(t, srv, WithPolling(time.Millisecond, 5*time.Millisecond, 2*time.Second))
	res, err := c.Async(ctxT(t), Query{ADQL: "SELECT 1"})
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
	if !f.longPollSeen {
		t.Error("WAIT never sent")
	}
	var sawPhase bool
	for _, r := range f.reqs {
		if r.URL.Query().Get("WAIT") == "2" && r.URL.Query().Get("PHASE") != "" {
			sawPhase = true
		}
	}
	if !sawPhase {
		t.Error("WAIT sent without PHASE")
	}
}

func TestAsyncSlowStart(t *testing.T) {
	_, srv := newFakeTAP(t)
	c := testClient(t, srv)
	res, err := c.Async(ctxT(t), Query{ADQL: "SELECT SLOWSTART"})
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
}

func TestAsyncErrorJob(t *testing.T) {
	f, srv := newFakeTAP(t)
	c := testClient(t, srv)
	_, err := c.Async(ctxT(t), Query{ADQL: "SELECT FAIL"})
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	// hasDetail: the message comes from {job}/error, not the summary.
	if se.Status != "ERROR" || se.JobID != "j1" || !strings.Contains(se.Message, "Incorrect ADQL query") {
		t.Errorf("error = %+v", se)
	}
	if !f.jobs["j1"].deleted {
		t.Error("failed job not deleted")
	}
}

func TestAsyncCancelAborts(t *testing.T) {
	f, srv := newFakeTAP(t)
	c := testClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Async(ctx, Query{ADQL: "SELECT FOREVER"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if j := f.jobs["j1"]; j.phase != "ABORTED" || !j.deleted {
		t.Errorf("job after cancel: %+v", j)
	}
}

func TestJobOperations(t *testing.T) {
	f, srv := newFakeTAP(t)
	c := testClient(t, srv)
	ctx := ctxT(t)
	job, err := c.Submit(ctx, Query{ADQL: "SELECT FOREVER"})
	if err != nil {
		t.Fatal(err)
	}
	if job.ID() != "j1" || !strings.HasSuffix(job.URL(), "/tap/async/j1") {
		t.Errorf("job = %s %s", job.ID(), job.URL())
	}
	if p, err := job.Phase(ctx); err != nil || p != PhasePending {
		t.Errorf("phase = %v, %v", p, err)
	}
	if err := job.SetExecutionDuration(ctx, 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := job.SetDestruction(ctx, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	info, err := job.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.ExecutionDuration != 2*time.Second || info.Destruction.Year() != 2031 {
		t.Errorf("info = %+v", info)
	}
	// Wait does not start a pending job.
	if info, err := job.Wait(ctx); err != nil || info.Phase != PhasePending {
		t.Errorf("Wait on pending = %v, %v", info, err)
	}
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := job.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	info, err = job.Wait(ctx)
	if err != nil || info.Phase != PhaseAborted {
		t.Fatalf("after abort: %v, %v", info, err)
	}
	if _, err := job.Result(ctx); err == nil || !strings.Contains(err.Error(), "ABORTED") {
		t.Errorf("Result of aborted job: %v", err)
	}
	if err := job.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if !f.jobs["j1"].deleted {
		t.Error("not deleted")
	}
	if _, err := job.Info(ctx); err == nil {
		t.Error("deleted job still readable")
	}
	// A handle from an id.
	if c.Job("j1").URL() != job.URL() {
		t.Errorf("Job(id) = %s", c.Job("j1").URL())
	}
}

func TestUpload(t *testing.T) {
	f, srv := newFakeTAP(t)
	c := testClient(t, srv)
	res, err := c.Sync(ctxT(t), Query{ADQL: "SELECT * FROM TAP_UPLOAD.mine", Uploads: []Upload{
		{Name: "mine", Content: strings.NewReader(okVOTable)},
		{Name: "remote", URL: "http://example.org/t.xml"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	res.Close()
	if f.uploads["mine"] != okVOTable {
		t.Errorf("upload content = %.60q", f.uploads["mine"])
	}
	if got := f.forms[0].Get("UPLOAD"); got != "mine,param:mine;remote,http://example.org/t.xml" {
		t.Errorf("UPLOAD = %q", got)
	}
	for _, bad := range []Upload{
		{Name: "a,b", Content: strings.NewReader("")},
		{Name: "x;y", URL: "http://e/x"},
		{Name: "ok"},
		{Name: "ok", URL: "file:///etc/passwd"},
	} {
		if _, err := c.Sync(ctxT(t), Query{ADQL: "SELECT 1", Uploads: []Upload{bad}}); err == nil {
			t.Errorf("upload %+v accepted", bad)
		}
	}
}

func TestFormats(t *testing.T) {
	f, srv := newFakeTAP(t)
	f.bodies["CSV"] = "obs_id,s_ra\na1,10.5\n"
	c := testClient(t, srv)
	// The fake answers CSV bodies with a VOTable content type; a CSV
	// query answered with a non-error body is passed through.
	res, err := c.Sync(ctxT(t), Query{ADQL: "CSV", Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body())
	res.Close()
	if string(b) != "obs_id,s_ra\na1,10.5\n" {
		t.Errorf("csv body = %q", b)
	}
	if f.forms[0].Get("RESPONSEFORMAT") != "csv" {
		t.Errorf("form = %v", f.forms[0])
	}
	// A VOTable error answering a CSV query is an error.
	f.bodies["BAD"] = string(readTestdata(t, "VOTables.jl_tap_error"))
	if _, err := c.Sync(ctxT(t), Query{ADQL: "BAD", Format: "csv"}); err == nil || !strings.Contains(err.Error(), "unresolved") {
		t.Errorf("csv error = %v", err)
	}
}

func TestVOSIEndpoints(t *testing.T) {
	_, srv := newFakeTAP(t)
	c := testClient(t, srv)
	ctx := ctxT(t)
	caps, err := c.Capabilities(ctx)
	if err != nil || caps.Find(StandardTAP) == nil {
		t.Fatalf("capabilities: %v", err)
	}
	ts, err := c.Tables(ctx)
	if err != nil || ts.Table("test.all") == nil {
		t.Fatalf("tables: %v", err)
	}
	av, err := c.Availability(ctx)
	if err != nil || !av.Available {
		t.Fatalf("availability: %v %+v", err, av)
	}
	ex, _, err := c.Examples(ctx)
	if err != nil || len(ex) != 5 {
		t.Fatalf("examples: %v %d", err, len(ex))
	}
}

func TestRetries503(t *testing.T) {
	f, srv := newFakeTAP(t)
	f.fail503 = 2
	c := testClient(t, srv)
	if _, err := c.Capabilities(ctxT(t)); err != nil {
		t.Fatalf("GET not retried: %v", err)
	}
	// A query is never resubmitted.
	f.fail503 = 1
	_, err := c.Sync(ctxT(t), Query{ADQL: "SELECT 1"})
	var se *ServiceError
	if !errors.As(err, &se) || se.StatusCode != 503 || !se.Temporary() || !strings.Contains(se.Message, "overloaded") {
		t.Errorf("sync 503 = %v", err)
	}
	f.fail503 = 10
	c = testClient(t, srv, WithRetries(1))
	if _, err := c.Tables(ctxT(t)); err == nil {
		t.Error("persistent 503 succeeded")
	}
}

func TestAuthAndRedaction(t *testing.T) {
	f, srv := newFakeTAP(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			t.Errorf("credentials sent to another host: %v", r.Header)
		}
		io.WriteString(w, okVOTable)
	}))
	defer other.Close()
	for _, auth := range []Auth{BearerToken("s3cret-token"), BasicAuth("alice", "s3cret-pw"), CookieSession(&http.Cookie{Name: "JSESSIONID", Value: "s3cret-cookie"})} {
		f.reqs = nil
		c := testClient(t, srv, WithAuth(auth))
		if _, err := c.Capabilities(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		h := f.reqs[0].Header
		if h.Get("Authorization") == "" && h.Get("Cookie") == "" {
			t.Errorf("%v: no credentials sent", auth)
		}
		if s := fmt.Sprintf("%v %#v %+v", auth, auth, c); strings.Contains(s, "s3cret") {
			t.Errorf("credentials printable: %s", s)
		}
		// A result on another host gets no credentials.
		resp, err := c.get(ctxT(t), "test", other.URL+"/result")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// Errors never carry them.
		_, err = c.Sync(ctxT(t), Query{ADQL: "SELEC 1"})
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error = %v", err)
		}
	}
	// Credentials in the URL become basic auth and leave the URL.
	c, err := NewClient(strings.Replace(srv.URL, "http://", "http://bob:s3cret-url@", 1) + "/tap")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.BaseURL(), "s3cret") {
		t.Errorf("BaseURL = %s", c.BaseURL())
	}
	f.reqs = nil
	if _, err := c.Availability(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if u, p, ok := f.reqs[0].BasicAuth(); !ok || u != "bob" || p != "s3cret-url" {
		t.Errorf("basic auth from URL = %q %q %v", u, p, ok)
	}
	srv.Close()
	_, err = c.Availability(ctxT(t))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("transport error = %v", err)
	}
}

func TestNewClientErrors(t *testing.T) {
	for _, u := range []string{"", "ftp://x/tap", "http://", "::bad"} {
		if _, err := NewClient(u); err == nil {
			t.Errorf("NewClient(%q) accepted", u)
		}
	}
}

func TestTruncatedAndSlow(t *testing.T) {
	truncated := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		io.WriteString(w, okVOTable[:200])
	}))
	defer truncated.Close()
	c, _ := NewClient(truncated.URL, WithRetries(0))
	res, err := c.Sync(ctxT(t), Query{ADQL: "SELECT 1"})
	if err == nil {
		var rowErr error
		for _, err := range res.Rows() {
			if err != nil {
				rowErr = err
			}
		}
		res.Close()
		if rowErr == nil {
			t.Error("truncated VOTable read without error")
		}
	}
	_, err = c.Capabilities(ctxT(t))
	if err == nil {
		t.Error("truncated capabilities accepted")
	}

	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(block)
	c, _ = NewClient(slow.URL, WithRetries(0))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Sync(ctx, Query{ADQL: "SELECT 1"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("timeout not honoured")
	}
}

func TestQueryValidation(t *testing.T) {
	_, srv := newFakeTAP(t)
	c := testClient(t, srv)
	if _, err := c.Sync(ctxT(t), Query{}); err == nil {
		t.Error("empty query accepted")
	}
	if _, err := c.Sync(ctxT(t), Query{ADQL: "SELECT 1", MaxRec: -5}); err == nil {
		t.Error("negative MaxRec accepted")
	}
	v, _ := (&Query{ADQL: "x", MaxRec: MetadataOnly}).params(false)
	if v.Get("MAXREC") != "0" {
		t.Errorf("MetadataOnly = %v", v)
	}
}

// countingTransport counts the requests sent through a caller's client.
type countingTransport struct {
	mu sync.Mutex
	n  int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (c *countingTransport) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// TestHTTPClientAndRetries checks that requests go through the caller's
// client (WithHTTPClient), that GETs are retried there on 503, and that job
// creation (a POST) is sent once.
func TestHTTPClientAndRetries(t *testing.T) {
	f, srv := newFakeTAP(t)
	ct := &countingTransport{}
	c := testClient(t, srv, WithHTTPClient(&http.Client{Transport: ct}))
	f.fail503 = 2
	if _, err := c.Availability(ctxT(t)); err != nil {
		t.Fatalf("GET not retried: %v", err)
	}
	if n := ct.count(); n != 3 {
		t.Errorf("availability: %d requests through the caller's client, want 3 (two 503s, then 200)", n)
	}
	f.fail503 = 1
	_, err := c.Async(ctxT(t), Query{ADQL: "SELECT 1"})
	var se *ServiceError
	if !errors.As(err, &se) || se.StatusCode != 503 {
		t.Errorf("job creation after 503 = %v, want a 503 ServiceError", err)
	}
	if n := ct.count(); n != 4 {
		t.Errorf("job creation: %d requests in all, want 4 (the POST sent once)", n)
	}
}

func TestNilHTTPClient(t *testing.T) {
	_, srv := newFakeTAP(t)
	c := testClient(t, srv, WithHTTPClient(nil))
	if _, err := c.Availability(ctxT(t)); err != nil {
		t.Errorf("WithHTTPClient(nil): %v", err)
	}
}
