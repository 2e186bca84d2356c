package hst

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// timelineHeaders are the column titles the parser expects, left to right,
// as the words of the two header lines' columns read together.
var timelineColumns = []string{"date", "begin", "end", "su", "pi", "exp", "target", "instrument",
	"mode", "apertures", "spectral", "exptime", "ob", "al", "ex", "onum"}

var (
	dashRE     = regexp.MustCompile(`^-{4,}( +-+)+\s*$`)
	dateRE     = regexp.MustCompile(`^\d{4}\.\d{3}$`)
	timeRE     = regexp.MustCompile(`^\d{2}:\d{2}:\d{2}$`)
	titleRowRE = regexp.MustCompile(`^\s*(\d{4,6})\s+(\S+)\s+(\S+)\s+(.*\S)\s*$`)
)

// TimelineRow is one exposure of the STScI weekly observing timeline.
//
// Begin and End are not the exposure's: they are the window of its
// scheduling unit (the "Observation Set"): the earliest start and the
// latest end of the SU, shared by the exposures of the SU ("The times used
// in the Weekly Timeline are the scheduling unit (SU) times", STScI, How
// to Read a Weekly Timeline, http://www.stsci.edu/observing/weekly_timeline_help.html).
// ExposureTime is the exposure's own duration.
type TimelineRow struct {
	Begin, End   time.Time
	SUID         string // scheduling unit
	PI           string // truncated to 10 characters by the report
	Exposure     string // "07-001": visit and exposure number
	Target       string
	Instrument   string
	Mode         string // truncated to 6 characters
	Apertures    string
	Elements     []string // spectral elements, continuation rows included
	ExposureTime *float64
}

// WarnExposureExceedsWindow counts timeline rows whose exposure time is
// longer than their scheduling unit's window: the exposure is dropped
// rather than claimed.
const WarnExposureExceedsWindow = "exposure time longer than its scheduling unit's window"

// ParseTimeline reads an STScI weekly observing timeline report
// (https://www.stsci.edu/ftp/observing/weekly_timeline/timeline_MM_DD_YY):
// fixed-width pages, each with a report header, two column-title lines and
// a dashed line giving the column spans, then exposure rows; a row with an
// empty date continues the previous one (more spectral elements). The
// "Proposal Titles" pages at the end give the proposal ID and title of
// each PI.
//
// Each exposure becomes a planned activity whose Start and End are its
// scheduling unit's window (see [TimelineRow]) and whose Exposure is the
// exposure time column, never the window's length; an exposure time longer
// than its window is dropped with the warning WarnExposureExceedsWindow.
// Calibration targets and acquisitions are skipped and counted, as the
// format's users do. A page
// whose dashed line does not give the expected 16 columns is a
// *connectors.SchemaError.
func ParseTimeline(b []byte) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: TimelineName, What: "timeline text", Title: title}
	}
	rows, titles, err := scanTimeline(b)
	if err != nil {
		return nil, err
	}
	res := &connectors.Reply{Records: len(rows), Activities: make([]activities.Activity, 0, len(rows))}
	for _, r := range rows {
		switch {
		case isCalibrationTarget(r.Target):
			res.Skip(SkipCalibration)
			continue
		case isAcquisitionMode(r.Mode):
			res.Skip(SkipAcquisition)
			continue
		}
		key := r.SUID + "-" + r.Exposure
		a := activities.Activity{
			ID:          activities.NewID(TimelineName, key),
			Source:      TimelineName,
			Kind:        activities.KindPlanned,
			Observatory: "STScI",
			Facility:    "HST",
			Instrument:  r.Instrument,
			Mode:        r.Mode,
			Filter:      strings.Join(r.Elements, "+"),
			Programme:   activities.Programme{PI: r.PI},
			Target:      activities.Target{Name: r.Target},
			Start:       r.Begin,
			End:         r.End,
		}
		if e := r.ExposureTime; e != nil {
			if *e > r.End.Sub(r.Begin).Seconds() {
				res.Warn(WarnExposureExceedsWindow)
			} else {
				a.Exposure = e
			}
		}
		if p, ok := titles[r.PI]; ok && p[0] != "" {
			a.Programme.ID, a.Programme.Title, a.Programme.PI = p[0], p[2], p[1]
			a.Links = []activities.Link{{Title: "Proposal", URL: "https://www.stsci.edu/cgi-bin/get-proposal-info?id=" + p[0] + "&observatory=HST"}}
		}
		if fov, ok := fovRadius(r.Instrument); ok {
			a.Target.FOVRadius = fov
		} else if r.Instrument != "" {
			res.Warn(fmt.Sprintf("unknown instrument %q", r.Instrument))
		}
		a.Revision = activities.Revision(a.Kind, time.Time{})
		res.Activities = append(res.Activities, a)
	}
	return res, nil
}

type span struct{ from, to int } // to is exclusive; -1 for end of line

func field(line string, s span) string {
	if s.from >= len(line) {
		return ""
	}
	to := s.to
	if to < 0 || to > len(line) {
		to = len(line)
	}
	return strings.TrimSpace(line[s.from:to])
}

