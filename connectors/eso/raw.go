package eso

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/vo/adql"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// Reasons for skipping a raw frame (keys of Result.Skipped), besides the
// dp_cat ones of mapping.json ("calibration frame (dp_cat=CALIB)", ...).
const (
	SkipNoDPID      = "no dp_id"
	SkipNoStart     = "no exp_start"
	SkipNoDPCat     = "no dp_cat"
	SkipNoFacility  = "no telescope and unknown instrument"
	SkipUnknownCat  = "unknown dp_cat value" // followed by ": VALUE"
	SkipInvalidData = "invalid record"
)

var (
	rawRequiredColumns = [...]string{"dp_id", "exp_start", "dp_cat", "instrument"}
	rawOptionalColumns = [...]string{"telescope", "prog_id", "prog_title", "pi_coi", "object", "target",
		"ra", "dec", "exposure", "filter_path", "ins_mode", "access_url", "datalink_url", "last_mod_date", "dp_type"}
)

// RawRequiredColumns returns the dbo.raw columns without which no activity
// can be built: their absence is a *SchemaError naming them.
func RawRequiredColumns() []string { return append([]string(nil), rawRequiredColumns[:]...) }

// RawOptionalColumns returns the columns read when present; each absent
// one is counted once per reply as the warning "column absent: NAME".
func RawOptionalColumns() []string { return append([]string(nil), rawOptionalColumns[:]...) }

// rawTable queries and reads dbo.raw.
type rawTable struct{ o *Options }

// ADQL of the raw-frame window query: frames whose exp_start falls in the
// window, optionally in a cone and for some instruments, by exp_start.
func (t *rawTable) ADQL(w activities.Window) (string, error) {
	var conds []string
	if !w.Start.IsZero() {
		conds = append(conds, "exp_start >= "+adql.Timestamp(w.Start.UTC()))
	}
	if !w.End.IsZero() {
		conds = append(conds, "exp_start < "+adql.Timestamp(w.End.UTC()))
	}
	if c := t.o.Cone; c != nil {
		s, err := obscore.ConeCondition("s_region", *c)
		if err != nil {
			return "", err
		}
		conds = append(conds, s)
	}
	if len(t.o.Instruments) > 0 {
		lits := make([]string, len(t.o.Instruments))
		for i, in := range t.o.Instruments {
			l, err := adql.String(strings.ToUpper(strings.TrimSpace(in)))
			if err != nil {
				return "", fmt.Errorf("instrument %q: %w", in, err)
			}
			lits[i] = l
		}
		conds = append(conds, "instrument IN ("+strings.Join(lits, ", ")+")")
	}
	if t.o.ScienceOnly {
		conds = append(conds, "dp_cat = 'SCIENCE'")
	}
	q := "SELECT * FROM dbo.raw"
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	return q + " ORDER BY exp_start", nil
}

func (t *rawTable) Bind(cols obscore.Columns, res *connectors.Reply) (obscore.RowConverter, error) {
	return bindRaw(cols, res)
}

type rawBinding struct {
	dpID, start, cat, inst, tel, prog, title, pi, object, target    int
	ra, dec, exposure, filter, mode, access, datalink, lastMod, typ int
}

func bindRaw(cols obscore.Columns, res *connectors.Reply) (*rawBinding, error) {
	for _, n := range rawRequiredColumns {
		if cols.Index(n) < 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: n,
				Reason: "required dbo.raw column missing from the reply (renamed or dropped?)"}
		}
	}
	for _, n := range rawOptionalColumns {
		if cols.Index(n) < 0 {
			res.Warn("column absent: " + n)
		}
	}
	ix := cols.Index
	return &rawBinding{dpID: ix("dp_id"), start: ix("exp_start"), cat: ix("dp_cat"), inst: ix("instrument"),
		tel: ix("telescope"), prog: ix("prog_id"), title: ix("prog_title"), pi: ix("pi_coi"),
		object: ix("object"), target: ix("target"), ra: ix("ra"), dec: ix("dec"), exposure: ix("exposure"),
		filter: ix("filter_path"), mode: ix("ins_mode"), access: ix("access_url"), datalink: ix("datalink_url"),
		lastMod: ix("last_mod_date"), typ: ix("dp_type")}, nil
}

func schemaErr(col string, err error) error {
	return &connectors.SchemaError{Source: Name, Column: col, Reason: err.Error()}
}

