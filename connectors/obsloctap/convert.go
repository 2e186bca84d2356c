package obsloctap

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Status is an ObsLocTAP execution_status value.
type Status string

// The execution_status values of ObsLocTAP 1.0 (section 1 and table
// tab:obsplancolumns of the spec).
const (
	Planned     Status = "Planned"     // identified, no time allocated yet
	Scheduled   Status = "Scheduled"   // a time period allocated
	Unscheduled Status = "Unscheduled" // removed from the schedule
	Performed   Status = "Performed"   // performed successfully (operationally)
	Aborted     Status = "Aborted"     // not correctly performed
)

// Statuses lists the five values, in the order of the spec's life cycle.
var Statuses = []Status{Planned, Scheduled, Unscheduled, Performed, Aborted}

// Kind maps an execution status to the activity kind and plan fidelity:
// Planned is a low-fidelity plan (no time allocated yet), Scheduled a
// high-fidelity one, Performed is completed, Aborted and Unscheduled the
// kinds of the same names. ok is false for any other value. The spec's
// values are capitalized; the comparison ignores case.
func (s Status) Kind() (k activities.Kind, f activities.Fidelity, ok bool) {
	switch {
	case strings.EqualFold(string(s), string(Planned)):
		return activities.KindPlanned, activities.FidelityLow, true
	case strings.EqualFold(string(s), string(Scheduled)):
		return activities.KindPlanned, activities.FidelityHigh, true
	case strings.EqualFold(string(s), string(Unscheduled)):
		return activities.KindUnscheduled, "", true
	case strings.EqualFold(string(s), string(Performed)):
		return activities.KindCompleted, "", true
	case strings.EqualFold(string(s), string(Aborted)):
		return activities.KindAborted, "", true
	}
	return "", "", false
}

// Reasons for skipping a row (keys of Result.Skipped).
const (
	SkipNoID         = "no obs_id"
	SkipNoPlanning   = "no t_planning"
	SkipNoFacility   = "no facility_name"
	SkipBadStatus    = "execution_status not one of Planned, Scheduled, Unscheduled, Performed, Aborted"
	SkipNoStartTimed = "no t_min for a Scheduled or Performed row"
	SkipNoStart      = "no t_min"
	SkipBadRecord    = "invalid record"
)

// Key says how a row's activity ID is built.
type Key int

const (
	// KeyObsID keys activities on obs_id alone, as ObsLocTAP means it:
	// rows of one obs_id are states of one observation in the planning
	// log, and the latest (t_planning) replaces the others.
	KeyObsID Key = iota
	// KeyObsIDStart keys them on obs_id and t_min, for services whose
	// obs_id names a programme or survey field rather than one
	// observation (Rubin's schedule names each visit by its survey
	// region: many rows share "lowdust").
	KeyObsIDStart
)

// Mapper maps a service's facility_name and instrument_name to the
// activity's observatory and facility; empty results keep the defaults.
type Mapper func(facility, instrument string) (observatory, facilityName string)

// Converter turns ivoa.obsplan rows into activities.
type Converter struct {
	// Source is the source name, the prefix of activity IDs.
	Source string
	// Key says how IDs are built (default KeyObsID).
	Key Key
	// Observatory is set on every activity unless Map gives one.
	Observatory string
	// Map, optional, maps facility and instrument names.
	Map Mapper
	// Roll, optional, is the column holding the position angle of the
	// instrument in degrees, when the service adds one to the standard
	// columns (Rubin: rubin_rot_sky_pos).
	Roll string
}

// Binding is a Converter bound to the columns of one reply; it implements
// obscore.RowConverter.
type Binding struct {
	c                                                         *Converter
	tplan, target, obsID, sra, sdec, fov, region, tmin, tmax  int
	texp, emMin, emMax, fac, inst, tplanexp, status, tracking int
	roll                                                      int
}

// Bind checks the columns of a reply: a missing required column (see
// [Columns]) is an *connectors.SchemaError naming it; a missing optional one
// is counted once in res.Warnings.
func (c *Converter) Bind(cols obscore.Columns, res *connectors.Reply) (obscore.RowConverter, error) {
	return c.bind(cols, res)
}