// scanTimeline returns the exposure rows and, from the proposal-title
// pages, PI (as truncated in rows) → [proposal ID, PI, title].
func scanTimeline(b []byte) ([]TimelineRow, map[string][3]string, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var (
		rows    []TimelineRow
		spans   []span
		titles  = map[string][3]string{}
		inTitle bool
		lineNo  int
	)
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.Contains(line, "Report  for  SMS"):
			// a new exposure page: its title lines come before its
			// column rule and must not read as continuation rows
			inTitle = false
			spans = nil
			continue
		case strings.Contains(line, "Proposal  Titles"):
			inTitle = true
			continue
		}
		if inTitle {
			if m := titleRowRE.FindStringSubmatch(line); m != nil {
				pi := m[3]
				if len(pi) > 10 {
					pi = pi[:10]
				}
				if old, dup := titles[pi]; dup && old[0] != m[1] {
					titles[pi] = [3]string{} // two proposals of one PI: ambiguous
				} else {
					titles[pi] = [3]string{m[1], m[3], m[4]}
				}
			}
			continue
		}
		if dashRE.MatchString(line) {
			spans = spansOf(line)
			if len(spans) != len(timelineColumns) {
				return nil, nil, &connectors.SchemaError{Source: TimelineName, Column: "(column rule)",
					Reason: fmt.Sprintf("line %d: want %d columns, the dashed line gives %d", lineNo, len(timelineColumns), len(spans))}
			}
			continue
		}
		if spans == nil || strings.TrimSpace(line) == "" {
			continue
		}
		date := field(line, spans[0])
		if date == "" {
			// continuation row: more spectral elements of the previous exposure
			if len(rows) > 0 {
				if el := field(line, spans[10]); el != "" {
					rows[len(rows)-1].Elements = append(rows[len(rows)-1].Elements, el)
				}
			}
			continue
		}
		if !dateRE.MatchString(date) {
			continue // report header lines ("SMS Start: ...") and titles
		}
		r, err := parseRow(line, spans, lineNo)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: reading: %w", TimelineName, err)
	}
	return rows, titles, nil
}

func spansOf(rule string) []span {
	var out []span
	for i := 0; i < len(rule); {
		if rule[i] != '-' {
			i++
			continue
		}
		j := i
		for j < len(rule) && rule[j] == '-' {
			j++
		}
		out = append(out, span{from: i, to: j})
		i = j
	}
	// a column extends to the start of the next one (values may be wider
	// than their dashes, as target names are)
	for k := 0; k+1 < len(out); k++ {
		out[k].to = out[k+1].from
	}
	if len(out) > 0 {
		out[len(out)-1].to = -1
	}
	return out
}

// daysIn is the number of days of a Gregorian year.
func daysIn(year int) int {
	if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 366
	}
	return 365
}

func parseRow(line string, sp []span, lineNo int) (TimelineRow, error) {
	bad := func(col, v string) error {
		return &connectors.SchemaError{Source: TimelineName, Column: col, Reason: fmt.Sprintf("line %d: unexpected value %q", lineNo, v)}
	}
	date := field(line, sp[0])
	year, _ := strconv.Atoi(date[:4])
	doy, _ := strconv.Atoi(date[5:])
	// HST was launched in 1990; a day past the year's last is not the
	// next year's first.
	if year < 1990 || doy < 1 || doy > daysIn(year) {
		return TimelineRow{}, bad("date", date)
	}
	day := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, doy-1)
	clock := func(col, v string) (time.Time, error) {
		if !timeRE.MatchString(v) {
			return time.Time{}, bad(col, v)
		}
		h, _ := strconv.Atoi(v[:2])
		m, _ := strconv.Atoi(v[3:5])
		s, _ := strconv.Atoi(v[6:])
		if h > 23 || m > 59 || s > 60 {
			return time.Time{}, bad(col, v)
		}
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second), nil
	}
	begin, err := clock("begin", field(line, sp[1]))
	if err != nil {
		return TimelineRow{}, err
	}
	end, err := clock("end", field(line, sp[2]))
	if err != nil {
		return TimelineRow{}, err
	}
	if end.Before(begin) {
		end = end.Add(24 * time.Hour) // crosses midnight
		if end.Year() > 9999 {
			return TimelineRow{}, bad("end", field(line, sp[2]))
		}
	}
	r := TimelineRow{
		Begin: begin, End: end,
		SUID: field(line, sp[3]), PI: field(line, sp[4]), Exposure: field(line, sp[5]),
		Target: field(line, sp[6]), Instrument: field(line, sp[7]), Mode: field(line, sp[8]),
		Apertures: field(line, sp[9]),
	}
	if el := field(line, sp[10]); el != "" {
		r.Elements = []string{el}
	}
	if v := field(line, sp[11]); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f != f || f > 1e7 {
			return TimelineRow{}, bad("exposure time", v)
		}
		r.ExposureTime = &f
	}
	if r.SUID == "" {
		return TimelineRow{}, bad("SU Id", "")
	}
	return r, nil
}
