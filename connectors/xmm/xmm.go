// Package xmm reads XMM-Newton's short-term schedule, the table of
// https://xmm-tools.cosmos.esa.int/external/xmm_sched/short_term_schedule.php
// that NASA's ACROSS ingests (the next two to four weeks): for each
// observation its revolution, Obs Id., target, RA/Dec (sexagesimal), PA,
// UTC start and end, prime instrument, the durations of the pn, MOS1/2,
// RGS1/2 and OM exposures (ks; a duration in parentheses is an exposure
// with the filter closed) and PI.
//
// As ACROSS does, each observation gives one planned activity of low
// fidelity per X-ray instrument: EPIC-pn (the pn duration), EPIC-MOS (the
// longer MOS duration) and RGS (the longer RGS duration), with the EPIC
// band 0.3-12 keV or the RGS band 0.35-2.5 keV; and one for the OM (its
// total duration; no bandpass, the schedule naming no filter); the
// pointing at RA/Dec
// with roll PA, from the start for the exposure. An instrument with a zero
// duration is a counted skip; an exposure with the filter closed is kept
// with Filter "closed". Obs Id. is the 10-digit observation identifier
// (a table re-serialized by pandas drops its leading zero: ACROSS puts it
// back, and so does this package).
//
// Each revolution's planned timeline (<TimelineBaseURL><rev>_nice.html,
// read by [ParseTimeline]) gives the exposures camera by camera: OM (with
// its filter as the bandpass: UVW2, UVM2, UVW1, U, B, V, white), EPIC-MOS1,
// EPIC-MOS2, EPIC-pn (with the EPIC filter), RGS1 and RGS2, each with its
// own start, duration and mode. The [Source] reads the schedule and the
// timelines of its revolutions and lists, per observation, the timeline's
// exposures when the timeline has them, else the schedule's ([Merge]).
package xmm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "xmm"

// DefaultURL is the short-term schedule page (ACROSS
// PLANNED_SCHEDULE_TABLE_URL).
const DefaultURL = "https://xmm-tools.cosmos.esa.int/external/xmm_sched/short_term_schedule.php"

// Columns of the schedule table read.
var Columns = []string{"Revn #", "Obs Id.", "Target Name", "RA hh:mm:ss", "DEC dd:mm:ss", "PA ddd.dd",
	"UTC Obs Start yyyy-mm-dd hh:mm:ss", "UTC Obs End yyyy-mm-dd hh:mm:ss", "PN Dur Ks", "MOS1 Dur. Ks",
	"MOS2 Dur. Ks", "RGS1 Dur. Ks", "RGS2 Dur. Ks", "OM Dur. Ks", "PI"}

// Reasons for skipping (per row and instrument).
const (
	SkipNoObsID    = "no Obs Id."
	SkipNoExposure = "instrument not exposing (zero duration)"
	SkipBadRow     = "invalid record"
)

// WarnNoPosition counts rows kept without a position.
const WarnNoPosition = "RA/DEC missing or off the sky"

// The instruments and their bands (ACROSS XMM_BANDPASSES, keV).
var instruments = []struct {
	name    string
	cols    []string
	lo, hi  float64
	mode    string
	bandKey string
}{
	{"EPIC-pn", []string{"PN Dur Ks"}, 0.3, 12, "imaging", "EPIC"},
	{"EPIC-MOS", []string{"MOS1 Dur. Ks", "MOS2 Dur. Ks"}, 0.3, 12, "imaging", "EPIC"},
	{"RGS", []string{"RGS1 Dur. Ks", "RGS2 Dur. Ks"}, 0.35, 2.5, "spectroscopy", "RGS"},
	// The OM's total over its exposures; the schedule names no filter,
	// so no bandpass (the timeline has them).
	{"OM", []string{"OM Dur. Ks"}, 0, 0, "imaging", ""},
}

