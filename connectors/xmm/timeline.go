package xmm

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
)

// TimelineBaseURL is where a revolution's planned timeline page is,
// <TimelineBaseURL><rev>_nice.html (ACROSS REVOLUTION_FILE_BASE_URL).
const TimelineBaseURL = "https://xmmweb.esac.esa.int/user/mplan/summaries/"

// TimelineColumns are the timeline table's columns: the row's time
// ("yyyy-mm-dd | hh:mm:ss"), the spacecraft event, and one column per
// camera.
var TimelineColumns = []string{"Date & Time", "Event", "OM", "EMOS1", "EMOS2", "EPN", "RGS1", "RGS2"}

// The cameras of the timeline: their column, the instrument name given to
// their activities and the observing mode of their exposures.
var timelineCameras = []struct{ col, instrument, mode string }{
	{"OM", "OM", "imaging"},
	{"EMOS1", "EPIC-MOS1", "imaging"},
	{"EMOS2", "EPIC-MOS2", "imaging"},
	{"EPN", "EPIC-pn", "imaging"},
	{"RGS1", "RGS1", "spectroscopy"},
	{"RGS2", "RGS2", "spectroscopy"},
}

// Reasons for skipping a timeline exposure.
const (
	SkipOutsideObservation = "exposure outside an observation (slew or calibration)"
	SkipOMBlocked          = "OM exposure with the filter wheel blocked"
)

// WarnOMFilterUnknown counts OM exposures kept without a bandpass: their
// filter is none of the seven broad-band filters.
const WarnOMFilterUnknown = "OM filter without a known bandpass"

// OMFilters are the Optical Monitor's broad-band filters and their
// wavelength ranges in nm, as ACROSS gives them (OM_*_BANDPASS of
// low_fidelity_planned.py).
var OMFilters = map[string][2]float64{
	"UVW2":  {187, 237},
	"UVM2":  {207, 255},
	"UVW1":  {249.5, 332.5},
	"U":     {302, 386},
	"B":     {397.5, 502.5},
	"V":     {508, 578},
	"WHITE": {232.5, 579.5},
}

// epicFilters are the EPIC filter positions a timeline names; the closed
// ones (CLOSED, CALCLOSED: the calibration source) give Filter "closed",
// as the schedule's parenthesized durations do.
var epicFilters = map[string]string{"THIN1": "thin1", "THIN2": "thin2", "MEDIUM": "medium", "THICK": "thick",
	"CLOSED": "closed", "CALCLOSED": "closed", "OPEN": "open"}

// exposureCell is a camera's exposure as the timeline writes it on every
// row while it runs: "<mode> <exposure number>: <duration> sec".
var exposureCell = regexp.MustCompile(`^(\S.*?)\s+(\d{3}):\s*(\d+)\s+sec$`)

// omContinues marks the rows of a running OM exposure after its first.
const omContinues = "... exp continues"

// timelineExposure is one camera exposure being read.
type timelineExposure struct {
	cam        int
	mode, num  string
	start      time.Time
	dur        int
	filter     string // filter named within the exposure (OM)
	before     string // the camera's last filter before the exposure
	obs        *timelineObs
	outsideObs bool
}

// timelineObs is one observation of the timeline (OBS_START to OBS_END).
type timelineObs struct {
	obsid, target string
	ra, dec       float64
	roll          *float64
	havePos       bool
	end           time.Time
}

