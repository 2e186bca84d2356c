// Package ixpe reads IXPE's Long-Term Plan, the HTML page
// https://ixpe.msfc.nasa.gov/for_scientists/ltp.html that NASA's ACROSS
// ingests weekly, with goquery.
//
// The page documents its own columns: "P S" (the programme class — A and C
// peer-reviewed, L a large project, D DDT, T a ToO — and the segment
// number, 0 for an unsegmented observation), Pnum (the GO proposal number,
// 0 for DDT and calibrations), Name, RA and Dec (decimal degrees), Start
// (YYYY-MM-DDTHH, the hour truncated to a 6-hour interval) and buffer.
// There is no end time: as ACROSS does, an observation ends when the next
// one starts; the last one's end is left unknown (ACROSS sets it to its
// start). Activities are keyed by Pnum, class, segment, name and Start
// (one plan can hold the same target twice), so a re-planned observation
// becomes a new activity. Each row is a planned activity of low fidelity with the
// bandpass ACROSS gives IXPE, 2-8 keV.
package ixpe

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "ixpe"

// DefaultURL is the Long-Term Plan page (ACROSS IXPE_LTP_URL).
const DefaultURL = "https://ixpe.msfc.nasa.gov/for_scientists/ltp.html"

// Columns of the plan table, all required.
var Columns = []string{"P S", "Pnum", "Name", "RA", "Dec", "Start"}

// Reasons for skipping a row.
const (
	SkipNoStart = "no Start"
	SkipBadRow  = "invalid record"
)

// WarnNoPosition counts rows kept without a position.
const WarnNoPosition = "RA/Dec missing or off the sky"

var classes = map[string]string{"A": "GO (A)", "C": "GO (C)", "L": "large project", "D": "DDT", "T": "ToO"}

func band() activities.Bandpass {
	b, _ := activities.BandpassFromEnergy(2*activities.KiloElectronVolt, 8*activities.KiloElectronVolt)
	return b
}

// Parse reads the plan page.
func Parse(b []byte) (*connectors.Reply, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: HTML: %w", Name, err)
	}
	var rows [][]string
	doc.Find("table").EachWithBreak(func(_ int, tb *goquery.Selection) bool {
		rows = rows[:0]
		tb.Find("tr").Each(func(_ int, tr *goquery.Selection) {
			var cells []string
			tr.Find("td, th").Each(func(_ int, c *goquery.Selection) {
				cells = append(cells, strings.TrimSpace(c.Text()))
			})
			rows = append(rows, cells)
		})
		return !(len(rows) > 0 && contains(rows[0], "Pnum"))
	})
	if len(rows) == 0 || !contains(rows[0], "Pnum") {
		title := strings.TrimSpace(doc.Find("title").First().Text())
		return nil, &connectors.HTMLError{Source: Name, What: "the Long-Term Plan table (no table with a Pnum column)", Title: title}
	}
	cols := obscore.NewColumns(rows[0])
	ix := map[string]int{}
	for _, c := range Columns {
		if ix[c] = cols.Index(c); ix[c] < 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: "plan column missing"}
		}
	}
	res := &connectors.Reply{}
	bp := band()
	var acts []activities.Activity
	for _, cells := range rows[1:] {
		res.Records++
		r := obscore.CSVRecord(cells)
		s := r.Text(ix["Start"])
		if s == "" {
			res.Skip(SkipNoStart)
			continue
		}
		// The page gives the hour alone (YYYY-MM-DDTHH); ParseTimestamp
		// reads it with its minutes.
		start, err := astro.ParseTimestamp(s + ":00")
		if err != nil || strings.Count(s, ":") > 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: "Start", Reason: fmt.Sprintf("not YYYY-MM-DDTHH: %.40q", s)}
		}
		ps := strings.Fields(r.Text(ix["P S"]))
		pnum, name := r.Text(ix["Pnum"]), r.Text(ix["Name"])
		class, seg := "", ""
		if len(ps) > 0 {
			class = ps[0]
		}
		if len(ps) > 1 {
			seg = ps[1]
		}
		// The same proposal, class, segment and target recur in one plan
		// (Cyg X-2 DDT twice): the start makes the key unique, so a
		// re-planned observation becomes a new activity.
		key := strings.Join([]string{pnum, class, seg, strings.Join(strings.Fields(name), "_"), s}, "_")
		a := activities.Activity{ID: activities.NewID(Name, key), Source: Name, Kind: activities.KindPlanned,
			Fidelity: activities.FidelityLow, Observatory: "NASA", Facility: "IXPE", Instrument: "GPD",
			Start: start.UTC(), Bandpass: &bp}
		a.Target.Name = strings.Join(strings.Fields(name), " ")
		if strings.Trim(pnum, "0") != "" {
			a.Programme.ID = pnum
		}
		a.Programme.Type = classes[class]
		ra, rok, err := r.Number(ix["RA"])
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "RA", Reason: err.Error()}
		}
		dec, dok, err := r.Number(ix["Dec"])
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "Dec", Reason: err.Error()}
		}
		if p, err := activities.NewPointing(ra, dec, nil); rok && dok && err == nil {
			a.Pointing = &p
			archive.SetPosition(&a.Target, p.RA, p.Dec)
		} else {
			res.Warn(WarnNoPosition)
		}
		acts = append(acts, a)
	}
	// An observation ends when the next one starts.
	for i := range acts {
		a := &acts[i]
		if i+1 < len(acts) && !acts[i+1].Start.Before(a.Start) {
			a.End = acts[i+1].Start
			a.Exposure = activities.Float(a.End.Sub(a.Start).Seconds())
		}
		a.Revision = activities.Revision(a.Kind, time.Time{})
		if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipBadRow)
			continue
		}
		res.Activities = append(res.Activities, *a)
	}
	return res, nil
}

func contains(cells []string, s string) bool {
	for _, c := range cells {
		if c == s {
			return true
		}
	}
	return false
}