// Parse reads the schedule table (the page's HTML table, or its CSV
// re-serialization). Records counts row × instrument.
func Parse(b []byte) (*connectors.Reply, error) {
	t, err := schedfile.ReadTable(Name, b)
	if err != nil {
		return nil, err
	}
	ix, err := t.Need(Name, Columns)
	if err != nil {
		return nil, err
	}
	res := &connectors.Reply{}
	for _, cells := range t.Rows {
		cell := func(c string) string {
			if i := ix[c]; i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		obsid := cell("Obs Id.")
		if obsid == "" {
			res.Records += len(instruments)
			for range instruments {
				res.Skip(SkipNoObsID)
			}
			continue
		}
		if _, err := strconv.ParseUint(obsid, 10, 64); err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "Obs Id.", Reason: fmt.Sprintf("not a number: %.40q", obsid)}
		}
		for len(obsid) < 10 {
			obsid = "0" + obsid
		}
		var tt [2]time.Time
		for i, c := range []string{"UTC Obs Start yyyy-mm-dd hh:mm:ss", "UTC Obs End yyyy-mm-dd hh:mm:ss"} {
			v, err := astro.ParseTimestamp(cell(c))
			if err != nil {
				return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: fmt.Sprintf("not yyyy-mm-dd hh:mm:ss: %.40q", cell(c))}
			}
			tt[i] = v
		}
		var pointing *activities.Pointing
		ra, rerr := sexagesimal(cell("RA hh:mm:ss"), 15)
		dec, derr := sexagesimal(cell("DEC dd:mm:ss"), 1)
		pa, perr := strconv.ParseFloat(cell("PA ddd.dd"), 64)
		var roll *float64
		if perr == nil {
			roll = &pa
		}
		if rerr == nil && derr == nil {
			if p, err := activities.NewPointing(ra, dec, roll); err == nil {
				pointing = &p
			}
		}
		if pointing == nil {
			res.Warn(WarnNoPosition)
		}
		for _, in := range instruments {
			res.Records++
			dur, closed := 0.0, false
			for _, c := range in.cols {
				v, cl, err := duration(cell(c))
				if err != nil {
					return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: err.Error()}
				}
				if v > dur {
					dur, closed = v, cl
				}
			}
			if dur == 0 {
				res.Skip(SkipNoExposure)
				continue
			}
			a := activities.Activity{ID: activities.NewID(Name, obsid+"-"+in.name), Source: Name,
				Kind: activities.KindPlanned, Fidelity: activities.FidelityLow, Observatory: "ESA",
				Facility: "XMM-Newton", Instrument: in.name, Mode: in.mode, DatasetID: obsid,
				Start: tt[0], End: tt[0].Add(time.Duration(dur * float64(time.Second))), Exposure: activities.Float(dur),
				Pointing: pointing}
			if in.bandKey != "" {
				bp := band(in.lo, in.hi)
				a.Bandpass = &bp
			}
			if a.End.After(tt[1]) {
				a.End = tt[1]
			}
			if closed {
				a.Filter = "closed"
			}
			a.Target.Name = cell("Target Name")
			a.Programme.PI = cell("PI")
			a.Programme.ID = "revolution " + cell("Revn #")
			if pointing != nil {
				archive.SetPosition(&a.Target, pointing.RA, pointing.Dec)
			}
			a.Revision = activities.Revision(a.Kind, time.Time{})
			if err := a.Validate(); err != nil {
				res.Warn("invalid record: " + err.Error())
				res.Skip(SkipBadRow)
				continue
			}
			res.Activities = append(res.Activities, a)
		}
	}
	return res, nil
}

// duration reads a duration cell in ks: "46.3", or "( 15.1)" for an
// exposure with the filter closed. It returns seconds.
func duration(s string) (sec float64, closed bool, err error) {
	if s == "" {
		return 0, false, nil
	}
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		closed = true
		s = strings.TrimSpace(strings.Trim(s, "()"))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1e4 || math.IsNaN(v) {
		return 0, false, fmt.Errorf("not a duration in ks: %.40q", s)
	}
	return math.Round(v*1e6) / 1e3, closed, nil
}

// sexagesimal reads "hh:mm:ss" or "±dd:mm:ss" (seconds may have a
// fraction) and returns degrees: the value times unit (15 for hours).
func sexagesimal(s string, unit float64) (float64, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	f := strings.Split(s, ":")
	if len(f) != 3 {
		return 0, fmt.Errorf("not sexagesimal: %.40q", s)
	}
	var v [3]float64
	for i, p := range f {
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || x < 0 || (i > 0 && x >= 60) {
			return 0, fmt.Errorf("not sexagesimal: %.40q", s)
		}
		v[i] = x
	}
	d := (v[0] + v[1]/60 + v[2]/3600) * unit
	if neg {
		d = -d
	}
	return d, nil
}
