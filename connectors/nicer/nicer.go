// Package nicer reads NICER's predicted observation timeline, the CSV file
// HEASARC publishes and NASA's ACROSS ingests daily:
//
//	GET https://heasarc.gsfc.nasa.gov/docs/nicer/schedule/obs_pred_timeline_detail.csv
//
// with the columns ObsID, Target, TargetID, Start, Stop, Duration,
// RightAscension, Declination and Mode. Each row is one snapshot (an
// observation ID recurs over several orbits): it becomes an activity keyed
// by ObsID and Start, planned and of low fidelity when Mode is Scheduled
// (as ACROSS grades it), completed when Mode is Performed; other modes are
// counted skips. Pointing and target are (RightAscension, Declination) in
// degrees, the exposure is Duration in seconds, the bandpass that of the
// XTI, 0.2-12 keV as ACROSS gives it. The file is public.
package nicer

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "nicer"

// DefaultURL is the timeline file.
const DefaultURL = "https://heasarc.gsfc.nasa.gov/docs/nicer/schedule/obs_pred_timeline_detail.csv"

// Columns are the timeline's columns, all required.
var Columns = []string{"ObsID", "Target", "TargetID", "Start", "Stop", "Duration", "RightAscension", "Declination", "Mode"}

// Reasons for skipping a row.
const (
	SkipNoObsID   = "no ObsID"
	SkipNoTimes   = "no Start or Stop"
	SkipOtherMode = "Mode neither Scheduled nor Performed"
	SkipBadRow    = "invalid record"
)

// WarnNoPosition counts rows kept without a position.
const WarnNoPosition = "RightAscension/Declination missing or off the sky"

// xti is the XTI bandpass, 0.2-12 keV (ACROSS NICER_BANDPASS).
func xti() activities.Bandpass {
	b, _ := activities.BandpassFromEnergy(0.2*activities.KiloElectronVolt, 12*activities.KiloElectronVolt)
	return b
}

// Parse reads a timeline file.
func Parse(b []byte) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "the timeline CSV", Title: title}
	}
	cols, rows, err := obscore.ReadCSV(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	ix := map[string]int{}
	for _, c := range Columns {
		if ix[c] = cols.Index(c); ix[c] < 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: "timeline column missing"}
		}
	}
	res := &connectors.Reply{}
	bp := xti()
	for r, err := range rows {
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", Name, res.Records+1, err)
		}
		res.Records++
		a, skip, err := row(r, ix, res)
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", Name, res.Records, err)
		}
		if skip != "" {
			res.Skip(skip)
			continue
		}
		a.Bandpass = &bp
		if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipBadRow)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	return res, nil
}

func row(r obscore.Record, ix map[string]int, res *connectors.Reply) (a activities.Activity, skip string, err error) {
	obsid := r.Text(ix["ObsID"])
	if obsid == "" {
		return a, SkipNoObsID, nil
	}
	if _, err := strconv.ParseUint(obsid, 10, 64); err != nil {
		return a, "", &connectors.SchemaError{Source: Name, Column: "ObsID", Reason: fmt.Sprintf("not a number: %.40q", obsid)}
	}
	var kind activities.Kind
	var fid activities.Fidelity
	switch strings.TrimSpace(r.Text(ix["Mode"])) {
	case "Scheduled":
		kind, fid = activities.KindPlanned, activities.FidelityLow
	case "Performed":
		kind = activities.KindCompleted
	default:
		return a, SkipOtherMode, nil
	}
	var t [2]time.Time
	for i, c := range []string{"Start", "Stop"} {
		v, ok, err := r.Time(ix[c])
		if err != nil {
			return a, "", &connectors.SchemaError{Source: Name, Column: c, Reason: err.Error()}
		}
		if !ok {
			return a, SkipNoTimes, nil
		}
		t[i] = v
	}
	a = activities.Activity{ID: activities.NewID(Name, obsid+"@"+t[0].Format("2006-01-02T15:04:05Z")), Source: Name,
		Kind: kind, Fidelity: fid, Observatory: "NASA", Facility: "NICER", Instrument: "XTI", DatasetID: obsid,
		Start: t[0], End: t[1]}
	a.Target.Name = r.Text(ix["Target"])
	dur, ok, err := r.Number(ix["Duration"])
	if err != nil {
		return a, "", &connectors.SchemaError{Source: Name, Column: "Duration", Reason: err.Error()}
	}
	if ok && dur >= 0 {
		a.Exposure = activities.Float(dur)
	}
	ra, rok, err := r.Number(ix["RightAscension"])
	if err != nil {
		return a, "", &connectors.SchemaError{Source: Name, Column: "RightAscension", Reason: err.Error()}
	}
	dec, dok, err := r.Number(ix["Declination"])
	if err != nil {
		return a, "", &connectors.SchemaError{Source: Name, Column: "Declination", Reason: err.Error()}
	}
	if p, err := activities.NewPointing(ra, dec, nil); rok && dok && err == nil {
		a.Pointing = &p
		archive.SetPosition(&a.Target, p.RA, p.Dec)
	} else {
		res.Warn(WarnNoPosition)
	}
	a.Revision = activities.Revision(kind, time.Time{})
	return a, "", nil
}

// Options configure a source.
type Options struct {
	// URL of the timeline (default DefaultURL).
	URL string
	connectors.HTTPOptions
}

// Source reads the timeline file and lists the rows overlapping a window;
// its counts go to the connectors.Stats of the listing's context.
type Source = schedfile.Source

// New returns a NICER source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	return schedfile.New(Name, o.URL, "text/csv", Parse, o.HTTPOptions)
}

func init() {
	schedfile.Register(Name, func(u string, h connectors.HTTPOptions) (*Source, error) {
		return New(Options{URL: u, HTTPOptions: h})
	}, connectors.Parser{
		Name: Name, Help: "NICER predicted observation timeline (CSV)",
		Parse: Parse,
		Recognize: func(p string, head []byte) bool {
			return strings.HasSuffix(strings.ToLower(p), ".csv") && bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff"), []byte("ObsID,Target,TargetID,Start,Stop"))
		},
	})
}