// ParseTimeline reads a revolution's planned timeline, the page
// <TimelineBaseURL><rev>_nice.html (its timeline table: the HTML table
// with an Event column; or that table re-serialized as CSV) and returns
// one activity per camera exposure inside an observation: OM, EPIC-MOS1,
// EPIC-MOS2, EPIC-pn, RGS1 and RGS2, from the exposure's first row for
// its stated duration (cut at the observation's end), with the
// observation's Obs Id., target, pointing (OBS_START's RA/DEC, the roll
// from the slew's PA) and the exposure's mode and filter; an OM exposure
// in one of the seven broad-band filters has that filter's bandpass, the
// EPIC and RGS ones ACROSS's bands. Records counts exposures; those
// during slews (calibrations, slew survey) and OM exposures behind the
// blocked filter are counted skips.
func ParseTimeline(b []byte) (*connectors.Reply, error) {
	body, err := timelineTable(b)
	if err != nil {
		return nil, err
	}
	t, err := schedfile.ReadTable(Name, body)
	if err != nil {
		return nil, err
	}
	ix, err := t.Need(Name, TimelineColumns)
	if err != nil {
		return nil, err
	}
	res := &connectors.Reply{}
	var (
		rev      string
		obs      *timelineObs
		lastPA   *float64
		slewPos  [2]string
		open     = make([]*timelineExposure, len(timelineCameras))
		filters  = make([]string, len(timelineCameras))
		finished []*timelineExposure
	)
	closeCam := func(c int) {
		if e := open[c]; e != nil {
			finished = append(finished, e)
			open[c] = nil
		}
	}
	for r, cells := range t.Rows {
		cell := func(c string) string {
			if i := ix[c]; i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		when, err := timelineTime(cell("Date & Time"))
		if err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "Date & Time", Reason: fmt.Sprintf("row %d: %v", r+1, err)}
		}
		event := cell("Event")
		switch {
		case event == "PSF_START":
			// "PSF version: 4714_06.PSF": the revolution's planned schedule file.
			if v, ok := strings.CutPrefix(cell("OM"), "PSF version:"); ok {
				rev, _, _ = strings.Cut(strings.TrimSpace(v), "_")
			}
			continue
		case event == "SLEW_START":
			slewPos = [2]string{field(cells, "RA:"), field(cells, "DEC:")}
			lastPA = nil
			if v, err := sexagesimal(field(cells, "PA:"), 1); err == nil {
				lastPA = &v
			}
			continue
		case event == "OBS_START":
			for c := range open {
				closeCam(c)
			}
			obs = &timelineObs{}
			ra, rerr := sexagesimal(field(cells, "RA:"), 15)
			dec, derr := sexagesimal(field(cells, "DEC:"), 1)
			if rerr == nil && derr == nil {
				obs.ra, obs.dec, obs.havePos = ra, dec, true
				if slewPos == [2]string{field(cells, "RA:"), field(cells, "DEC:")} {
					obs.roll = lastPA
				}
			}
			continue
		case event == "OBS_END":
			if obs != nil {
				obs.end = when
			}
			for c := range open {
				closeCam(c)
			}
			obs = nil
			continue
		case strings.HasPrefix(event, "ID:"):
			if obs != nil && obs.obsid == "" {
				id := strings.TrimSpace(strings.TrimPrefix(event, "ID:"))
				if _, err := strconv.ParseUint(id, 10, 64); err != nil || len(id) != 10 {
					return nil, &connectors.SchemaError{Source: Name, Column: "Event", Reason: fmt.Sprintf("row %d: not a 10-digit observation id: %.40q", r+1, event)}
				}
				obs.obsid, obs.target = id, cell("OM")
			}
			continue
		case event != "" && !quietEvent(event):
			// PERIGEE_*, *_OPEN, *_CLOSE...: their camera cells carry
			// durations and positions, not exposures.
			continue
		}
		for c, cam := range timelineCameras {
			v := cell(cam.col)
			if m := exposureCell.FindStringSubmatch(v); m != nil {
				if e := open[c]; e != nil && e.mode == m[1] && e.num == m[2] {
					continue
				}
				closeCam(c)
				dur, err := strconv.Atoi(m[3])
				if err != nil || dur <= 0 || dur > 400000 {
					return nil, &connectors.SchemaError{Source: Name, Column: cam.col, Reason: fmt.Sprintf("row %d: bad duration %.40q", r+1, v)}
				}
				open[c] = &timelineExposure{cam: c, mode: m[1], num: m[2], start: when, dur: dur,
					before: filters[c], obs: obs, outsideObs: obs == nil || obs.obsid == ""}
				continue
			}
			if v == omContinues {
				continue
			}
			if v == "" {
				closeCam(c)
				continue
			}
			// A filter.
			if c == 0 {
				if e := open[0]; e != nil && e.filter == "" && when.Before(e.start.Add(time.Duration(e.dur)*time.Second)) {
					e.filter = v
				} else if e != nil && strings.EqualFold(v, "Blocked") {
					closeCam(0)
				}
			} else {
				closeCam(c)
			}
			filters[c] = v
		}
	}
	for c := range open {
		closeCam(c)
	}
	for _, e := range finished {
		res.Records++
		if e.outsideObs {
			res.Skip(SkipOutsideObservation)
			continue
		}
		if a, skip := e.activity(rev, res); skip != "" {
			res.Skip(skip)
		} else if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipBadRow)
		} else {
			res.Activities = append(res.Activities, a)
		}
	}
	slices.SortStableFunc(res.Activities, func(a, b activities.Activity) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return res, nil
}

