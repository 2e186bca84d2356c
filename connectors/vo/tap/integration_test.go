package tap

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// The integration tests run against the DaCHS TAP service that
// .ci/setup.d/40-dachs.sh installs, publishing testdata/dachs (3000
// observations in arcsecond.obs, also in ivoa.obscore). They skip when
// ARCSECOND_TAP_URL is unset, and fail then under CI.
func dachs(t *testing.T) *Client {
	t.Helper()
	u := os.Getenv("ARCSECOND_TAP_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("ARCSECOND_TAP_URL is not set under CI: .ci/setup.d/40-dachs.sh should have started DaCHS")
		}
		t.Skip("ARCSECOND_TAP_URL not set (run .ci/setup.d/40-dachs.sh for a local DaCHS TAP service)")
	}
	c, err := NewClient(u, WithPolling(100*time.Millisecond, time.Second, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func dctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// count runs a one-row, one-column integer query.
func count(t *testing.T, c *Client, ctx context.Context, q string) int64 {
	t.Helper()
	res, err := c.Sync(ctx, Query{ADQL: q})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var n int64 = -1
	for row, err := range res.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		v, ok := row.Int(0)
		if !ok {
			t.Fatal("count is null")
		}
		n = v
	}
	return n
}

func TestDaCHSSync(t *testing.T) {
	c := dachs(t)
	ctx := dctx(t)
	if n := count(t, c, ctx, "SELECT COUNT(*) FROM ivoa.obscore WHERE obs_collection IN ('HST', 'ESO/VLT', 'Gemini', 'Swift')"); n != 3000 {
		t.Errorf("ivoa.obscore rows = %d, want 3000", n)
	}
	res, err := c.Sync(ctx, Query{ADQL: "SELECT TOP 5 obs_id, facility_name, instrument_name, target_name, s_ra, s_dec, s_region, t_min, t_max, proposal_id, obs_creator_name, calib_level FROM ivoa.obscore ORDER BY obs_id"})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	tab, err := res.Table()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"obs_id", "s_region", "t_min", "proposal_id", "obs_creator_name"} {
		if tab.FieldIndex(name) < 0 {
			t.Errorf("no field %s", name)
		}
	}
	var rows int
	for row, err := range res.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		rows++
		ra, ok1 := row.Float(tab.FieldIndex("s_ra"))
		tmin, ok2 := row.Float(tab.FieldIndex("t_min"))
		pi, ok3 := row.String(tab.FieldIndex("obs_creator_name"))
		if !ok1 || !ok2 || !ok3 || ra < 0 || ra >= 360 || tmin < 58119 || tmin > 60677 || pi == "" {
			t.Errorf("row %d: ra %v tmin %v pi %q", rows, ra, tmin, pi)
		}
		// DaCHS 2.7 writes s_region as STC-S text (xtype adql:REGION),
		// newer services as a DALI polygon.
		switch v := row.Value(tab.FieldIndex("s_region")).(type) {
		case votable.Polygon:
		case string:
			if !strings.HasPrefix(v, "Polygon ICRS ") {
				t.Errorf("s_region = %q", v)
			}
		default:
			t.Errorf("s_region = %#v", v)
		}
	}
	if rows != 5 {
		t.Errorf("rows = %d", rows)
	}
}

