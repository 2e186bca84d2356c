package obsloctap

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

var update = flag.Bool("update", false, "rewrite testdata/dachs/obsplan.csv")

// obsplanColumns are the columns of testdata/dachs/obsplan.rd, in order.
var obsplanColumns = []string{"t_planning", "target_name", "obs_id", "obs_collection", "s_ra", "s_dec", "s_fov",
	"s_region", "s_resolution", "t_min", "t_max", "t_exptime", "t_resolution", "em_min", "em_max", "em_res_power",
	"o_ucd", "pol_states", "pol_xel", "facility_name", "instrument_name", "t_plan_exptime", "category", "priority",
	"execution_status", "tracking_type", "rubin_rot_sky_pos", "rubin_nexp"}

const (
	rubinReply   = "../rubin/testdata/obsloctap_schedule_10rows.json"
	chandraReply = "../chandra/testdata/cxc_tap_scheduled_observations.xml"
	// chandraWritten is when STIL wrote the Chandra reply (its header
	// comment): the schedule as it stood then, the rows' t_planning.
	chandraWritten = "2025-07-01T15:41:25Z"
	// Synthetic is the obs_collection of the planning-log rows written for
	// the life-cycle tests; no service returned them.
	Synthetic = "arcsecond-synthetic-lifecycle"
)

func mjdText(t time.Time) string {
	return strconv.FormatFloat(astro.GoToMJD(t), 'f', 10, 64)
}

// obsplanRows builds the rows of the DaCHS test table: Rubin's ten rows as
// returned (every column is an obsplan column), Chandra's nineteen
// scheduled observations (obsid, start, position, instrument; what the
// reply does not say is NULL), then the synthetic life-cycle rows.
func obsplanRows(t testing.TB) [][]string {
	var out [][]string
	b, err := os.ReadFile(rubinReply)
	if err != nil {
		t.Fatal(err)
	}
	var rubin []map[string]json.RawMessage
	if err := json.Unmarshal(b, &rubin); err != nil {
		t.Fatal(err)
	}
	for _, r := range rubin {
		row := make([]string, len(obsplanColumns))
		for i, c := range obsplanColumns {
			s, err := jsonCell(r[c])
			if err != nil {
				t.Fatal(err)
			}
			row[i] = s
		}
		out = append(out, row)
	}
	written, _ := time.Parse(time.RFC3339, chandraWritten)
	f, err := os.Open(chandraReply)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vr := votable.NewReader(f, votable.Options{})
	defer vr.Close()
	tbl, err := vr.NextTable()
	if err != nil {
		t.Fatal(err)
	}
	cols := obscore.VOTableColumns(tbl)
	type chandraRow struct {
		obsid, instrument string
		start             time.Time
		ra, dec           string
	}
	var cx []chandraRow
	for row, err := range vr.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		rec := obscore.VOTableRecord(row)
		st, ok, err := rec.Time(cols.Index("start_date"))
		if err != nil || !ok {
			t.Fatalf("start_date: %v", err)
		}
		cx = append(cx, chandraRow{rec.Text(cols.Index("obsid")), rec.Text(cols.Index("instrument")), st,
			rec.Text(cols.Index("ra")), rec.Text(cols.Index("dec"))})
	}
	chandra := func(c chandraRow, planned time.Time, status, coll string, start, end *time.Time) []string {
		row := make([]string, len(obsplanColumns))
		set := func(col, v string) {
			for i, n := range obsplanColumns {
				if n == col {
					row[i] = v
					return
				}
			}
			t.Fatalf("no column %s", col)
		}
		set("t_planning", mjdText(planned))
		set("obs_id", c.obsid)
		set("obs_collection", coll)
		set("s_ra", c.ra)
		set("s_dec", c.dec)
		if start != nil {
			set("t_min", mjdText(*start))
		}
		if end != nil {
			set("t_max", mjdText(*end))
		}
		set("facility_name", "Chandra")
		set("instrument_name", c.instrument)
		set("execution_status", status)
		set("tracking_type", "Sidereal")
		return row
	}
	byID := map[string]chandraRow{}
	for _, c := range cx {
		byID[c.obsid] = c
		start := c.start
		out = append(out, chandra(c, written, "Scheduled", "", &start, nil))
	}
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	// The synthetic planning log: 29614 performed (ending when 29615
	// starts), 29615 aborted, 30978 unscheduled and then planned again
	// without a time, 30986 rescheduled an hour later.
	c := byID["29614"]
	s, e := c.start, byID["29615"].start
	out = append(out, chandra(c, at("2025-07-05T02:00:00Z"), "Performed", Synthetic, &s, &e))
	c = byID["29615"]
	s = c.start
	out = append(out, chandra(c, at("2025-07-05T06:00:00Z"), "Aborted", Synthetic, &s, nil))
	c = byID["30978"]
	s = c.start
	out = append(out, chandra(c, at("2025-07-02T00:00:00Z"), "Unscheduled", Synthetic, &s, nil))
	out = append(out, chandra(c, at("2025-07-02T12:00:00Z"), "Planned", Synthetic, nil, nil))
	c = byID["30986"]
	s = c.start.Add(time.Hour)
	out = append(out, chandra(c, at("2025-07-01T18:00:00Z"), "Scheduled", Synthetic, &s, nil))
	return out
}

func obsplanCSV(t testing.TB) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(obsplanColumns)
	for _, r := range obsplanRows(t) {
		w.Write(r)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDaCHSObsplanTable checks that testdata/dachs/obsplan.csv, the table
// .ci/setup.d/45-obsplan.sh publishes as ivoa.obsplan, is what
// obsplanRows builds from the recorded replies (-update rewrites it).
func TestDaCHSObsplanTable(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "dachs", "obsplan.csv")
	got := obsplanCSV(t)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the recorded replies give (%d vs %d bytes); rerun with -update", path, len(want), len(got))
	}
	rows := bytes.Count(want, []byte("\n")) - 1
	if rows != 10+19+5 {
		t.Fatalf("%d rows, want 34", rows)
	}
}
