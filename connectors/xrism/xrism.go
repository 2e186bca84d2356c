// Package xrism reads XRISM's short-term schedule. No recorded reply of
// it exists in this repository: the parser follows the format as NASA's
// ACROSS reads it (NASA-ACROSS/across-data-ingestion xrism/), and the
// tests run on pages written from that description, not on real ones.
//
// ACROSS reads, twice a week:
//
//   - the first table of https://xrism.isas.jaxa.jp/research/observers/shortterm/prefinal/index.html
//     (the newest week's schedule): Seq (the observation ID), "Mnv start
//     time (UT)" (YYYY-MM-DDThh:mm:ss), TargetName, Ra, Dec (degrees);
//   - the awarded exposure (ks) of those sequences from DARTS's proposal
//     table (https://darts.isas.jaxa.jp/app/query/astroquery/sql.php?sql=
//     SELECT * FROM xrism_proposal WHERE observation_id IN (...): columns
//     observation_id, proposal_type, awarded_exposure); proposal_type CAL
//     marks calibrations, which ACROSS leaves out;
//   - the exposure (ks) of ToO sequences from the first table of
//     https://xrism.isas.jaxa.jp/research/observers/generic_too/index.html
//     (Seq, "Exp. (ks)").
//
// Each sequence gives two planned activities of low fidelity, one per
// instrument as ACROSS lists them: Resolve (spectroscopy, 1.7-12 keV) and
// Xtend (imaging, 0.4-13 keV), from the manoeuvre start for the exposure.
// Calibrations are counted skips; a sequence with no known exposure is
// kept without an end (counted as a warning; ACROSS drops it).
package xrism

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
const Name = "xrism"

// Columns of the short-term schedule table read.
var Columns = []string{"Seq", "Mnv start time (UT)", "TargetName", "Ra", "Dec"}

// Reasons and warnings.
const (
	SkipNoSeq       = "no Seq"
	SkipCalibration = "calibration (proposal_type CAL)"
	SkipBadRow      = "invalid record"
	WarnNoExposure  = "no exposure for the sequence (proposal table or ToO table)"
	WarnNoPosition  = "Ra/Dec missing or off the sky"
)

// Exposure is what the proposal or ToO tables say of a sequence.
type Exposure struct {
	Seconds     float64
	Calibration bool
}

var instruments = []struct {
	name, mode string
	lo, hi     float64
}{
	{"Resolve", "spectroscopy", 1.7, 12},
	{"Xtend", "imaging", 0.4, 13},
}

// ParseSchedule reads the short-term schedule page and gives the
// activities of each sequence, with the exposures known (by Seq). Records
// counts sequence × instrument.
func ParseSchedule(b []byte, exposures map[string]Exposure) (*connectors.Reply, error) {
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
		seq := cell("Seq")
		skipAll := func(reason string) {
			for range instruments {
				res.Records++
				res.Skip(reason)
			}
		}
		if seq == "" {
			skipAll(SkipNoSeq)
			continue
		}
		exp, known := exposures[seq]
		if exp.Calibration {
			skipAll(SkipCalibration)
			continue
		}
		start, err := astro.ParseTimestamp(cell("Mnv start time (UT)"))
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "Mnv start time (UT)", Reason: fmt.Sprintf("seq %s: not YYYY-MM-DDThh:mm:ss: %.40q", seq, cell("Mnv start time (UT)"))}
		}
		var pointing *activities.Pointing
		ra, rerr := strconv.ParseFloat(cell("Ra"), 64)
		dec, derr := strconv.ParseFloat(cell("Dec"), 64)
		if rerr == nil && derr == nil {
			if p, err := activities.NewPointing(ra, dec, nil); err == nil {
				pointing = &p
			}
		}
		if pointing == nil {
			res.Warn(WarnNoPosition)
		}
		if !known {
			res.Warn(WarnNoExposure)
		}
		for _, in := range instruments {
			res.Records++
			bp, _ := activities.BandpassFromEnergy(activities.Energy(in.lo)*activities.KiloElectronVolt, activities.Energy(in.hi)*activities.KiloElectronVolt)
			a := activities.Activity{ID: activities.NewID(Name, seq+"-"+in.name), Source: Name, Kind: activities.KindPlanned,
				Fidelity: activities.FidelityLow, Observatory: "JAXA", Facility: "XRISM", Instrument: in.name, Mode: in.mode,
				DatasetID: seq, Start: start, Pointing: pointing, Bandpass: &bp}
			a.Target.Name = cell("TargetName")
			if pointing != nil {
				archive.SetPosition(&a.Target, pointing.RA, pointing.Dec)
			}
			if known {
				a.Exposure = activities.Float(exp.Seconds)
				a.End = start.Add(time.Duration(exp.Seconds * float64(time.Second)))
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

func ks(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 || v > 1e4 || math.IsNaN(v) {
		return 0, false
	}
	return math.Round(v*1e6) / 1e3, true
}

// ParseProposals reads DARTS's reply (an HTML table) to the proposal
// query: exposures by observation_id, calibrations marked.
func ParseProposals(b []byte, into map[string]Exposure) error {
	t, err := schedfile.ReadTable(Name, b)
	if err != nil {
		return err
	}
	ix, err := t.Need(Name, []string{"observation_id", "proposal_type", "awarded_exposure"})
	if err != nil {
		return err
	}
	for _, r := range t.Rows {
		get := func(c string) string {
			if i := ix[c]; i < len(r) {
				return strings.TrimSpace(r[i])
			}
			return ""
		}
		if get("proposal_type") == "CAL" {
			into[get("observation_id")] = Exposure{Calibration: true}
			continue
		}
		if s, ok := ks(get("awarded_exposure")); ok {
			into[get("observation_id")] = Exposure{Seconds: s}
		}
	}
	return nil
}

// ParseToO reads the ToO page's first table: exposures by Seq.
func ParseToO(b []byte, into map[string]Exposure) error {
	t, err := schedfile.ReadTable(Name, b)
	if err != nil {
		return err
	}
	ix, err := t.Need(Name, []string{"Seq", "Exp. (ks)"})
	if err != nil {
		return err
	}
	for _, r := range t.Rows {
		if ix["Seq"] >= len(r) || ix["Exp. (ks)"] >= len(r) {
			continue
		}
		if s, ok := ks(r[ix["Exp. (ks)"]]); ok {
			into[strings.TrimSpace(r[ix["Seq"]])] = Exposure{Seconds: s}
		}
	}
	return nil
}