func TestDaCHSQuotedLiterals(t *testing.T) {
	c := dachs(t)
	ctx := dctx(t)
	q, err := adql.Sprintf("SELECT COUNT(*) FROM %i WHERE target_name = %s", []string{"arcsecond", "obs"}, "Barnard's Star")
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, ctx, q); n < 10 {
		t.Errorf("Barnard's Star: %d observations", n)
	}
	// UTF-8 in a literal.
	q, _ = adql.Sprintf("SELECT COUNT(*) FROM arcsecond.obs WHERE target_name = %s", "ρ Oph A")
	if n := count(t, c, ctx, q); n < 10 {
		t.Errorf("ρ Oph A: %d observations", n)
	}
	// Hostile input stays a literal: no rows, no error, and the table is
	// still there.
	// DaCHS reads \' as an escaped quote: this input, quoted by doubling
	// alone, injected "OR 1=1"; the adql package refuses it.
	if _, err := adql.Sprintf("%s", `a\' OR 1=1 --`); !errors.Is(err, adql.ErrBackslash) {
		t.Errorf("backslash-quote input: %v", err)
	}
	for _, h := range []string{"x' OR '1'='1", "'; DROP TABLE arcsecond.obs; --", `\x' OR ''='`, "' UNION SELECT COUNT(*) FROM tap_schema.tables --"} {
		q, err := adql.Sprintf("SELECT COUNT(*) FROM arcsecond.obs WHERE target_name = %s", h)
		if err != nil {
			t.Fatal(err)
		}
		// Either no row matches, or (for the backslash, which DaCHS's
		// parser accepts only before a quote or a backslash) the service
		// refuses the query; never does it run something else.
		res, err := c.Sync(ctx, Query{ADQL: q})
		var se *ServiceError
		if errors.As(err, &se) && strings.Contains(h, `\`) {
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		for row, err := range res.Rows() {
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := row.Int(0); n != 0 {
				t.Errorf("%q matched %d rows", h, n)
			}
		}
		res.Close()
	}
	if n := count(t, c, ctx, "SELECT COUNT(*) FROM arcsecond.obs"); n != 3000 {
		t.Errorf("arcsecond.obs has %d rows after hostile queries", n)
	}
}

func TestDaCHSOverflow(t *testing.T) {
	c := dachs(t)
	res, err := c.Sync(dctx(t), Query{ADQL: "SELECT obs_id FROM ivoa.obscore", MaxRec: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var rows int
	for _, err := range res.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		rows++
	}
	if rows != 10 || !res.Overflow() {
		t.Errorf("rows %d, overflow %v", rows, res.Overflow())
	}
	res2, err := c.Sync(dctx(t), Query{ADQL: "SELECT obs_id FROM ivoa.obscore", MaxRec: 10, FailOnOverflow: true})
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Close()
	var last error
	for _, err := range res2.Rows() {
		last = err
	}
	if !errors.Is(last, ErrOverflow) {
		t.Errorf("FailOnOverflow: %v", last)
	}
	// A result that fits is not an overflow.
	res3, err := c.Sync(dctx(t), Query{ADQL: "SELECT TOP 3 obs_id FROM ivoa.obscore", MaxRec: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer res3.Close()
	for range res3.Rows() {
	}
	if res3.Overflow() {
		t.Error("overflow on a 3-row result")
	}
}

func TestDaCHSADQLError(t *testing.T) {
	c := dachs(t)
	_, err := c.Sync(dctx(t), Query{ADQL: "SELEC obs_id FROM ivoa.obscore"})
	if err == nil {
		t.Fatal("syntax error accepted")
	}
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	// DaCHS's own message, e.g. "Could not parse your query: Expected
	// "SELECT", found 'S' ...".
	if !strings.Contains(se.Message, "Could not parse") || !strings.Contains(err.Error(), "SELECT") {
		t.Errorf("message = %q", se.Message)
	}
	_, err = c.Sync(dctx(t), Query{ADQL: "SELECT nosuchcolumn FROM ivoa.obscore"})
	if !errors.As(err, &se) || !strings.Contains(strings.ToLower(se.Message), "nosuchcolumn") {
		t.Errorf("unknown column: %v", err)
	}
}

func TestDaCHSFormats(t *testing.T) {
	c := dachs(t)
	for _, f := range []struct{ format, sep string }{{"csv", ","}, {"tsv", "\t"}} {
		res, err := c.Sync(dctx(t), Query{ADQL: "SELECT TOP 3 obs_id, target_name FROM arcsecond.obs ORDER BY obs_id", Format: f.format})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body())
		res.Close()
		if err != nil {
			t.Fatal(err)
		}
		// DaCHS writes a header line in CSV only.
		lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n")), "\n")
		if len(lines) < 3 || len(lines) > 4 || !strings.Contains(lines[len(lines)-1], f.sep) {
			t.Errorf("%s: %q", f.format, b)
		}
		if f.format == "csv" && lines[0] != "obs_id,target_name" {
			t.Errorf("csv header = %q", lines[0])
		}
	}
}

func TestDaCHSAsync(t *testing.T) {
	c := dachs(t)
	var phases []Phase
	c.observer = func(j *JobInfo) { phases = append(phases, j.Phase) }
	res, err := c.Async(dctx(t), Query{ADQL: "SELECT facility_name, COUNT(*) AS n FROM ivoa.obscore GROUP BY facility_name ORDER BY facility_name",
		ExecutionDuration: time.Minute, RunID: "arcsecond-test"})
	if err != nil {
		t.Fatal(err)
	}
	job := res.Job()
	var facilities []string
	var total int64
	for row, err := range res.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		f, _ := row.String(0)
		n, _ := row.Int(1)
		facilities = append(facilities, f)
		total += n
	}
	if total != 3000 || !slices.Contains(facilities, "HST") || !slices.Contains(facilities, "ESO-VLT-U4") {
		t.Errorf("facilities %v total %d", facilities, total)
	}
	if len(phases) == 0 || phases[len(phases)-1] != PhaseCompleted {
		t.Errorf("phases = %v", phases)
	}
	if err := res.Close(); err != nil {
		t.Fatal(err)
	}
	// Close deleted the job.
	if _, err := job.Info(dctx(t)); err == nil {
		t.Error("job still there after Close")
	}
}

func TestDaCHSAsyncJobControl(t *testing.T) {
	c := dachs(t)
	ctx := dctx(t)
	job, err := c.Submit(ctx, Query{ADQL: "SELECT TOP 1 obs_id FROM ivoa.obscore", RunID: "ctl"})
	if err != nil {
		t.Fatal(err)
	}
	defer job.Delete(context.Background())
	refs, err := c.Jobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(refs, func(r JobRef) bool { return r.ID == job.ID() && r.Phase == PhasePending }) {
		t.Errorf("job %s not in the job list (%d jobs)", job.ID(), len(refs))
	}
	info, err := job.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Phase != PhasePending {
		t.Errorf("new job = %+v", info)
	}
	if q, _ := info.Param("query"); !strings.Contains(q, "obs_id") {
		t.Errorf("query parameter = %q", q)
	}
	if err := job.SetExecutionDuration(ctx, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(6 * time.Hour).UTC().Truncate(time.Second)
	if err := job.SetDestruction(ctx, when); err != nil {
		t.Fatal(err)
	}
	info, err = job.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.ExecutionDuration != 30*time.Second {
		t.Errorf("executionDuration = %v", info.ExecutionDuration)
	}
	if d := info.Destruction.Sub(when); d < -time.Minute || d > time.Minute {
		t.Errorf("destruction = %v, asked %v", info.Destruction, when)
	}
	if p, err := job.Phase(ctx); err != nil || p != PhasePending {
		t.Errorf("phase = %v, %v", p, err)
	}
	// Abort before it runs.
	if err := job.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	info, err = job.Wait(ctx)
	if err != nil || info.Phase != PhaseAborted {
		t.Fatalf("after abort: %+v, %v", info, err)
	}
	if _, err := job.Result(ctx); err == nil {
		t.Error("result of an aborted job")
	}
	if err := job.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := job.Info(ctx); err == nil {
		t.Error("deleted job still readable")
	}
}

func TestDaCHSAsyncErrorJob(t *testing.T) {
	c := dachs(t)
	_, err := c.Async(dctx(t), Query{ADQL: "SELECT obs_id FROM ivoa.obscore WHERE nosuchcolumn > 1"})
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if se.Status != "ERROR" || se.JobID == "" || !strings.Contains(strings.ToLower(se.Message), "nosuchcolumn") {
		t.Errorf("error job = %+v", se)
	}
}

func TestDaCHSUpload(t *testing.T) {
	c := dachs(t)
	ctx := dctx(t)
	// Pick three real observation ids, upload them, join back.
	res, err := c.Sync(ctx, Query{ADQL: "SELECT TOP 3 obs_id FROM arcsecond.obs ORDER BY obs_id"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for row, err := range res.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		s, _ := row.String(0)
		ids = append(ids, s)
	}
	res.Close()
	fields := []votable.Field{{Name: "oid", Datatype: "char", Arraysize: "*"}, {Name: "weight", Datatype: "double"}}
	rows := func(yield func([]any) bool) {
		for i, id := range ids {
			if !yield([]any{id, float64(i) + 0.5}) {
				return
			}
		}
	}
	for _, mode := range []string{"sync", "async"} {
		q := Query{
			ADQL:    "SELECT o.obs_id, u.weight, o.instrument_name FROM arcsecond.obs AS o JOIN TAP_UPLOAD.mine AS u ON o.obs_id = u.oid ORDER BY u.weight",
			Uploads: []Upload{TableUpload("mine", fields, rows)},
		}
		run := c.Sync
		if mode == "async" {
			run = c.Async
		}
		res, err := run(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		var got []string
		for row, err := range res.Rows() {
			if err != nil {
				t.Fatal(err)
			}
			s, _ := row.String(0)
			got = append(got, s)
		}
		res.Close()
		if !slices.Equal(got, ids) {
			t.Errorf("%s upload join = %v, want %v", mode, got, ids)
		}
	}
}

func TestDaCHSCapabilities(t *testing.T) {
	c := dachs(t)
	caps, err := c.Capabilities(dctx(t))
	if err != nil {
		t.Fatal(err)
	}
	tap := caps.Find(StandardTAP)
	if tap == nil {
		t.Fatal("no TAP capability")
	}
	if len(tap.Languages) == 0 || tap.Languages[0].Name != "ADQL" {
		t.Errorf("languages = %+v", tap.Languages)
	}
	if !tap.SupportsFormat("csv") || !tap.SupportsFormat("tsv") {
		t.Error("csv/tsv not offered")
	}
	if !slices.Contains(tap.UploadMethods, "ivo://ivoa.net/std/TAPRegExt#upload-inline") {
		t.Errorf("upload methods = %v", tap.UploadMethods)
	}
	var obscore bool
	for _, dm := range tap.DataModels {
		obscore = obscore || strings.Contains(strings.ToLower(dm.IVOID), "obscore")
	}
	if !obscore {
		t.Errorf("no ObsCore data model in %+v", tap.DataModels)
	}
	av, err := c.Availability(dctx(t))
	if err != nil || !av.Available {
		t.Errorf("availability %+v, %v", av, err)
	}
}

func TestDaCHSTables(t *testing.T) {
	c := dachs(t)
	ts, err := c.Tables(dctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ivoa.obscore", "arcsecond.obs", "tap_schema.columns"} {
		if ts.Table(name) == nil {
			t.Errorf("no table %s", name)
		}
	}
	tab, err := c.Table(dctx(t), "ivoa.obscore")
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"s_region", "t_min", "facility_name", "proposal_id", "obs_creator_name"} {
		if tab.Column(col) == nil {
			t.Errorf("ivoa.obscore has no column %s", col)
		}
	}
	if c := tab.Column("s_ra"); c == nil || c.UCD == "" || c.Unit != "deg" {
		t.Errorf("s_ra = %+v", c)
	}
}

func TestDaCHSAbortRunning(t *testing.T) {
	c := dachs(t)
	ctx := dctx(t)
	// DaCHS takes seconds to start a job's worker, and a self-join of the
	// 3000 rows a few more: the abort arrives while it executes. (It is
	// the last test: DaCHS 2.7 may hold a lock on its jobs table for a
	// while after killing a worker.)
	job, err := c.Submit(ctx, Query{ADQL: "SELECT COUNT(*) FROM arcsecond.obs AS a, arcsecond.obs AS b WHERE a.s_ra + b.s_ra > a.s_dec",
		ExecutionDuration: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer job.Delete(context.Background())
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// Wait until it executes.
	deadline := time.Now().Add(30 * time.Second)
	for {
		p, err := job.Phase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p == PhaseExecuting {
			break
		}
		if p.Final() || time.Now().After(deadline) {
			t.Fatalf("job in phase %s, never EXECUTING", p)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := job.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := job.Wait(ctx)
	if err != nil || info.Phase != PhaseAborted {
		t.Errorf("after abort: %+v, %v", info, err)
	}
}
