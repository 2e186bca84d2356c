// Package jwst reads JWST's weekly observing schedules as NASA's ACROSS
// does: the page https://www.stsci.edu/jwst/science-execution/observing-schedules
// links the schedule files (the first link under
// .../observing-schedules/_documents/ is the newest), fixed-width text
// whose header is underlined with dashes (VISIT ID, PCS MODE, VISIT TYPE,
// SCHEDULED START TIME, DURATION as DD/HH:MM:SS, SCIENCE INSTRUMENT AND
// MODE, TARGET NAME, CATEGORY, KEYWORDS). The schedule gives no
// coordinates: they, the instrument configuration, the filters and the
// wavelength range come from MAST (Mast.Caom.Filtered for obs_collection
// JWST and the schedule's proposal IDs), matched by target name, first row
// of a target, as ACROSS matches them.
//
// Each visit with a fine-guided or moving-target pointing (PCS MODE not
// NONE or COARSE) and a CATEGORY other than Calibration becomes a planned
// activity of low fidelity, ID jwst:{VISIT ID}, programme the proposal
// (VISIT ID before the first colon), from the scheduled start for the
// duration. Parallel and calibration visits and continuation lines are
// counted skips. A visit whose target MAST does not know keeps no position
// (counted as a warning; ACROSS drops it).
package jwst

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "jwst"

// Columns of the schedule read (ACROSS filter_jwst_dataframe, with the
// header's spaces as the file has them).
var Columns = []string{"VISIT ID", "PCS MODE", "SCHEDULED START TIME", "DURATION", "SCIENCE INSTRUMENT AND MODE", "TARGET NAME", "CATEGORY"}

// Reasons for skipping a line.
const (
	SkipContinuation = "continuation line (no VISIT ID)"
	SkipNoGuiding    = "PCS MODE NONE or COARSE (parallel, slew or engineering)"
	SkipCalibration  = "CATEGORY Calibration"
	SkipNoStart      = "no scheduled start (attached to a prime visit)"
	SkipBadRow       = "invalid record"
)

// Warnings.
const WarnNotInMAST = "target not in the MAST rows (no position)"

type field struct {
	name       string
	start, end int
}

// ParseSchedule reads a schedule file into activities without positions
// (see [Join]).
func ParseSchedule(b []byte) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "a schedule file (fixed-width text)", Title: title}
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	hdr := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "VISIT ID") && i+1 < len(lines) {
			hdr = i
			break
		}
	}
	if hdr < 0 {
		return nil, &connectors.SchemaError{Source: Name, Column: "VISIT ID", Reason: "no header line"}
	}
	var fields []field
	under := lines[hdr+1] + " "
	in := false
	for i, c := range under {
		switch {
		case c == '-' && !in:
			fields = append(fields, field{start: i})
			in = true
		case c != '-' && in:
			fields[len(fields)-1].end = i
			in = false
		}
	}
	cell := func(line string, f field, last bool) string {
		if f.start >= len(line) {
			return ""
		}
		end := min(f.end, len(line))
		if last {
			end = len(line)
		}
		return strings.TrimSpace(line[f.start:end])
	}
	ix := map[string]int{}
	for i := range fields {
		fields[i].name = cell(lines[hdr], fields[i], false)
		ix[fields[i].name] = i
	}
	for _, c := range Columns {
		if _, ok := ix[c]; !ok {
			return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: "schedule column missing"}
		}
	}
	get := func(line, c string) string {
		i := ix[c]
		return cell(line, fields[i], i == len(fields)-1)
	}
	res := &connectors.Reply{}
	for _, line := range lines[hdr+2:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		res.Records++
		visit := get(line, "VISIT ID")
		switch pcs := get(line, "PCS MODE"); {
		case visit == "":
			res.Skip(SkipContinuation)
			continue
		case pcs == "" || pcs == "NONE" || pcs == "COARSE":
			res.Skip(SkipNoGuiding)
			continue
		}
		if get(line, "CATEGORY") == "Calibration" {
			res.Skip(SkipCalibration)
			continue
		}
		st := get(line, "SCHEDULED START TIME")
		if st == "" || strings.HasPrefix(st, "^") {
			res.Skip(SkipNoStart)
			continue
		}
		start, err := astro.ParseTimestamp(st)
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "SCHEDULED START TIME", Reason: fmt.Sprintf("visit %s: %v", visit, err)}
		}
		dur, err := parseDuration(get(line, "DURATION"))
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "DURATION", Reason: fmt.Sprintf("visit %s: %v", visit, err)}
		}
		sim := get(line, "SCIENCE INSTRUMENT AND MODE")
		inst, mode, _ := strings.Cut(sim, " ")
		a := activities.Activity{ID: activities.NewID(Name, visit), Source: Name, Kind: activities.KindPlanned,
			Fidelity: activities.FidelityLow, Observatory: "STScI", Facility: "JWST", Instrument: inst, Mode: mode,
			Start: start, End: start.Add(dur), Exposure: activities.Float(dur.Seconds())}
		a.Programme.ID, _, _ = strings.Cut(visit, ":")
		a.Target.Name = get(line, "TARGET NAME")
		a.Revision = activities.Revision(a.Kind, time.Time{})
		if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipBadRow)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	return res, nil
}

// parseDuration reads "DD/HH:MM:SS".
func parseDuration(s string) (time.Duration, error) {
	d, hms, ok := strings.Cut(s, "/")
	f := strings.Split(hms, ":")
	if !ok || len(f) != 3 {
		return 0, fmt.Errorf("not DD/HH:MM:SS: %.40q", s)
	}
	var n [4]int
	for i, p := range append([]string{d}, f...) {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 10000 {
			return 0, fmt.Errorf("not DD/HH:MM:SS: %.40q", s)
		}
		n[i] = v
	}
	return time.Duration(n[0])*24*time.Hour + time.Duration(n[1])*time.Hour + time.Duration(n[2])*time.Minute + time.Duration(n[3])*time.Second, nil
}

// Proposals lists the schedule's proposal IDs, in first-seen order, for
// the MAST query.
func Proposals(acts []activities.Activity) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range acts {
		if p := a.Programme.ID; p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
