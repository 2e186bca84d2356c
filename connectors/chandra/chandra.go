package chandra

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "chandra"

// Observatory and facility of every activity.
const (
	Observatory = "Chandra X-ray Center"
	Facility    = "Chandra"
)

// Reasons for skipping a row.
const (
	SkipNoObsID = "no obsid"
	SkipNoStart = "no start_date"
	SkipBadRow  = "invalid record"
	// SkipNotFlown counts as-flown rows whose status is neither observed
	// nor archived.
	SkipNotFlown = "status neither observed nor archived"
)

// Warning reasons.
const (
	WarnUnknownConfig = "instrument/grating/exposure_mode not a configuration ACROSS knows"
	WarnNoPosition    = "ra/dec missing or off the sky"
	WarnNoExposure    = "no t_plan_exptime in ivoa.obsplan"
	// WarnNoFlownExposure counts as-flown rows without a credible
	// exposure_time: they have no end.
	WarnNoFlownExposure = "no exposure_time (or off 0..100 days)"
)

// observationColumns are the cxc.observation columns read (the query of
// NASA-ACROSS/across-data-ingestion chandra/high_fidelity_planned.py; the
// FIELD descriptions of the recorded reply).
var observationColumns = []string{"obsid", "start_date", "ra", "dec", "instrument", "grating", "exposure_mode"}

// asFlownColumns are the further columns of the as-flown query (those of
// NASA-ACROSS/across-data-ingestion chandra/as_flown.py, and status).
var asFlownColumns = []string{"status", "target_name", "exposure_time", "proposal_number"}

// The cxc.observation status values read: scheduled (the planned
// listing), observed and archived (the as-flown one; CXC's OCat status,
// which turns from scheduled to observed when the data are ingested).
const (
	StatusScheduled = "scheduled"
	StatusObserved  = "observed"
	StatusArchived  = "archived"
)

// config names an observing configuration as ACROSS does
// (match_instrument_from_tap_observation): ACIS, ACIS-HETG, ACIS-LETG,
// ACIS-CC, HRC, HRC-HETG, HRC-LETG, HRC-Timing; "" when none applies.
func config(instrument, grating, mode string) string {
	switch {
	case strings.Contains(instrument, "ACIS"):
		switch {
		case grating == "NONE" && mode != "CC":
			return "ACIS"
		case grating == "HETG" || grating == "LETG":
			return "ACIS-" + grating
		case mode == "CC":
			return "ACIS-CC"
		}
	case strings.Contains(instrument, "HRC"):
		switch {
		case mode != "":
			return "HRC-Timing"
		case grating == "NONE":
			return "HRC"
		case grating == "HETG" || grating == "LETG":
			return "HRC-" + grating
		}
	}
	return ""
}

// bandpasses of the configurations in keV, as ACROSS gives them
// (CHANDRA_BANDPASSES in chandra/high_fidelity_planned.py).
var bandpasses = map[string][2]float64{
	"ACIS": {0.1, 10}, "ACIS-CC": {0.1, 10}, "ACIS-HETG": {0.6, 10}, "ACIS-LETG": {0.1, 6},
	"HRC": {0.1, 10}, "HRC-Timing": {0.1, 10}, "HRC-HETG": {0.6, 10}, "HRC-LETG": {0.1, 6},
}

// Bandpass returns the bandpass of a configuration (see [config]).
func Bandpass(instrument, grating, mode string) (activities.Bandpass, bool) {
	kev, ok := bandpasses[config(instrument, grating, mode)]
	if !ok {
		return activities.Bandpass{}, false
	}
	bp, err := activities.BandpassFromEnergy(activities.Energy(kev[0])*activities.KiloElectronVolt, activities.Energy(kev[1])*activities.KiloElectronVolt)
	return bp, err == nil
}

// ParseObservations converts a reply of the cxc.observation query (a
// VOTable) into planned activities. A missing column is an
// *connectors.SchemaError naming it.
func ParseObservations(b []byte) (*connectors.Reply, error) { return parse(b, false) }

// ParseAsFlown converts a reply of the as-flown cxc.observation query
// ([AsFlownQuery]; a VOTable) into done activities: completed for status
// observed, archived for archived, each with its target name, proposal
// number, and end and exposure from exposure_time (ks). A missing column
// is an *connectors.SchemaError naming it.
func ParseAsFlown(b []byte) (*connectors.Reply, error) { return parse(b, true) }

