// Package tess reads the TESS observing plan as NASA's ACROSS does, from
// two public files:
//
//   - the sector pointings, tesswcs's pointings.csv
//     (https://raw.githubusercontent.com/tessgi/tesswcs/main/src/tesswcs/data/pointings.csv:
//     Cycle, Sector, RA, Dec, Roll, Start, End; times as JD);
//   - the orbit times, https://tess.mit.edu/public/files/TESS_orbit_times.csv
//     (Sector, Orbit, Start of Orbit, End of Orbit; UTC), which split a
//     sector into the intervals TESS observes.
//
// Each orbit interval of a sector becomes a planned activity of low
// fidelity (a survey activity: the target is the sector, the pointing the
// sector's boresight and roll, the footprints the four cameras' 24° × 24°
// fields, "camera 1" to "camera 4", from the pointing and roll with the
// camera geometry of [Cameras]), named as ACROSS names it, TESS_sector_{sector}_obs_{i}_orbit_{orbit};
// a sector without orbit times yet gives one placeholder activity over the
// whole sector, TESS_sector_{sector}_placeholder. The bandpass is ACROSS's
// TESS band, 600-1000 nm.
package tess

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "tess"

// Columns of the two files (ACROSS renames them to lower case with
// underscores; they are matched here case-insensitively as written).
var (
	PointingColumns = []string{"Sector", "RA", "Dec", "Roll", "Start", "End"}
	OrbitColumns    = []string{"Sector", "Orbit", "Start of Orbit", "End of Orbit"}
)

// Reasons for skipping a row.
const (
	SkipBadPointing = "pointing row without sector, position or times"
	SkipBadRow      = "invalid record"
	SkipNoPointing  = "orbit interval of a sector without a pointing row"
)

// WarnNoCameras counts activities listed without the cameras' fields (a
// pointing whose fields cannot be drawn).
const WarnNoCameras = "cameras' fields not computed"

// Pointing is one sector's pointing.
type Pointing struct {
	Sector     int
	RA, Dec    float64
	Roll       float64
	Start, End time.Time
}

// Orbit is one observing interval of a sector.
type Orbit struct {
	Sector, Orbit int
	Start, End    time.Time
}

func band() activities.Bandpass {
	b, _ := activities.BandpassFromWavelength(600*activities.Nanometre, 1000*activities.Nanometre)
	return b
}

// csvRows reads a CSV file with '#' comment lines (the orbit file ends
// with one) and a BOM (the pointings file starts with one).
func csvRows(b []byte, need []string) (map[string]int, [][]string, error) {
	var lines [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] == '#' {
			continue
		}
		lines = append(lines, l)
	}
	cols, rows, err := obscore.ReadCSV(bytes.NewReader(bytes.Join(lines, []byte("\n"))))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", Name, err)
	}
	ix := map[string]int{}
	for _, n := range need {
		if ix[n] = cols.Index(n); ix[n] < 0 {
			return nil, nil, &connectors.SchemaError{Source: Name, Column: n, Reason: "column missing"}
		}
	}
	var out [][]string
	for r, err := range rows {
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", Name, err)
		}
		cells := make([]string, len(cols.Names()))
		for i := range cells {
			cells[i] = r.Text(i)
		}
		out = append(out, cells)
	}
	return ix, out, nil
}

// jd converts a Julian date (as TESS_orbit_times.csv writes them).
func jd(v float64) (time.Time, bool) { return schedfile.ObservationMJD(v - astro.MJDZeroJD) }

// ParsePointings reads pointings.csv. Rows it cannot use are counted in
// skipped; a cell of the wrong type is an *connectors.SchemaError.
func ParsePointings(b []byte) (ps []Pointing, skipped int, err error) {
	ix, rows, err := csvRows(b, PointingColumns)
	if err != nil {
		return nil, 0, err
	}
	for _, cells := range rows {
		r := obscore.CSVRecord(cells)
		var v [6]float64
		ok := true
		for i, c := range PointingColumns {
			f, has, err := r.Number(ix[c])
			if err != nil {
				return nil, 0, &connectors.SchemaError{Source: Name, Column: c, Reason: err.Error()}
			}
			ok = ok && has
			v[i] = f
		}
		s, sok := jd(v[4])
		e, eok := jd(v[5])
		if !ok || !sok || !eok || v[0] != float64(int(v[0])) {
			skipped++
			continue
		}
		ps = append(ps, Pointing{Sector: int(v[0]), RA: v[1], Dec: v[2], Roll: v[3], Start: s, End: e})
	}
	return ps, skipped, nil
}

