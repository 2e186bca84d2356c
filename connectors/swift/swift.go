package swift

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
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

// Entry is one snapshot of a Swift API v2 timeline reply, with the field
// names of the API's own client (Swift-SOT/swifttools@92705421:
// swifttools/swift_too/swift/planquery.py SwiftPPSTEntry,
// obsquery.py SwiftAFSTEntry). Times are Swift spacecraft time, not UTC.
type Entry struct {
	TargetName string
	TargetID   int
	Segment    int
	// ObsID in the archive's 11-digit form (target ID, 8 digits, then the
	// segment, 3 digits).
	ObsID    string
	Begin    time.Time
	End      time.Time
	Settle   time.Time // as-flown only: when the slew settled
	RA, Dec  float64
	Roll     float64
	XRTMode  int // code: 0-9, 150, 200, 255 (XRTMODES)
	UVOTMode int // a 16-bit mode, written 0x%04x
	BATMode  int
}

// rawEntry holds an entry's fields undecoded: nil when absent.
type rawEntry struct {
	TargetName json.RawMessage `json:"target_name"`
	TargetID   json.RawMessage `json:"target_id"`
	Segment    json.RawMessage `json:"segment"`
	ObsID      json.RawMessage `json:"obs_id"`
	Begin      json.RawMessage `json:"begin"`
	End        json.RawMessage `json:"end"`
	Settle     json.RawMessage `json:"settle"`
	RA         json.RawMessage `json:"ra"`
	Dec        json.RawMessage `json:"dec"`
	Roll       json.RawMessage `json:"roll"`
	XRTMode    json.RawMessage `json:"xrt_mode"`
	UVOTMode   json.RawMessage `json:"uvot_mode"`
	BATMode    json.RawMessage `json:"bat_mode"`
}

func (r *rawEntry) field(col string) json.RawMessage {
	switch col {
	case "target_name":
		return r.TargetName
	case "target_id":
		return r.TargetID
	case "segment":
		return r.Segment
	case "begin":
		return r.Begin
	case "end":
		return r.End
	case "settle":
		return r.Settle
	case "ra":
		return r.RA
	case "dec":
		return r.Dec
	case "xrt_mode":
		return r.XRTMode
	case "uvot_mode":
		return r.UVOTMode
	}
	return nil
}

// EntryColumns are the entry fields each timeline's reply must carry; a
// missing one is a *connectors.SchemaError naming it. obs_id, roll and
// bat_mode are read when present.
var EntryColumns = map[Timeline][]string{
	Planned: {"target_name", "target_id", "segment", "begin", "end", "ra", "dec", "xrt_mode", "uvot_mode"},
	AsFlown: {"target_name", "target_id", "segment", "begin", "settle", "end", "ra", "dec", "xrt_mode", "uvot_mode"},
}

// errBadTime marks an entry whose times cannot be read.
var errBadTime = errors.New("bad time")

func (r *rawEntry) decode(tl Timeline) (Entry, error) {
	f := archive.Fields{Source: Name}
	e := Entry{TargetName: f.String("target_name", r.TargetName)}
	e.RA, _ = f.Float("ra", r.RA)
	e.Dec, _ = f.Float("dec", r.Dec)
	e.Roll, _ = f.Float("roll", r.Roll)
	var ok bool
	if e.TargetID, ok = wholeNumber(&f, "target_id", r.TargetID, 0, 1<<24-1); !ok && f.Err == nil {
		return e, &connectors.SchemaError{Source: Name, Column: "target_id", Reason: "not a target ID (0 to 2^24-1)"}
	}
	if e.Segment, ok = wholeNumber(&f, "segment", r.Segment, 0, 255); !ok && f.Err == nil {
		return e, &connectors.SchemaError{Source: Name, Column: "segment", Reason: "not a segment number (0 to 255)"}
	}
	if e.XRTMode, ok = wholeNumber(&f, "xrt_mode", r.XRTMode, 0, 255); !ok && f.Err == nil {
		return e, &connectors.SchemaError{Source: Name, Column: "xrt_mode", Reason: "not an XRT mode code (an integer, 0 to 255)"}
	}
	if e.UVOTMode, ok = wholeNumber(&f, "uvot_mode", r.UVOTMode, 0, 0xFFFF); !ok && f.Err == nil {
		return e, &connectors.SchemaError{Source: Name, Column: "uvot_mode", Reason: "not a UVOT mode (an integer, 0 to 0xFFFF)"}
	}
	if len(r.BATMode) > 0 && string(r.BATMode) != "null" {
		e.BATMode, _ = wholeNumber(&f, "bat_mode", r.BATMode, 0, 0xFFFF)
	}
	id, err := obsID(r.ObsID, e.TargetID, e.Segment)
	if err != nil {
		return e, err
	}
	e.ObsID = id
	if f.Err != nil {
		return e, f.Err
	}
	e.Begin, err = parseTime(f.String("begin", r.Begin))
	if err == nil {
		e.End, err = parseTime(f.String("end", r.End))
	}
	if err == nil && tl == AsFlown {
		e.Settle, err = parseTime(f.String("settle", r.Settle))
	}
	if f.Err != nil {
		return e, f.Err
	}
	return e, err
}