// activity is the exposure's activity, or the reason it is skipped.
func (e *timelineExposure) activity(rev string, res *connectors.Reply) (activities.Activity, string) {
	cam := timelineCameras[e.cam]
	start := e.start
	end := start.Add(time.Duration(e.dur) * time.Second)
	if !e.obs.end.IsZero() && end.After(e.obs.end) {
		end = e.obs.end
	}
	a := activities.Activity{ID: activities.NewID(Name, e.obs.obsid+"-"+cam.instrument+"-"+e.num), Source: Name,
		Kind: activities.KindPlanned, Fidelity: activities.FidelityHigh, Observatory: "ESA", Facility: "XMM-Newton",
		Instrument: cam.instrument, Mode: cam.mode + ", " + e.mode, DatasetID: e.obs.obsid,
		Start: start, End: end, Exposure: activities.Float(float64(e.dur))}
	a.Target.Name = e.obs.target
	if rev != "" {
		a.Programme.ID = "revolution " + rev
	}
	if e.obs.havePos {
		if p, err := activities.NewPointing(e.obs.ra, e.obs.dec, e.obs.roll); err == nil {
			a.Pointing = &p
			archive.SetPosition(&a.Target, p.RA, p.Dec)
		}
	}
	var bp activities.Bandpass
	switch {
	case e.cam == 0:
		f := e.filter
		if f == "" {
			f = e.before
		}
		if strings.EqualFold(f, "Blocked") {
			return a, SkipOMBlocked
		}
		name := strings.ToUpper(strings.Fields(f + " ?")[0])
		a.Filter = f
		r, ok := OMFilters[name]
		if !ok {
			res.Warn(WarnOMFilterUnknown)
			return a, ""
		}
		a.Filter = name
		bp, _ = activities.BandpassFromWavelength(activities.Wavelength(r[0])*activities.Nanometre, activities.Wavelength(r[1])*activities.Nanometre)
	case strings.HasPrefix(cam.instrument, "EPIC"):
		a.Filter = epicFilters[strings.ToUpper(e.before)]
		bp = band(instruments[0].lo, instruments[0].hi)
	default:
		bp = band(instruments[2].lo, instruments[2].hi)
	}
	a.Bandpass = &bp
	a.Revision = activities.Revision(a.Kind, time.Time{})
	return a, ""
}

func band(lo, hi float64) activities.Bandpass {
	bp, _ := activities.BandpassFromEnergy(activities.Energy(lo)*activities.KiloElectronVolt, activities.Energy(hi)*activities.KiloElectronVolt)
	return bp
}

// quietEvent reports whether the camera cells of a row with this event
// still describe the cameras (ground-station handovers and radiation
// monitor changes happen while exposures run).
func quietEvent(ev string) bool {
	return strings.HasPrefix(ev, "Handover") || strings.HasPrefix(ev, "RadMon") || strings.HasSuffix(ev, " km")
}

// field returns the value of the first cell "<prefix> value" of the row.
func field(cells []string, prefix string) string {
	for _, c := range cells {
		if v, ok := strings.CutPrefix(strings.TrimSpace(c), prefix); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// timelineTime reads "2025-09-04 | 03:32:53".
func timelineTime(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02 | 15:04:05", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not yyyy-mm-dd | hh:mm:ss: %.40q", s)
	}
	return t, nil
}

// timelineTable returns the timeline table of a timeline page (the page
// has a summary table first; the timeline is the table whose header has
// an Event column) as a page of that one table; a CSV is returned as is.
func timelineTable(b []byte) ([]byte, error) {
	head := bytes.ToLower(b[:min(len(b), 4096)])
	if _, ok := archive.LooksLikeHTML(b); !ok && !bytes.Contains(head, []byte("<table")) {
		return b, nil
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: timeline page: %w", Name, err)
	}
	var out []byte
	doc.Find("table").EachWithBreak(func(_ int, tb *goquery.Selection) bool {
		first := tb.Find("tr").First()
		for _, c := range first.Find("th, td").Nodes {
			if strings.TrimSpace(goquery.NewDocumentFromNode(c).Text()) == "Event" {
				h, err := goquery.OuterHtml(tb)
				if err == nil {
					out = []byte("<html><body>" + h + "</body></html>")
				}
				return false
			}
		}
		return true
	})
	if out == nil {
		title := strings.TrimSpace(doc.Find("title").First().Text())
		return nil, &connectors.HTMLError{Source: Name, What: "a revolution timeline table (with an Event column)", Title: title}
	}
	return out, nil
}
