package swift

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

//go:embed mapping.json
var mappingJSON []byte

var mapping = func() (m struct {
	XRTModes  map[string]string   `json:"xrt_modes"`
	UVOTModes map[string][]string `json:"uvot_modes"`
	FOV       map[string]float64  `json:"fov_radius_deg"`
}) {
	if err := json.Unmarshal(mappingJSON, &m); err != nil {
		panic(fmt.Sprintf("swift: embedded mapping.json: %v", err))
	}
	return m
}()

// Timeline says which Swift timeline a reply comes from.
type Timeline int

// The two timelines of the Swift API.
const (
	// Planned is the pre-planned science timeline (/swift/planquery).
	Planned Timeline = iota
	// AsFlown is the as-flown timeline (/swift/obsquery).
	AsFlown
)

func (t Timeline) String() string {
	if t == AsFlown {
		return "as-flown"
	}
	return "planned"
}

// Entry is one snapshot of a Swift timeline reply.
type Entry struct {
	ObsID    string  `json:"obsid"`
	Target   string  `json:"targname"`
	RA       float64 `json:"ra"`
	Dec      float64 `json:"dec"`
	Begin    string  `json:"begin"`
	End      string  `json:"end"`
	Settle   string  `json:"settle"`   // as-flown only: when the slew settled
	Exposure float64 `json:"exposure"` // planned only: seconds
	Roll     float64 `json:"roll"`
	UVOT     string  `json:"uvot"`
	BAT      string  `json:"bat"`
	XRT      string  `json:"xrt"`
	Segment  int     `json:"segment"`
	TargetID int     `json:"target_id"`
}

// rawEntry holds an entry's fields undecoded: nil when absent.
type rawEntry struct {
	ObsID    json.RawMessage `json:"obsid"`
	Target   json.RawMessage `json:"targname"`
	RA       json.RawMessage `json:"ra"`
	Dec      json.RawMessage `json:"dec"`
	Begin    json.RawMessage `json:"begin"`
	End      json.RawMessage `json:"end"`
	Settle   json.RawMessage `json:"settle"`
	Exposure json.RawMessage `json:"exposure"`
	Roll     json.RawMessage `json:"roll"`
	UVOT     json.RawMessage `json:"uvot"`
	BAT      json.RawMessage `json:"bat"`
	XRT      json.RawMessage `json:"xrt"`
	Segment  json.RawMessage `json:"segment"`
	TargetID json.RawMessage `json:"target_id"`
}

func (r *rawEntry) field(col string) json.RawMessage {
	switch col {
	case "obsid":
		return r.ObsID
	case "targname":
		return r.Target
	case "ra":
		return r.RA
	case "dec":
		return r.Dec
	case "begin":
		return r.Begin
	case "end":
		return r.End
	case "settle":
		return r.Settle
	case "exposure":
		return r.Exposure
	case "uvot":
		return r.UVOT
	case "xrt":
		return r.XRT
	}
	return nil
}

func (r *rawEntry) decode() (Entry, error) {
	f := archive.Fields{Source: Name}
	e := Entry{ObsID: f.String("obsid", r.ObsID), Target: f.String("targname", r.Target),
		Begin: f.String("begin", r.Begin), End: f.String("end", r.End), Settle: f.String("settle", r.Settle),
		UVOT: f.String("uvot", r.UVOT), BAT: f.String("bat", r.BAT), XRT: f.String("xrt", r.XRT)}
	e.RA, _ = f.Float("ra", r.RA)
	e.Dec, _ = f.Float("dec", r.Dec)
	e.Exposure, _ = f.Float("exposure", r.Exposure)
	e.Roll, _ = f.Float("roll", r.Roll)
	seg, _ := f.Float("segment", r.Segment)
	tid, _ := f.Float("target_id", r.TargetID)
	if seg != float64(int(seg)) || tid != float64(int(tid)) || tid < 0 || tid > 1e12 {
		return e, &connectors.SchemaError{Source: Name, Column: "target_id/segment", Reason: "not whole numbers"}
	}
	e.Segment, e.TargetID = int(seg), int(tid)
	return e, f.Err
}

var entryColumns = map[Timeline][]string{
	Planned: {"obsid", "targname", "ra", "dec", "begin", "end", "exposure", "uvot", "xrt"},
	AsFlown: {"obsid", "targname", "ra", "dec", "begin", "end", "settle", "uvot", "xrt"},
}

// Reasons for skipped entries.
const (
	SkipBadTime = "bad begin/end/settle"
	SkipNoObsID = "missing obsid"
	SkipSlew    = "no exposure (slew or settle past end)"
)

const timeLayout = "2006-01-02T15:04:05.999999999"