func parse(b []byte, asFlown bool) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "a VOTable of cxc.observation", Title: title}
	}
	if !obscore.IsVOTable(b) {
		return nil, &connectors.SchemaError{Source: Name, Column: "", Reason: "the reply is not a VOTable"}
	}
	vr := votable.NewReader(bytes.NewReader(b), votable.Options{})
	defer vr.Close()
	t, err := vr.NextTable()
	if err != nil {
		if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
			return nil, fmt.Errorf("%s: service error: %s", Name, strings.TrimSpace(st.Content))
		}
		return nil, fmt.Errorf("%s: VOTable reply: %w", Name, err)
	}
	res := &connectors.Reply{}
	cv, err := bind(obscore.VOTableColumns(t), asFlown)
	if err != nil {
		return nil, err
	}
	for row, err := range vr.Rows() {
		if err != nil {
			return nil, fmt.Errorf("%s: VOTable reply, row %d: %w", Name, res.Records+1, err)
		}
		res.Records++
		a, skip, err := cv.convert(obscore.VOTableRecord(row), res)
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", Name, res.Records, err)
		}
		if skip != "" {
			res.Skip(skip)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	vr.Close()
	if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
		return nil, fmt.Errorf("%s: service error after %d rows: %s", Name, res.Records, strings.TrimSpace(st.Content))
	}
	if vr.Overflow() {
		res.Truncated, res.Limit = true, res.Records
	}
	return res, nil
}

type converter struct {
	obsid, start, ra, dec, inst, grating, mode int
	asFlown                                    bool
	status, target, exposure, proposal         int
}

func bind(cols obscore.Columns, asFlown bool) (*converter, error) {
	names := observationColumns
	if asFlown {
		names = append(slices.Clip(observationColumns), asFlownColumns...)
	}
	ix := make([]int, len(names))
	for i, n := range names {
		if ix[i] = cols.Index(n); ix[i] < 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: n, Reason: "cxc.observation column missing from the reply"}
		}
	}
	c := &converter{obsid: ix[0], start: ix[1], ra: ix[2], dec: ix[3], inst: ix[4], grating: ix[5], mode: ix[6], asFlown: asFlown}
	if asFlown {
		c.status, c.target, c.exposure, c.proposal = ix[7], ix[8], ix[9], ix[10]
	}
	return c, nil
}

func (c *converter) convert(r obscore.Record, res *connectors.Reply) (a activities.Activity, skip string, err error) {
	obsid := r.Text(c.obsid)
	if obsid == "" {
		return a, SkipNoObsID, nil
	}
	if _, err := strconv.ParseInt(obsid, 10, 64); err != nil {
		return a, "", &connectors.SchemaError{Source: Name, Column: "obsid", Reason: fmt.Sprintf("not an integer: %.40q", obsid)}
	}
	start, ok, err := r.Time(c.start)
	if err != nil {
		return a, "", &connectors.SchemaError{Source: Name, Column: "start_date", Reason: err.Error()}
	}
	if !ok {
		return a, SkipNoStart, nil
	}
	inst, grating, mode := r.Text(c.inst), r.Text(c.grating), r.Text(c.mode)
	a = activities.Activity{ID: activities.NewID(Name, obsid), Source: Name, Kind: activities.KindPlanned,
		Fidelity: activities.FidelityHigh, Observatory: Observatory, Facility: Facility, Instrument: inst,
		Mode: mode, DatasetID: obsid, Start: start}
	if grating != "NONE" {
		a.Filter = grating
	}
	if bp, ok := Bandpass(inst, grating, mode); ok {
		a.Bandpass = &bp
	} else {
		res.Warn(WarnUnknownConfig)
	}
	ra, rok, err := r.Number(c.ra)
	if err != nil {
		return activities.Activity{}, "", &connectors.SchemaError{Source: Name, Column: "ra", Reason: err.Error()}
	}
	dec, dok, err := r.Number(c.dec)
	if err != nil {
		return activities.Activity{}, "", &connectors.SchemaError{Source: Name, Column: "dec", Reason: err.Error()}
	}
	if p, err := activities.NewPointing(ra, dec, nil); rok && dok && err == nil {
		a.Pointing = &p
		archive.SetPosition(&a.Target, p.RA, p.Dec)
	} else {
		res.Warn(WarnNoPosition)
	}
	if c.asFlown {
		if skip, err := c.done(r, &a, res); skip != "" || err != nil {
			return activities.Activity{}, skip, err
		}
	}
	a.Revision = activities.Revision(a.Kind, time.Time{})
	if err := a.Validate(); err != nil {
		res.Warn("invalid record: " + err.Error())
		return activities.Activity{}, SkipBadRow, nil
	}
	return a, "", nil
}