func (c *Converter) bind(cols obscore.Columns, res *connectors.Reply) (*Binding, error) {
	for _, col := range Columns {
		if cols.Index(col.Name) >= 0 {
			continue
		}
		if col.Required {
			return nil, &connectors.SchemaError{Source: c.Source, Column: col.Name,
				Reason: "ObsLocTAP column missing from the reply (renamed or dropped?)"}
		}
		res.Warn("column absent: " + col.Name)
	}
	ix := cols.Index
	b := &Binding{c: c, tplan: ix("t_planning"), target: ix("target_name"), obsID: ix("obs_id"),
		sra: ix("s_ra"), sdec: ix("s_dec"), fov: ix("s_fov"), region: ix("s_region"), tmin: ix("t_min"),
		tmax: ix("t_max"), texp: ix("t_exptime"), emMin: ix("em_min"), emMax: ix("em_max"),
		fac: ix("facility_name"), inst: ix("instrument_name"), tplanexp: ix("t_plan_exptime"),
		status: ix("execution_status"), tracking: ix("tracking_type"), roll: -1}
	if c.Roll != "" {
		if b.roll = ix(c.Roll); b.roll < 0 {
			res.Warn("column absent: " + c.Roll)
		}
	}
	return b, nil
}

func (b *Binding) number(r obscore.Record, i int, col string) (float64, bool, error) {
	v, ok, err := r.Number(i)
	if err != nil {
		return 0, false, &connectors.SchemaError{Source: b.c.Source, Column: col, Reason: err.Error()}
	}
	return v, ok, nil
}

func (b *Binding) mjd(r obscore.Record, i int, col string) (time.Time, bool, error) {
	v, ok, err := b.number(r, i, col)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	t, ok := schedfile.ObservationMJD(v)
	if !ok {
		return time.Time{}, false, &connectors.SchemaError{Source: b.c.Source, Column: col,
			Reason: fmt.Sprintf("%v is not an MJD of years 1800-2300 (unit changed?)", v)}
	}
	return t, true, nil
}

// Convert turns one row into an activity, or a skip reason. err is an
// *connectors.SchemaError when a cell has the wrong type.
func (b *Binding) Convert(r obscore.Record, res *connectors.Reply) (a activities.Activity, skip string, err error) {
	obsID := r.Text(b.obsID)
	if obsID == "" {
		return a, SkipNoID, nil
	}
	planned, ok, err := b.mjd(r, b.tplan, "t_planning")
	if err != nil {
		return a, "", err
	}
	if !ok {
		return a, SkipNoPlanning, nil
	}
	status := Status(r.Text(b.status))
	kind, fidelity, ok := status.Kind()
	if !ok {
		return a, SkipBadStatus, nil
	}
	start, hasStart, err := b.mjd(r, b.tmin, "t_min")
	if err != nil {
		return a, "", err
	}
	if !hasStart {
		if strings.EqualFold(string(status), string(Scheduled)) || strings.EqualFold(string(status), string(Performed)) {
			return a, SkipNoStartTimed, nil
		}
		if b.c.Key == KeyObsIDStart {
			return a, SkipNoStart, nil
		}
	}
	fac, inst := r.Text(b.fac), r.Text(b.inst)
	obsv, facility := b.c.Observatory, fac
	if b.c.Map != nil {
		if o, f := b.c.Map(fac, inst); o != "" || f != "" {
			if o != "" {
				obsv = o
			}
			if f != "" {
				facility = f
			}
		}
	}
	if facility == "" {
		return a, SkipNoFacility, nil
	}
	key := obsID
	if b.c.Key == KeyObsIDStart {
		key += "@" + start.Format("2006-01-02T15:04:05.000Z")
	}
	a = activities.Activity{ID: activities.NewID(b.c.Source, key), Source: b.c.Source, Kind: kind, Fidelity: fidelity,
		Observatory: obsv, Facility: facility, Instrument: inst, DatasetID: obsID, Start: start, Updated: planned}
	a.Target.Name = r.Text(b.target)
	if end, ok, err := b.mjd(r, b.tmax, "t_max"); err != nil {
		return activities.Activity{}, "", err
	} else if ok {
		if hasStart && end.Before(start) {
			res.Warn("t_max before t_min")
		} else {
			a.End = end
		}
	}
	if err := b.exposure(r, &a, res); err != nil {
		return activities.Activity{}, "", err
	}
	if err := b.sky(r, &a, res); err != nil {
		return activities.Activity{}, "", err
	}
	if err := b.band(r, &a, res); err != nil {
		return activities.Activity{}, "", err
	}
	a.Revision = revision(planned)
	if err := a.Validate(); err != nil {
		res.Warn("invalid record: " + clip(err.Error()))
		return activities.Activity{}, SkipBadRecord, nil
	}
	return a, "", nil
}

