package nustar

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "nustar"

// Reasons for skipping a row.
const (
	SkipNoID       = "no sequenceID/obsid"
	SkipNoTimes    = "no start or end"
	SkipNotScience = "observation_mode not SCIENCE (slew, ...)"
	SkipBadRow     = "invalid record"
)

// WarnNoPosition counts rows kept without a position.
const WarnNoPosition = "position missing or off the sky"

// WarnExposureFromSpan counts as-flown rows without a positive
// exposure_a or exposure_b (or a reply without those columns): their
// exposure is the observation's time span, as ACROSS takes it.
const WarnExposureFromSpan = "no exposure_a/exposure_b: exposure is end_time - time"

// PlannedColumns are the columns of the planned table; AsFlownColumns those
// of numaster read (ACROSS nustar/low_fidelity_planned.py and as_flown.py).
var (
	PlannedColumns = []string{"obs_start", "obs_end", "sequenceID", "Name", "J2000 RA", "J2000 Dec", "Exp"}
	AsFlownColumns = []string{"name", "ra", "dec", "roll_angle", "time", "end_time", "obsid", "observation_mode"}
)

// FieldOfView is NuSTAR's effective field at 10 keV, a 10′ × 10′ square
// (NASA-ACROSS/across-server@1753319e3df1385e80836d89d24cd3cb3f14f1e0:
// migrations/versions/_2025_05_28_1327-ef89d3f04ff7_add_nustar.py
// NUSTAR_FOOTPRINT, after HEASARC's NuSTAR technical description). The
// as-flown rows place it at the pointing, rotated by roll_angle taken as
// the position angle of the square's +y side east of north (numaster's
// convention for roll_angle is not documented in the sources read; for a
// square only the angle modulo 90° matters).
var FieldOfView = activities.Rectangle("FPM", 10.0/60, 10.0/60)

func band() activities.Bandpass {
	b, _ := activities.BandpassFromEnergy(3*activities.KiloElectronVolt, 78.4*activities.KiloElectronVolt)
	return b
}

type table = schedfile.Table

// ParsePlanned reads the planned schedule: the page's first HTML table, or
// the table re-serialized as CSV (a first unnamed index column, as pandas
// writes it, is ignored).
func ParsePlanned(b []byte) (*connectors.Reply, error) {
	t, err := schedfile.ReadTable(Name, b)
	if err != nil {
		return nil, err
	}
	ix, err := t.Need(Name, PlannedColumns)
	if err != nil {
		return nil, err
	}
	res := &connectors.Reply{}
	bp := band()
	for _, r := range t.Rows {
		res.Records++
		rec := obscore.CSVRecord(r)
		id := rec.Text(ix["sequenceID"])
		if id == "" {
			res.Skip(SkipNoID)
			continue
		}
		var tt [2]time.Time
		skip := false
		for i, c := range []string{"obs_start", "obs_end"} {
			s := rec.Text(ix[c])
			if s == "" {
				skip = true
				break
			}
			v, err := parseDOY(s)
			if err != nil {
				return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: err.Error()}
			}
			tt[i] = v
		}
		if skip {
			res.Skip(SkipNoTimes)
			continue
		}
		a := activities.Activity{ID: activities.NewID(Name, id), Source: Name, Kind: activities.KindPlanned,
			Fidelity: activities.FidelityLow, Observatory: "NASA", Facility: "NuSTAR", Instrument: "FPMA/FPMB",
			DatasetID: id, Start: tt[0], End: tt[1], Bandpass: &bp}
		a.Target.Name = rec.Text(ix["Name"])
		if ks, ok, err := rec.Number(ix["Exp"]); err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "Exp", Reason: err.Error()}
		} else if ok && ks >= 0 {
			a.Exposure = activities.Float(math.Round(ks*1e6) / 1e3) // ks, to the millisecond
		}
		if err := position(&a, rec, ix["J2000 RA"], ix["J2000 Dec"], -1, res); err != nil {
			return nil, err
		}
		add(&a, res)
	}
	return res, nil
}

