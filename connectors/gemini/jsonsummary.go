package gemini

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// Reasons for which a jsonsummary record does not become an activity. They
// are the keys of [connectors.Reply.Skipped].
const (
	SkipEngineering = "engineering"         // engineering data
	SkipCalibration = "calibration"         // bias, dark, flat, arc, ... or a calibration programme
	SkipAcquisition = "acquisition"         // acquisition frames
	SkipProcessed   = "processed product"   // a reduced product of a raw frame listed on its own
	SkipQAFail      = "qa fail"             // data marked as failing quality assessment
	SkipNoTime      = "missing ut_datetime" // no observing time
	SkipBadTime     = "bad ut_datetime"     // a date format the parser does not know
	SkipNoTelescope = "unknown telescope"   // neither telescope nor programme names the site
	SkipNoLabel     = "missing data_label and name"
)

// requiredColumns are the jsonsummary fields the parser reads. Their absence
// from a record is schema drift: the archive has renamed or dropped them.
var requiredColumns = []string{
	"data_label", "name", "instrument", "telescope", "ut_datetime", "program_id",
	"observation_id", "observation_class", "observation_type", "object", "ra", "dec",
	"exposure_time", "engineering", "reduction", "qa_state", "mode", "filter_name",
	"disperser", "lastmod",
}

// maxExposure bounds a plausible exposure in seconds (ten days).
const maxExposure = 864000

const (
	utLayout      = "2006-01-02 15:04:05.999999999"
	lastmodLayout = "2006-01-02 15:04:05.999999999-07:00"
)

// The archive's result limits (FitsStorage's fits_open_result_limit and
// fits_closed_result_limit, GeminiDRSoftware/FitsStorage@426e1308:
// fits_storage/config/fits_storage.conf, applied in
// fits_storage/db/list_headers.py). A query is closed when it names a date,
// a date range, a programme, an observation, a data label or a file
// (fits_storage/db/selection/misc.py openquery), open otherwise.
const (
	// OpenResultLimit caps an open query. The archive marks the last
	// record of every non-empty open reply "results_truncated", whether or
	// not the cap was reached (fits_storage/web/file_list.py), so an open
	// reply's completeness cannot be known: it is reported as truncated.
	OpenResultLimit = 500
	// ClosedResultLimit caps a closed query, with no marker: a reply of
	// exactly this many records is treated as truncated.
	ClosedResultLimit = 2000
)

// ParseJSONSummary decodes a reply of the archive's /jsonsummary service (a
// JSON array of file records) and normalizes each record.
//
// Every record becomes an archived activity or is counted in
// Result.Skipped under one of the Skip* reasons. A missing column or a
// value of the wrong type is a *connectors.SchemaError naming the column; an
// HTML page (login, error or row-limit page) is a *connectors.HTMLError.
// Reply.Truncated is set by the "results_truncated" marker of an open
// query's reply (Limit: its record count) and by a closed reply of
// ClosedResultLimit records (Limit: ClosedResultLimit).
func ParseJSONSummary(b []byte) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		if n, hit := RowLimitPage(b); hit {
			return nil, &connectors.TruncatedError{Source: Name, Limit: n,
				Reason: "the archive answered with its row-limit page instead of JSON"}
		}
		return nil, &connectors.HTMLError{Source: Name, What: "jsonsummary JSON", Title: title}
	}
	var raw []*rawRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, &connectors.SchemaError{Source: Name, Column: "(reply)", Reason: "not a JSON array of records: " + err.Error()}
	}
	res := &connectors.Reply{Records: len(raw), Activities: make([]activities.Activity, 0, len(raw))}
	for i, rec := range raw {
		if rec == nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "(record)", Reason: fmt.Sprintf("record %d is null", i)}
		}
		if string(rec.ResultsTruncated) == "true" {
			res.Truncated = true
			res.Limit = len(raw)
		}
		a, skip, err := normalize(rec, res)
		if err != nil {
			return nil, fmt.Errorf("gemini: record %d: %w", i, err)
		}
		if skip != "" {
			res.Skip(skip)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	if !res.Truncated && len(raw) >= ClosedResultLimit {
		res.Truncated, res.Limit = true, ClosedResultLimit
	}
	return res, nil
}

var rowLimitRE = regexp.MustCompile(`(?:more than the limit of|limited to) (\d+) results`)

// RowLimitPage reports whether an archive HTML page says the search hit
// its row limit ("WARNING: Your search generated more than the limit of
// 2500 results", "Searches like this are limited to 500 results"), and the
// limit.
func RowLimitPage(b []byte) (limit int, ok bool) {
	m := rowLimitRE.FindSubmatch(b)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n, true
}