// ParseOrbits reads TESS_orbit_times.csv.
func ParseOrbits(b []byte) ([]Orbit, error) {
	ix, rows, err := csvRows(b, OrbitColumns)
	if err != nil {
		return nil, err
	}
	var out []Orbit
	for _, cells := range rows {
		r := obscore.CSVRecord(cells)
		var o Orbit
		for _, c := range []struct {
			name string
			dst  *int
		}{{"Sector", &o.Sector}, {"Orbit", &o.Orbit}} {
			n, err := strconv.Atoi(r.Text(ix[c.name]))
			if err != nil {
				return nil, &connectors.SchemaError{Source: Name, Column: c.name, Reason: fmt.Sprintf("not an integer: %.40q", r.Text(ix[c.name]))}
			}
			*c.dst = n
		}
		for _, c := range []struct {
			name string
			dst  *time.Time
		}{{"Start of Orbit", &o.Start}, {"End of Orbit", &o.End}} {
			t, ok, err := r.Time(ix[c.name])
			if err != nil || !ok {
				return nil, &connectors.SchemaError{Source: Name, Column: c.name, Reason: fmt.Sprintf("not a time: %.40q", r.Text(ix[c.name]))}
			}
			*c.dst = t
		}
		out = append(out, o)
	}
	return out, nil
}

// Plan builds the activities of the sectors: one per orbit interval, or
// one placeholder per sector without any.
func Plan(ps []Pointing, orbits []Orbit) *connectors.Reply {
	res := &connectors.Reply{}
	bp := band()
	bySector := map[int][]Orbit{}
	for _, o := range orbits {
		bySector[o.Sector] = append(bySector[o.Sector], o)
	}
	pointed := map[int]bool{}
	for _, p := range ps {
		pointed[p.Sector] = true
	}
	for _, o := range orbits {
		if !pointed[o.Sector] {
			res.Records++
			res.Skip(SkipNoPointing)
		}
	}
	for _, p := range ps {
		pointing, err := activities.NewPointing(p.RA, p.Dec, activities.Float(p.Roll))
		if err != nil {
			res.Records++
			res.Skip(SkipBadPointing)
			continue
		}
		fields, ferr := Cameras(pointing)
		mk := func(key string, start, end time.Time) {
			res.Records++
			a := activities.Activity{ID: activities.NewID(Name, key), Source: Name, Kind: activities.KindPlanned,
				Fidelity: activities.FidelityLow, Observatory: "NASA", Facility: "TESS", Instrument: "cameras 1-4",
				Mode: "sector survey", Start: start, End: end, Pointing: &pointing, Bandpass: &bp,
				Programme: activities.Programme{ID: fmt.Sprintf("sector %d", p.Sector), Type: "survey"}}
			if ferr == nil {
				a.Footprints = fields
			} else {
				res.Warn(WarnNoCameras)
			}
			a.Target.Name = fmt.Sprintf("TESS sector %d", p.Sector)
			a.Exposure = activities.Float(end.Sub(start).Seconds())
			a.Revision = activities.Revision(a.Kind, time.Time{})
			if err := a.Validate(); err != nil {
				res.Warn("invalid record: " + err.Error())
				res.Skip(SkipBadRow)
				return
			}
			res.Activities = append(res.Activities, a)
		}
		os := bySector[p.Sector]
		if len(os) == 0 {
			mk(fmt.Sprintf("TESS_sector_%d_placeholder", p.Sector), p.Start, p.End)
			continue
		}
		for i, o := range os {
			mk(fmt.Sprintf("TESS_sector_%d_obs_%d_orbit_%d", p.Sector, i, o.Orbit), o.Start, o.End)
		}
	}
	return res
}

// ParsePointingsOnly is the recorded-reply reading of a pointings file by
// itself: a placeholder activity per sector.
func ParsePointingsOnly(b []byte) (*connectors.Reply, error) {
	ps, skipped, err := ParsePointings(b)
	if err != nil {
		return nil, err
	}
	res := Plan(ps, nil)
	for range skipped {
		res.Records++
		res.Skip(SkipBadPointing)
	}
	return res, nil
}