// ParseTimeline decodes a Swift API reply ({"status": {...}, "entries":
// [...]}) of the planned (planquery) or as-flown (obsquery) timeline and
// groups its snapshots by observation ID: each observation becomes one
// activity "swift:<obsid>", planned or completed, spanning its snapshots,
// with the summed exposure (for as-flown, the sum of end − settle).
//
// The same observation gets the same ID in both timelines; the completed
// one has the higher revision, so it replaces the planned one.
func ParseTimeline(b []byte, tl Timeline) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "Swift API JSON", Title: title}
	}
	var env struct {
		Status  json.RawMessage   `json:"status"`
		Entries []json.RawMessage `json:"entries"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, &connectors.SchemaError{Source: Name, Column: "(reply)", Reason: "not a Swift API JSON reply: " + err.Error()}
	}
	if env.Entries == nil {
		return nil, &connectors.SchemaError{Source: Name, Column: "entries", Reason: "missing from the reply"}
	}
	if err := checkStatus(env.Status); err != nil {
		return nil, err
	}
	res := &connectors.Reply{Records: len(env.Entries)}
	type group struct {
		a        activities.Activity
		exposure float64
		n        int
	}
	groups := map[string]*group{}
	var order []string
	for i, raw := range env.Entries {
		var re rawEntry
		if err := json.Unmarshal(raw, &re); err != nil || string(raw) == "null" {
			return nil, &connectors.SchemaError{Source: Name, Column: "entries", Reason: fmt.Sprintf("entry %d is not an object", i)}
		}
		for _, c := range entryColumns[tl] {
			if re.field(c) == nil {
				return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: fmt.Sprintf("missing from entry %d of the %s timeline", i, tl)}
			}
		}
		e, err := re.decode()
		if err != nil {
			return nil, err
		}
		obsid := strings.TrimSpace(e.ObsID)
		if obsid == "" {
			res.Skip(SkipNoObsID)
			continue
		}
		begin, err1 := time.Parse(timeLayout, strings.TrimSuffix(e.Begin, "Z"))
		end, err2 := time.Parse(timeLayout, strings.TrimSuffix(e.End, "Z"))
		if err1 != nil || err2 != nil || end.Before(begin) || begin.Year() < 1 || end.Sub(begin) > 30*24*time.Hour {
			res.Skip(SkipBadTime)
			continue
		}
		exp := e.Exposure
		if tl == AsFlown {
			settle, err := time.Parse(timeLayout, strings.TrimSuffix(e.Settle, "Z"))
			if err != nil {
				res.Skip(SkipBadTime)
				continue
			}
			if !settle.Before(end) {
				res.Skip(SkipSlew)
				continue
			}
			exp = end.Sub(settle).Seconds()
		}
		if exp < 0 || exp != exp || exp > 1e7 {
			res.Skip(SkipBadTime)
			continue
		}
		g, ok := groups[obsid]
		if !ok {
			g = &group{a: newActivity(e, obsid, tl, res)}
			g.a.Start, g.a.End = begin.UTC(), end.UTC()
			groups[obsid] = g
			order = append(order, obsid)
		}
		if begin.Before(g.a.Start) {
			g.a.Start = begin.UTC()
		}
		if end.After(g.a.End) {
			g.a.End = end.UTC()
		}
		g.exposure += exp
		g.n++
	}
	// Every entry either is skipped or joins a group; the grouped entries
	// beyond the first of each observation are counted as merged.
	for _, id := range order {
		g := groups[id]
		g.a.Exposure = activities.Float(g.exposure)
		res.Activities = append(res.Activities, g.a)
		if g.n > 1 {
			res.Skipped = withCount(res.Skipped, "merged into its observation's activity", g.n-1)
		}
	}
	sort.SliceStable(res.Activities, func(i, j int) bool { return res.Activities[i].Start.Before(res.Activities[j].Start) })
	return res, nil
}

func withCount(m map[string]int, k string, n int) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[k] += n
	return m
}

func checkStatus(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var st struct {
		Status string   `json:"status"`
		Errors []string `json:"errors"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return &connectors.SchemaError{Source: Name, Column: "status", Reason: err.Error()}
	}
	if len(st.Errors) > 0 || strings.EqualFold(st.Status, "Rejected") || strings.EqualFold(st.Status, "Error") {
		return fmt.Errorf("%s: the Swift API rejected the query: %s %s", Name, st.Status, strings.Join(st.Errors, "; "))
	}
	return nil
}

func newActivity(e Entry, obsid string, tl Timeline, res *connectors.Reply) activities.Activity {
	kind := activities.KindPlanned
	if tl == AsFlown {
		kind = activities.KindCompleted
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, obsid),
		Source:      Name,
		Kind:        kind,
		Observatory: "NASA Swift",
		Facility:    "Swift",
		Instrument:  "XRT+UVOT",
		Target:      activities.Target{Name: e.Target, FOVRadius: xrtFOV()},
		DatasetID:   obsid,
		Links:       []activities.Link{{Title: "Swift observation", URL: "https://www.swift.ac.uk/archive/selectseq.php?tid=" + fmt.Sprint(e.TargetID)}},
	}
	if e.TargetID != 0 {
		a.Programme.ID = fmt.Sprint(e.TargetID)
	}
	if !archive.SetPosition(&a.Target, e.RA, e.Dec) {
		res.Warn("ra/dec out of range")
	}
	xrt := decodeXRT(e.XRT, res)
	filters := decodeUVOT(e.UVOT, res)
	a.Mode = "XRT " + xrt + "; UVOT " + strings.ToLower(strings.TrimSpace(e.UVOT))
	a.Filter = strings.Join(filters, "+")
	a.Revision = activities.Revision(kind, time.Time{})
	return a
}

// decodeXRT names an XRT mode given by name ("PC") or code ("7").
func decodeXRT(v string, res *connectors.Reply) string {
	v = strings.TrimSpace(v)
	if m, ok := mapping.XRTModes[v]; ok {
		return m
	}
	for _, m := range mapping.XRTModes {
		if strings.EqualFold(m, v) {
			return m
		}
	}
	res.Warn(fmt.Sprintf("unknown xrt mode %q", v))
	return v
}

// decodeUVOT lists the filters of a UVOT mode ("0x30ed").
func decodeUVOT(v string, res *connectors.Reply) []string {
	k := strings.ToLower(strings.TrimSpace(v))
	if f, ok := mapping.UVOTModes[k]; ok {
		return slices.Clone(f)
	}
	res.Warn(fmt.Sprintf("unknown uvot mode %q", v))
	return nil
}

// xrtFOV is the XRT field of view radius: the project's instrument table,
// else this package's mapping.
func xrtFOV() float64 {
	if f, ok := archive.CatalogFOV("Swift", "XRT"); ok {
		return f
	}
	return mapping.FOV["XRT"]
}