// rawRecord holds the jsonsummary fields the parser reads, undecoded: a nil
// field was absent from the record, "null" was null.
type rawRecord struct {
	DataLabel        json.RawMessage `json:"data_label"`
	Name             json.RawMessage `json:"name"`
	Instrument       json.RawMessage `json:"instrument"`
	Telescope        json.RawMessage `json:"telescope"`
	UTDatetime       json.RawMessage `json:"ut_datetime"`
	ProgramID        json.RawMessage `json:"program_id"`
	ObservationID    json.RawMessage `json:"observation_id"`
	ObservationClass json.RawMessage `json:"observation_class"`
	ObservationType  json.RawMessage `json:"observation_type"`
	Object           json.RawMessage `json:"object"`
	RA               json.RawMessage `json:"ra"`
	Dec              json.RawMessage `json:"dec"`
	ExposureTime     json.RawMessage `json:"exposure_time"`
	Engineering      json.RawMessage `json:"engineering"`
	Reduction        json.RawMessage `json:"reduction"`
	QAState          json.RawMessage `json:"qa_state"`
	Mode             json.RawMessage `json:"mode"`
	FilterName       json.RawMessage `json:"filter_name"`
	Disperser        json.RawMessage `json:"disperser"`
	Lastmod          json.RawMessage `json:"lastmod"`
	CalProgram       json.RawMessage `json:"calibration_program"`
	ResultsTruncated json.RawMessage `json:"results_truncated"`
}

func (r *rawRecord) field(col string) json.RawMessage {
	switch col {
	case "data_label":
		return r.DataLabel
	case "name":
		return r.Name
	case "instrument":
		return r.Instrument
	case "telescope":
		return r.Telescope
	case "ut_datetime":
		return r.UTDatetime
	case "program_id":
		return r.ProgramID
	case "observation_id":
		return r.ObservationID
	case "observation_class":
		return r.ObservationClass
	case "observation_type":
		return r.ObservationType
	case "object":
		return r.Object
	case "ra":
		return r.RA
	case "dec":
		return r.Dec
	case "exposure_time":
		return r.ExposureTime
	case "engineering":
		return r.Engineering
	case "reduction":
		return r.Reduction
	case "qa_state":
		return r.QAState
	case "mode":
		return r.Mode
	case "filter_name":
		return r.FilterName
	case "disperser":
		return r.Disperser
	case "lastmod":
		return r.Lastmod
	case "calibration_program":
		return r.CalProgram
	}
	return nil
}

// rec reads typed fields out of one record, remembering the first error.
type rec struct {
	r   *rawRecord
	err error
}

func (r *rec) fail(col, reason string) {
	if r.err == nil {
		r.err = &connectors.SchemaError{Source: Name, Column: col, Reason: reason}
	}
}

func (r *rec) str(col string) string {
	v := r.r.field(col)
	if len(v) == 0 || string(v) == "null" {
		return ""
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		return strings.TrimSpace(string(v[1 : len(v)-1])) // the decoder checked the syntax
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		r.fail(col, fmt.Sprintf("want a string, got %.40s", v))
		return ""
	}
	return strings.TrimSpace(s)
}

func (r *rec) num(col string) (float64, bool) {
	v := r.r.field(col)
	if len(v) == 0 || string(v) == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || v[0] == '"' {
		r.fail(col, fmt.Sprintf("want a number, got %.40s", v))
		return 0, false
	}
	return f, true
}

func (r *rec) boolean(col string) bool {
	v := r.r.field(col)
	switch string(v) {
	case "", "null", "false":
		return false
	case "true":
		return true
	}
	r.fail(col, fmt.Sprintf("want true or false, got %.40s", v))
	return false
}