// revision orders the rows of one observation by t_planning, the time the
// row was added or modified in the planning log (ObsLocTAP section 4.1),
// in milliseconds since 1970: a later state replaces an earlier one
// whatever the states are (an Aborted observation may return to Planned).
func revision(planned time.Time) int64 {
	ms := planned.UnixMilli()
	if ms < 0 {
		return 0
	}
	return ms
}

func (b *Binding) exposure(r obscore.Record, a *activities.Activity, res *connectors.Reply) error {
	for _, c := range []struct {
		i    int
		name string
	}{{b.texp, "t_exptime"}, {b.tplanexp, "t_plan_exptime"}} {
		v, ok, err := b.number(r, c.i, c.name)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if v < 0 {
			res.Warn("negative " + c.name)
			continue
		}
		a.Exposure = activities.Float(v)
		return nil
	}
	return nil
}

// sky sets the pointing from s_ra/s_dec, the target's position too when
// the tracking is sidereal (for the other two tracking types the spec
// makes s_ra/s_dec a representative or transit pointing, not the
// target's), the field radius from s_fov and footprints from s_region.
func (b *Binding) sky(r obscore.Record, a *activities.Activity, res *connectors.Reply) error {
	ra, rok, err := b.number(r, b.sra, "s_ra")
	if err != nil {
		return err
	}
	dec, dok, err := b.number(r, b.sdec, "s_dec")
	if err != nil {
		return err
	}
	var roll *float64
	if b.roll >= 0 {
		v, ok, err := b.number(r, b.roll, b.c.Roll)
		if err != nil {
			return err
		}
		if ok {
			roll = &v
		}
	}
	if rok && dok {
		p, err := activities.NewPointing(ra, dec, roll)
		if err != nil {
			res.Warn("s_ra/s_dec out of range")
		} else {
			a.Pointing = &p
			tracking := r.Text(b.tracking)
			if tracking == "" || strings.EqualFold(tracking, "Sidereal") {
				archive.SetPosition(&a.Target, p.RA, p.Dec)
			}
		}
	}
	if v, ok, err := b.number(r, b.fov, "s_fov"); err != nil {
		return err
	} else if ok && v > 0 && v <= 360 {
		a.Target.FOVRadius = v / 2
	}
	if poly := parseRegion(r.Text(b.region)); len(poly) >= 3 {
		a.Footprints = []activities.Footprint{{Polygon: poly}}
	} else if r.Text(b.region) != "" && !isCircle(r.Text(b.region)) {
		res.Warn("s_region not a polygon")
	}
	return nil
}

// parseRegion reads s_region as the spec allows it (section 4.1): an
// STC-S polygon ("POLYGON ICRS ra dec ..."), or a DALI polygon, a list of
// numbers (in a VOTable cell, as text "[ra dec ...]" or "ra dec ...").
// Anything else gives nil.
func parseRegion(s string) [][2]float64 {
	if poly := obscore.ParseSTCSPolygon(s); poly != nil {
		return onSky(poly)
	}
	s = strings.Trim(strings.TrimSpace(s), "[]()")
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	if len(f) < 6 || len(f)%2 != 0 {
		return nil
	}
	poly := obscore.ParseSTCSPolygon("POLYGON " + strings.Join(f, " "))
	return onSky(poly)
}

// onSky keeps RA in [0, 360) after the rounding of a normalization.
func onSky(poly [][2]float64) [][2]float64 {
	for i := range poly {
		if poly[i][0] >= 360 || poly[i][0] < 0 {
			poly[i][0] = 0
		}
	}
	return poly
}

func isCircle(s string) bool {
	f := strings.Fields(s)
	return len(f) > 0 && strings.EqualFold(f[0], "circle")
}

func (b *Binding) band(r obscore.Record, a *activities.Activity, res *connectors.Reply) error {
	lo, lok, err := b.number(r, b.emMin, "em_min")
	if err != nil {
		return err
	}
	hi, hok, err := b.number(r, b.emMax, "em_max")
	if err != nil {
		return err
	}
	if !lok || !hok || (lo == 0 && hi == 0) {
		return nil
	}
	bp, err := activities.BandpassFromWavelength(activities.Wavelength(lo), activities.Wavelength(hi))
	if err != nil || math.IsInf(lo, 0) {
		res.Warn("em_min/em_max not a wavelength range")
		return nil
	}
	a.Bandpass = &bp
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