// ParseAsFlown reads numaster rows: a TAP VOTable, or the ASCII table
// astropy writes (whitespace-separated, strings in double quotes).
func ParseAsFlown(b []byte) (*connectors.Reply, error) {
	var t table
	var err error
	if obscore.IsVOTable(b) {
		t, err = votableTable(b)
	} else if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "numaster rows", Title: title}
	} else {
		t, err = asciiTable(b)
	}
	if err != nil {
		return nil, err
	}
	ix, err := t.Need(Name, AsFlownColumns)
	if err != nil {
		return nil, err
	}
	prnb, pil, pif, title := t.Cols.Index("prnb"), t.Cols.Index("pi_lname"), t.Cols.Index("pi_fname"), t.Cols.Index("title")
	expA, expB := t.Cols.Index("exposure_a"), t.Cols.Index("exposure_b")
	res := &connectors.Reply{}
	bp := band()
	for _, r := range t.Rows {
		res.Records++
		rec := obscore.CSVRecord(r)
		id := rec.Text(ix["obsid"])
		if id == "" {
			res.Skip(SkipNoID)
			continue
		}
		if rec.Text(ix["observation_mode"]) != "SCIENCE" {
			res.Skip(SkipNotScience)
			continue
		}
		var tt [2]time.Time
		skip := false
		for i, c := range []string{"time", "end_time"} {
			v, ok, err := rec.Number(ix[c])
			if err != nil {
				return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: err.Error()}
			}
			if !ok {
				skip = true
				break
			}
			tm, ok := schedfile.ObservationMJD(v)
			if !ok {
				return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: fmt.Sprintf("%v is not an MJD", v)}
			}
			tt[i] = tm
		}
		if skip {
			res.Skip(SkipNoTimes)
			continue
		}
		a := activities.Activity{ID: activities.NewID(Name, id), Source: Name, Kind: activities.KindCompleted,
			Observatory: "NASA", Facility: "NuSTAR", Instrument: "FPMA/FPMB", DatasetID: id,
			Start: tt[0], End: tt[1], Bandpass: &bp}
		// The exposure: the longer of the two modules' (numaster
		// exposure_a, exposure_b, seconds), else the span.
		exp := 0.0
		for _, c := range []int{expA, expB} {
			if c < 0 {
				continue
			}
			v, ok, err := rec.Number(c)
			if err != nil {
				return nil, &connectors.SchemaError{Source: Name, Column: t.Cols.Names()[c], Reason: err.Error()}
			}
			if ok && v > exp && v < 1e8 {
				exp = v
			}
		}
		switch {
		case exp > 0:
			a.Exposure = activities.Float(exp)
		case !tt[1].Before(tt[0]):
			a.Exposure = activities.Float(tt[1].Sub(tt[0]).Seconds())
			res.Warn(WarnExposureFromSpan)
		}
		a.Target.Name = rec.Text(ix["name"])
		if p := rec.Text(prnb); p != "" && p != "0" {
			a.Programme.ID = p
		}
		a.Programme.PI = strings.TrimSpace(rec.Text(pif) + " " + rec.Text(pil))
		a.Programme.Title = rec.Text(title)
		if err := position(&a, rec, ix["ra"], ix["dec"], ix["roll_angle"], res); err != nil {
			return nil, err
		}
		if a.Pointing != nil && a.Pointing.Roll != nil {
			if fp, err := FieldOfView.Place(*a.Pointing); err == nil {
				a.Footprints = fp
			}
		}
		add(&a, res)
	}
	return res, nil
}

func add(a *activities.Activity, res *connectors.Reply) {
	a.Revision = activities.Revision(a.Kind, time.Time{})
	if err := a.Validate(); err != nil {
		res.Warn("invalid record: " + err.Error())
		res.Skip(SkipBadRow)
		return
	}
	res.Activities = append(res.Activities, *a)
}

func position(a *activities.Activity, rec obscore.Record, ra, dec, roll int, res *connectors.Reply) error {
	r, rok, err := rec.Number(ra)
	if err != nil {
		return &connectors.SchemaError{Source: Name, Column: "ra", Reason: err.Error()}
	}
	d, dok, err := rec.Number(dec)
	if err != nil {
		return &connectors.SchemaError{Source: Name, Column: "dec", Reason: err.Error()}
	}
	var rp *float64
	if roll >= 0 {
		v, ok, err := rec.Number(roll)
		if err != nil {
			return &connectors.SchemaError{Source: Name, Column: "roll_angle", Reason: err.Error()}
		}
		if ok {
			rp = &v
		}
	}
	if p, err := activities.NewPointing(r, d, rp); rok && dok && err == nil {
		a.Pointing = &p
		archive.SetPosition(&a.Target, p.RA, p.Dec)
	} else {
		res.Warn(WarnNoPosition)
	}
	return nil
}