func normalize(m *rawRecord, res *connectors.Reply) (activities.Activity, string, error) {
	for _, c := range requiredColumns {
		if m.field(c) == nil {
			return activities.Activity{}, "", &connectors.SchemaError{Source: Name, Column: c, Reason: "missing from the record (renamed or dropped upstream?)"}
		}
	}
	r := &rec{r: m}
	label := r.str("data_label")
	name := r.str("name")
	instrument := r.str("instrument")
	telescope := r.str("telescope")
	ut := r.str("ut_datetime")
	progID := r.str("program_id")
	obsID := r.str("observation_id")
	class := r.str("observation_class")
	otype := r.str("observation_type")
	object := r.str("object")
	ra, hasRA := r.num("ra")
	dec, hasDec := r.num("dec")
	exp, hasExp := r.num("exposure_time")
	eng := r.boolean("engineering")
	reduction := r.str("reduction")
	qa := r.str("qa_state")
	mode := r.str("mode")
	filter := r.str("filter_name")
	disperser := r.str("disperser")
	lastmod := r.str("lastmod")
	calProg := r.boolean("calibration_program") // absent in older replies: false
	if r.err != nil {
		return activities.Activity{}, "", r.err
	}

	if class != "" && !mapping.knownClass(class) {
		res.Warn(fmt.Sprintf("unknown observation_class %q", class))
	}
	if otype != "" && !mapping.knownType(otype) {
		res.Warn(fmt.Sprintf("unknown observation_type %q", otype))
	}
	switch {
	case eng || strings.Contains(progID, "-ENG"):
		return activities.Activity{}, SkipEngineering, nil
	case strings.EqualFold(qa, "Fail"):
		return activities.Activity{}, SkipQAFail, nil
	case reduction != "" && reduction != "RAW":
		return activities.Activity{}, SkipProcessed, nil
	case calProg || mapping.isCalClass(class) || mapping.isCalType(otype) ||
		strings.Contains(progID, "-CAL") || strings.HasPrefix(label, "CAL") || strings.Contains(label, "-CAL"):
		return activities.Activity{}, SkipCalibration, nil
	case mapping.isAcqClass(class):
		return activities.Activity{}, SkipAcquisition, nil
	}
	key := label
	if key == "" {
		key = strings.TrimSuffix(name, ".fits")
	}
	if key == "" {
		return activities.Activity{}, SkipNoLabel, nil
	}
	if ut == "" {
		return activities.Activity{}, SkipNoTime, nil
	}
	start, err := time.Parse(utLayout, ut)
	if err != nil || start.Year() < 1 {
		return activities.Activity{}, SkipBadTime, nil
	}
	if telescope == "" {
		telescope = telescopeFromIDs(progID, label)
	}
	if telescope == "" {
		if inst, ok := mapping.Instruments[instrument]; ok {
			telescope = inst.Telescope
		}
	}
	site, ok := mapping.Telescopes[telescope]
	if !ok {
		if telescope != "" {
			res.Warn(fmt.Sprintf("unknown telescope %q", telescope))
		}
		return activities.Activity{}, SkipNoTelescope, nil
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, key),
		Source:      Name,
		Kind:        activities.KindArchived,
		Observatory: site.Observatory,
		Facility:    site.Facility,
		Instrument:  instrument,
		Mode:        mode,
		Filter:      joinFilter(filter, disperser),
		Programme:   activities.Programme{ID: progID, Type: programmeType(progID)},
		Target:      activities.Target{Name: object},
		Start:       start.UTC(),
		DatasetID:   key,
		Links: []activities.Link{
			{Title: "Gemini archive", URL: "https://archive.gemini.edu/searchform/" + pathEscape(key)},
		},
	}
	if progID != "" {
		a.Links = append(a.Links, activities.Link{Title: "Programme", URL: "https://archive.gemini.edu/programinfo/" + pathEscape(progID)})
	}
	_ = obsID
	if fov, ok := archive.CatalogFOV("Gemini", instrument); ok {
		a.Target.FOVRadius = fov
	} else if inst, ok := mapping.Instruments[instrument]; ok {
		a.Target.FOVRadius = inst.FOVRadius
	} else if instrument != "" {
		res.Warn(fmt.Sprintf("unknown instrument %q", instrument))
	}
	if hasRA && hasDec {
		if !archive.SetPosition(&a.Target, ra, dec) {
			res.Warn("ra/dec out of range")
		}
	} else if hasRA != hasDec {
		res.Warn("ra or dec missing alone")
	}
	if hasExp {
		if exp < 0 || exp > maxExposure {
			res.Warn("implausible exposure_time")
		} else {
			a.Exposure = activities.Float(exp)
			a.End = a.Start.Add(time.Duration(exp * float64(time.Second)))
		}
	}
	if lastmod != "" {
		if t, err := time.Parse(lastmodLayout, lastmod); err == nil {
			a.Updated = t.UTC()
		} else {
			res.Warn("bad lastmod format")
		}
	}
	a.Revision = activities.Revision(a.Kind, a.Updated)
	return a, "", nil
}

func telescopeFromIDs(ids ...string) string {
	for _, id := range ids {
		if len(id) >= 2 {
			if t, ok := mapping.PrefixTelescope[strings.ToUpper(id[:2])]; ok {
				return t
			}
		}
	}
	return ""
}

func joinFilter(filter, disperser string) string {
	switch {
	case disperser == "" || strings.EqualFold(disperser, "mirror") || strings.EqualFold(disperser, "open"):
		return filter
	case filter == "" || strings.EqualFold(filter, "open"):
		return disperser
	}
	return filter + "+" + disperser
}

// programmeType reads the type code of a Gemini programme ID
// ("GN-2019B-Q-123" is Queue).
func programmeType(id string) string {
	parts := strings.Split(id, "-")
	if len(parts) >= 3 {
		if t, ok := mapping.ProgrammeTypes[parts[2]]; ok {
			return t
		}
	}
	if strings.Contains(id, "CAL") {
		return mapping.ProgrammeTypes["CAL"]
	}
	return ""
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