// wholeNumber reads a JSON integer within [lo, hi].
func wholeNumber(f *archive.Fields, col string, v json.RawMessage, lo, hi int) (int, bool) {
	x, ok := f.Float(col, v)
	if !ok || x != math.Trunc(x) || x < float64(lo) || x > float64(hi) {
		return 0, false
	}
	return int(x), true
}

// obsID returns an observation ID in the archive's 11-digit form. The API
// gives obs_id either in that form (a string starting with 0) or as the
// spacecraft's integer (segment << 24 | target ID), as the client's
// convert_obs_id_sdc reads it; when absent it is built from target_id and
// segment.
func obsID(raw json.RawMessage, target, segment int) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return fmt.Sprintf("%08d%03d", target, segment), nil
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", &connectors.SchemaError{Source: Name, Column: "obs_id", Reason: err.Error()}
		}
		s = strings.TrimSpace(s)
		if len(s) == 11 && s[0] == '0' && allDigits(s) {
			return s, nil
		}
	} else {
		s = string(raw)
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || !allDigits(s) {
		return "", &connectors.SchemaError{Source: Name, Column: "obs_id", Reason: fmt.Sprintf("%.20q is neither an 11-digit archive ID nor a spacecraft integer", s)}
	}
	return fmt.Sprintf("%08d%03d", n&0xFFFFFF, n>>24), nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// parseTime reads an ISO 8601 date and time ("2025-07-01T00:05:00.000",
// with a T or a space, an optional fraction and an optional Z or +00:00).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "Z"), "+00:00")
	s = strings.Replace(s, " ", "T", 1)
	t, err := time.Parse(timeLayout, s)
	if err != nil || t.Year() < 2004 || t.Year() > 2100 {
		return time.Time{}, errBadTime
	}
	return t, nil
}

// Reasons for skipped entries.
const (
	SkipBadTime = "bad begin/end/settle"
	SkipSlew    = "no exposure (slew or settle past end)"
)

// WarnSpacecraftTime is the warning of a parsed reply whose times are left
// in Swift spacecraft time (see [Clock]).
const WarnSpacecraftTime = "times are Swift spacecraft time, not corrected to UTC"

const timeLayout = "2006-01-02T15:04:05.999999999"