// done fills what an as-flown row adds: the kind from status, the target
// name, the proposal number, and the exposure (exposure_time, ks) with the
// end it gives (start + exposure, as ACROSS computes it).
func (c *converter) done(r obscore.Record, a *activities.Activity, res *connectors.Reply) (skip string, err error) {
	switch st := strings.ToLower(r.Text(c.status)); st {
	case StatusObserved:
		a.Kind = activities.KindCompleted
	case StatusArchived:
		a.Kind = activities.KindArchived
	default:
		return SkipNotFlown, nil
	}
	a.Target.Name = r.Text(c.target)
	if p := r.Text(c.proposal); p != "" {
		a.Programme.ID = p
	}
	ks, ok, err := r.Number(c.exposure)
	if err != nil {
		return "", &connectors.SchemaError{Source: Name, Column: "exposure_time", Reason: err.Error()}
	}
	if !ok || ks < 0 || ks*1000 > maxExposure {
		res.Warn(WarnNoFlownExposure)
		return "", nil
	}
	a.Exposure = activities.Float(ks * 1000)
	a.End = a.Start.Add(time.Duration(ks * 1000 * float64(time.Second)))
	return "", nil
}

// maxExposure bounds a credible planned exposure in seconds (100 days);
// a larger value is read as none.
const maxExposure = 100 * 86400

// Plan is what the ObsLocTAP table adds to an observation.
type Plan struct {
	Target   string
	Exposure *float64
}

// ParsePlans reads a reply of the ivoa.obsplan query (obs_id, target_name,
// t_plan_exptime; VOTable) into plans by obsid.
func ParsePlans(b []byte) (map[string]Plan, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "a VOTable of ivoa.obsplan", Title: title}
	}
	vr := votable.NewReader(bytes.NewReader(b), votable.Options{})
	defer vr.Close()
	t, err := vr.NextTable()
	if err != nil {
		return nil, fmt.Errorf("%s: ivoa.obsplan reply: %w", Name, err)
	}
	cols := obscore.VOTableColumns(t)
	id, tgt, exp := cols.Index("obs_id"), cols.Index("target_name"), cols.Index("t_plan_exptime")
	for n, i := range map[string]int{"obs_id": id, "target_name": tgt, "t_plan_exptime": exp} {
		if i < 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: n, Reason: "ivoa.obsplan column missing from the reply"}
		}
	}
	out := map[string]Plan{}
	for row, err := range vr.Rows() {
		if err != nil {
			return nil, fmt.Errorf("%s: ivoa.obsplan reply: %w", Name, err)
		}
		r := obscore.VOTableRecord(row)
		p := Plan{Target: r.Text(tgt)}
		v, ok, err := r.Number(exp)
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "t_plan_exptime", Reason: err.Error()}
		}
		if ok && v >= 0 && v <= maxExposure {
			p.Exposure = activities.Float(v)
		}
		out[r.Text(id)] = p
	}
	return out, nil
}

// Join adds the plans' target names and exposures to the activities; the
// end is the start plus the planned exposure (as ACROSS computes it). An
// activity without a plan, or a plan without t_plan_exptime, is counted in
// res under WarnNoExposure.
func Join(acts []activities.Activity, plans map[string]Plan, res *connectors.Reply) {
	for i := range acts {
		a := &acts[i]
		p, ok := plans[a.DatasetID]
		if p.Target != "" {
			a.Target.Name = p.Target
		}
		if !ok || p.Exposure == nil {
			res.Warn(WarnNoExposure)
			continue
		}
		a.Exposure = p.Exposure
		a.End = a.Start.Add(time.Duration(*p.Exposure * float64(time.Second)))
	}
}