// parseDOY reads "YYYY:DOY:hh:mm:ss" as UTC.
func parseDOY(s string) (time.Time, error) {
	f := strings.Split(strings.TrimSpace(s), ":")
	if len(f) != 5 {
		return time.Time{}, fmt.Errorf("not YYYY:DOY:hh:mm:ss: %.40q", s)
	}
	var n [5]int
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return time.Time{}, fmt.Errorf("not YYYY:DOY:hh:mm:ss: %.40q", s)
		}
		n[i] = v
	}
	if n[0] < 2000 || n[0] > 2100 || n[1] < 1 || n[1] > 366 || n[2] > 23 || n[3] > 59 || n[4] > 60 {
		return time.Time{}, fmt.Errorf("out of range: %.40q", s)
	}
	t := time.Date(n[0], 1, 1, n[2], n[3], n[4], 0, time.UTC).AddDate(0, 0, n[1]-1)
	if t.Year() != n[0] {
		return time.Time{}, fmt.Errorf("day %d past the end of %d", n[1], n[0])
	}
	return t, nil
}

// slicesClone copies the cells of a record (the CSV reader reuses them).
func slicesClone(r obscore.Record, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = r.Text(i)
	}
	return out
}

func votableTable(b []byte) (table, error) {
	vr := votable.NewReader(bytes.NewReader(b), votable.Options{})
	defer vr.Close()
	vt, err := vr.NextTable()
	if err != nil {
		if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
			return table{}, fmt.Errorf("%s: service error: %s", Name, strings.TrimSpace(st.Content))
		}
		return table{}, fmt.Errorf("%s: VOTable: %w", Name, err)
	}
	t := table{Cols: obscore.VOTableColumns(vt)}
	for row, err := range vr.Rows() {
		if err != nil {
			return table{}, fmt.Errorf("%s: VOTable row %d: %w", Name, len(t.Rows)+1, err)
		}
		t.Rows = append(t.Rows, slicesClone(obscore.VOTableRecord(row), len(vt.Fields)))
	}
	return t, nil
}

// asciiTable reads astropy's basic ASCII format: a header line of names,
// then rows of whitespace-separated cells; a cell in double quotes may
// hold spaces, and a doubled quote inside it is a quote.
func asciiTable(b []byte) (table, error) {
	var t table
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		cells, err := splitASCII(line)
		if err != nil {
			return table{}, fmt.Errorf("%s: line %d: %w", Name, n+1, err)
		}
		if t.Cols.Names() == nil {
			t.Cols = obscore.NewColumns(cells)
			continue
		}
		if len(cells) != len(t.Cols.Names()) {
			return table{}, &connectors.SchemaError{Source: Name, Column: "",
				Reason: fmt.Sprintf("line %d has %d cells, the header %d", n+1, len(cells), len(t.Cols.Names()))}
		}
		t.Rows = append(t.Rows, cells)
	}
	if t.Cols.Names() == nil {
		return table{}, &connectors.SchemaError{Source: Name, Column: "", Reason: "no header line"}
	}
	return t, nil
}

func splitASCII(line string) ([]string, error) {
	var out []string
	rs := []rune(line)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var cell strings.Builder
		if rs[i] == '"' {
			i++
			closed := false
			for i < len(rs) {
				if rs[i] == '"' {
					if i+1 < len(rs) && rs[i+1] == '"' {
						cell.WriteRune('"')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				cell.WriteRune(rs[i])
				i++
			}
			if !closed {
				return nil, fmt.Errorf("unclosed quote")
			}
		} else {
			for i < len(rs) && !unicode.IsSpace(rs[i]) {
				cell.WriteRune(rs[i])
				i++
			}
		}
		out = append(out, cell.String())
	}
	return out, nil
}