// Convert turns one dbo.raw row into an archived activity.
func (b *rawBinding) Convert(r obscore.Record, res *connectors.Reply) (a activities.Activity, skip string, err error) {
	id := r.Text(b.dpID)
	if id == "" {
		return a, SkipNoDPID, nil
	}
	cat := strings.ToUpper(r.Text(b.cat))
	if cat == "" {
		return a, SkipNoDPCat, nil
	}
	reason, known := mapping.DPCat[cat]
	if !known {
		return a, SkipUnknownCat + ": " + clip(cat), nil
	}
	if reason != "" {
		return a, reason, nil
	}
	start, ok, err := r.Time(b.start)
	if err != nil {
		return a, "", schemaErr("exp_start", err)
	}
	if !ok {
		return a, SkipNoStart, nil
	}
	inst := r.Text(b.inst)
	p := Place(r.Text(b.tel), inst)
	if p.Facility == "" {
		return a, SkipNoFacility, nil
	}
	if tel := r.Text(b.tel); tel != "" && !p.KnownTelescope {
		res.Warn("unknown telescope code: " + clip(tel))
	}
	if inst != "" && !p.KnownInstrument {
		res.Warn("instrument not in catalogs: " + clip(inst))
	}
	a = activities.Activity{ID: activities.NewID(Name, id), Source: Name, Kind: activities.KindArchived,
		Observatory: p.Observatory, Facility: p.Facility, Instrument: inst, Mode: r.Text(b.mode),
		Filter: r.Text(b.filter), Start: start, DatasetID: id}
	if e, ok, err := r.Number(b.exposure); err != nil {
		return a, "", schemaErr("exposure", err)
	} else if ok {
		if e >= 0 {
			a.Exposure = activities.Float(e)
			a.End = start.Add(time.Duration(e * float64(time.Second)))
		} else {
			res.Warn("negative exposure")
		}
	}
	a.Programme.ID = r.Text(b.prog)
	a.Programme.Title = r.Text(b.title)
	a.Programme.PI, a.Programme.Investigators = splitPICoI(r.Text(b.pi))
	a.Target.Name = r.Text(b.target)
	if a.Target.Name == "" {
		a.Target.Name = r.Text(b.object)
	}
	ra, rok, err := r.Number(b.ra)
	if err != nil {
		return a, "", schemaErr("ra", err)
	}
	dec, dok, err := r.Number(b.dec)
	if err != nil {
		return a, "", schemaErr("dec", err)
	}
	if rok && dok && !archive.SetPosition(&a.Target, ra, dec) {
		res.Warn("ra/dec out of range")
	}
	if a.Target.RA != nil {
		a.Target.FOVRadius = p.FOVRadius
	}
	for _, l := range []struct{ title, url string }{{"data", r.Text(b.access)}, {"datalink", r.Text(b.datalink)}} {
		if l.url == "" {
			continue
		}
		if strings.HasPrefix(l.url, "http://") || strings.HasPrefix(l.url, "https://") {
			a.Links = append(a.Links, activities.Link{Title: l.title, URL: l.url})
		} else {
			res.Warn("not an http(s) URL in " + l.title + " link")
		}
	}
	if t, ok, err := r.Time(b.lastMod); err != nil {
		return a, "", schemaErr("last_mod_date", err)
	} else if ok {
		a.Updated = t
	}
	a.Revision = activities.Revision(a.Kind, a.Updated)
	if err := a.Validate(); err != nil {
		res.Warn("invalid record: " + clip(err.Error()))
		return activities.Activity{}, SkipInvalidData, nil
	}
	return a, "", nil
}

// splitPICoI splits ESO's pi_coi ("GILLESSEN/ GENZEL/ EISENHAUER") into
// the PI (the first name) and the co-investigators.
func splitPICoI(s string) (pi string, cois []string) {
	for i, p := range strings.Split(s, "/") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i == 0 || pi == "" {
			pi = p
			continue
		}
		cois = append(cois, p)
	}
	return pi, cois
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// ParseRaw converts a recorded reply of a dbo.raw query (VOTable, or CSV
// as TAP's RESPONSEFORMAT=csv gives it) into activities, with frames that
// are not science skipped and counted by reason. A VOTable's OVERFLOW sets
// Truncated.
func ParseRaw(b []byte) (*connectors.Reply, error) {
	res := &connectors.Reply{}
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "a TAP reply (VOTable or CSV)", Title: title}
	}
	add := func(bind *rawBinding, rec obscore.Record) error {
		res.Records++
		a, skip, err := bind.Convert(rec, res)
		if err != nil {
			return fmt.Errorf("record %d: %w", res.Records, err)
		}
		if skip != "" {
			res.Skip(skip)
			return nil
		}
		res.Activities = append(res.Activities, a)
		return nil
	}
	if obscore.IsVOTable(b) {
		vr := votable.NewReader(bytes.NewReader(b), votable.Options{})
		defer vr.Close()
		t, err := vr.NextTable()
		if err != nil {
			if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
				return nil, fmt.Errorf("%s: service error: %s", Name, strings.TrimSpace(st.Content))
			}
			return nil, fmt.Errorf("%s: VOTable reply: %w", Name, err)
		}
		bind, err := bindRaw(obscore.VOTableColumns(t), res)
		if err != nil {
			return nil, err
		}
		for row, err := range vr.Rows() {
			if err != nil {
				return nil, fmt.Errorf("%s: VOTable reply, row %d: %w", Name, res.Records+1, err)
			}
			if err := add(bind, obscore.VOTableRecord(row)); err != nil {
				return nil, err
			}
		}
		vr.Close() // reads the INFOs written after the rows
		if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
			return res, fmt.Errorf("service error after %d rows: %s", res.Records, strings.TrimSpace(st.Content))
		}
		if vr.Overflow() {
			res.Truncated, res.Limit = true, res.Records
		}
		return res, nil
	}
	cols, rows, err := obscore.ReadCSV(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	bind, err := bindRaw(cols, res)
	if err != nil {
		return nil, err
	}
	for rec, err := range rows {
		if err != nil {
			return nil, fmt.Errorf("%s: %w", Name, err)
		}
		if err := add(bind, rec); err != nil {
			return nil, err
		}
	}
	return res, nil
}