// ParseTimeline decodes a Swift API v2 reply ({"entries": [...], "status":
// ..., "ppstmax" or "afstmax": ...}) of the planned (planquery) or as-flown
// (obsquery) timeline and groups its snapshots by observation ID: each
// observation becomes one activity "swift:<obs_id>", planned or completed,
// spanning its snapshots, with the summed exposure: end − begin for a
// planned snapshot (the plan gives no exposure), end − settle for a flown
// one. "status" may be an object ({"status", "errors", ...}) or a bare
// string; a rejected query is an error.
//
// The times stay in Swift spacecraft time, as the reply gives them (the
// warning WarnSpacecraftTime says so); [Source] corrects them to UTC with
// the API's clock service ([Clock]).
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
	if err := checkStatus(env.Status); err != nil {
		return nil, err
	}
	if env.Entries == nil {
		return nil, &connectors.SchemaError{Source: Name, Column: "entries", Reason: "missing from the reply"}
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
		for _, c := range EntryColumns[tl] {
			if re.field(c) == nil {
				return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: fmt.Sprintf("missing from entry %d of the %s timeline", i, tl)}
			}
		}
		e, err := re.decode(tl)
		if errors.Is(err, errBadTime) {
			res.Skip(SkipBadTime)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		if e.End.Before(e.Begin) || e.End.Sub(e.Begin) > 30*24*time.Hour {
			res.Skip(SkipBadTime)
			continue
		}
		exp := e.End.Sub(e.Begin).Seconds()
		if tl == AsFlown {
			if e.Settle.Before(e.Begin) {
				res.Skip(SkipBadTime)
				continue
			}
			if !e.Settle.Before(e.End) {
				res.Skip(SkipSlew)
				continue
			}
			exp = e.End.Sub(e.Settle).Seconds()
		}
		g, ok := groups[e.ObsID]
		if !ok {
			g = &group{a: newActivity(e, tl, res)}
			g.a.Start, g.a.End = e.Begin.UTC(), e.End.UTC()
			groups[e.ObsID] = g
			order = append(order, e.ObsID)
		}
		if e.Begin.Before(g.a.Start) {
			g.a.Start = e.Begin.UTC()
		}
		if e.End.After(g.a.End) {
			g.a.End = e.End.UTC()
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
	if len(res.Activities) > 0 {
		res.Warn(WarnSpacecraftTime)
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

// checkStatus reads the reply's status: an object {"status", "errors",
// "warnings", ...} or a bare string ("Accepted"), as the client's
// _normalize_response_payload reads it.
func checkStatus(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var st struct {
		Status string   `json:"status"`
		Errors []string `json:"errors"`
	}
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &st.Status); err != nil {
			return &connectors.SchemaError{Source: Name, Column: "status", Reason: err.Error()}
		}
	} else if err := json.Unmarshal(raw, &st); err != nil {
		return &connectors.SchemaError{Source: Name, Column: "status", Reason: err.Error()}
	}
	if len(st.Errors) > 0 || strings.EqualFold(st.Status, "Rejected") || strings.EqualFold(st.Status, "Error") {
		return connectors.WithKind(fmt.Errorf("%s: the Swift API rejected the query: %s %s", Name, st.Status, strings.Join(st.Errors, "; ")),
			connectors.ErrRejected)
	}
	return nil
}

func newActivity(e Entry, tl Timeline, res *connectors.Reply) activities.Activity {
	kind := activities.KindPlanned
	if tl == AsFlown {
		kind = activities.KindCompleted
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, e.ObsID),
		Source:      Name,
		Kind:        kind,
		Observatory: "NASA Swift",
		Facility:    "Swift",
		Instrument:  "XRT+UVOT",
		Target:      activities.Target{Name: e.TargetName, FOVRadius: xrtFOV()},
		DatasetID:   e.ObsID,
		Links:       []activities.Link{{Title: "Swift observation", URL: "https://www.swift.ac.uk/archive/selectseq.php?tid=" + fmt.Sprint(e.TargetID)}},
	}
	if e.TargetID != 0 {
		a.Programme.ID = fmt.Sprint(e.TargetID)
	}
	if !archive.SetPosition(&a.Target, e.RA, e.Dec) {
		res.Warn("ra/dec out of range")
	}
	uvot := fmt.Sprintf("0x%04x", e.UVOTMode)
	a.Mode = "XRT " + decodeXRT(e.XRTMode, res) + "; UVOT " + uvot
	a.Filter = strings.Join(decodeUVOT(uvot, res), "+")
	a.Revision = activities.Revision(kind, time.Time{})
	return a
}

// decodeXRT names an XRT mode code (the client's XRTMODES).
func decodeXRT(code int, res *connectors.Reply) string {
	if m, ok := mapping.XRTModes[strconv.Itoa(code)]; ok {
		return m
	}
	res.Warn(fmt.Sprintf("unknown xrt mode %d", code))
	return strconv.Itoa(code)
}

// decodeUVOT lists the filters of a UVOT mode ("0x30ed").
func decodeUVOT(v string, res *connectors.Reply) []string {
	if f, ok := mapping.UVOTModes[v]; ok {
		return slices.Clone(f)
	}
	res.Warn(fmt.Sprintf("unknown uvot mode %s", v))
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
