package mast

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// Reasons for which a record does not become an activity (keys of
// connectors.Reply.Skipped). A row of another collection than the one
// asked for is skipped as SkipOtherCollection + the collection asked for
// ("not obs_collection HST").
const (
	SkipOtherCollection = "not obs_collection " // + the collection: HLA, GALEX, ... rows of a cone search
	SkipCalibration     = "calibration"         // calibration targets and exposures
	SkipNoTime          = "missing time"        // no t_min / begin time
	SkipNoID            = "missing obs_id"
	SkipNoCollection    = "missing obs_collection"
	SkipInvalid         = "invalid record"
)

// Status is the status field of a MAST invoke reply.
type Status string

// The statuses of a MAST invoke reply.
const (
	Complete  Status = "COMPLETE"
	Executing Status = "EXECUTING"
	Error     Status = "ERROR"
)

// Paging is the paging block of a MAST reply.
type Paging struct {
	Page          int `json:"page"`
	PageSize      int `json:"pageSize"`
	PagesFiltered int `json:"pagesFiltered"`
	Rows          int `json:"rows"`
	RowsFiltered  int `json:"rowsFiltered"`
	RowsTotal     int `json:"rowsTotal"`
}

// Reply is a decoded reply of POST /api/v0/invoke.
type Reply struct {
	Status Status
	Msg    string
	Paging Paging
	// Result holds the normalized rows; nil unless Status is COMPLETE.
	Result *connectors.Reply
}

// Columns are the CAOM columns the parser reads; a reply without one of
// them (in its "fields" list) is schema drift.
var Columns = []string{"obs_collection", "instrument_name", "filters", "target_name", "obs_id",
	"s_ra", "s_dec", "proposal_id", "proposal_pi", "t_min", "t_max", "t_exptime", "obs_title",
	"s_region", "dataproduct_type"}

// Parse decodes a reply of MAST's Mast.Caom.Filtered (or Mast.Caom.Cone)
// service and normalizes each row of collection (every row, each by its
// own obs_collection, when collection is "") into an archived activity of
// the source named source (the activities' Source and ID prefix).
//
// A reply still EXECUTING has a nil Result (ask again); an ERROR reply is an
// error carrying MAST's message. A column missing from "fields", or a value
// of the wrong type, is a *connectors.SchemaError naming the column.
func Parse(b []byte, source, collection string) (*Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: source, What: "MAST JSON", Title: title}
	}
	var env struct {
		Status *string           `json:"status"`
		Msg    string            `json:"msg"`
		Data   []json.RawMessage `json:"data"`
		Fields []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"fields"`
		Paging *Paging `json:"paging"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, &connectors.SchemaError{Source: source, Column: "(reply)", Reason: "not a MAST JSON reply: " + err.Error()}
	}
	if env.Status == nil {
		return nil, &connectors.SchemaError{Source: source, Column: "status", Reason: "missing from the reply"}
	}
	rep := &Reply{Status: Status(*env.Status), Msg: env.Msg}
	if env.Paging != nil {
		rep.Paging = *env.Paging
	}
	switch rep.Status {
	case Executing:
		return rep, nil
	case Error:
		return rep, fmt.Errorf("%s: MAST reports an error: %s", source, env.Msg)
	case Complete:
	default:
		return nil, &connectors.SchemaError{Source: source, Column: "status", Reason: fmt.Sprintf("unknown value %q", *env.Status)}
	}
	have := map[string]bool{}
	for _, f := range env.Fields {
		have[f.Name] = true
	}
	for _, c := range Columns {
		if !have[c] {
			return nil, &connectors.SchemaError{Source: source, Column: c, Reason: "missing from the reply's fields (renamed or dropped upstream?)"}
		}
	}
	res := &connectors.Reply{Records: len(env.Data), Activities: make([]activities.Activity, 0, len(env.Data))}
	for i, raw := range env.Data {
		var row Row
		if err := json.Unmarshal(raw, &row); err != nil {
			col := "(row)"
			if ute, ok := err.(*json.UnmarshalTypeError); ok {
				col = ute.Field
			}
			return nil, fmt.Errorf("%s: row %d: %w", source, i, &connectors.SchemaError{Source: source, Column: col, Reason: err.Error()})
		}
		a, skip := row.normalize(res, source, collection)
		if skip != "" {
			res.Skip(skip)
			continue
		}
		if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipInvalid)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	if env.Paging != nil && env.Paging.PagesFiltered > env.Paging.Page {
		res.Truncated = true // more pages: the caller fetches them
		res.Limit = env.Paging.Rows
	}
	return rep.with(res), nil
}

func (r *Reply) with(res *connectors.Reply) *Reply { r.Result = res; return r }

// flexString accepts a JSON string or number (MAST sends proposal_id and
// obsid as either, depending on the service).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// Row is one CAOM row, as the parser reads it.
type Row struct {
	Collection string     `json:"obs_collection"`
	Instrument string     `json:"instrument_name"`
	Filters    string     `json:"filters"`
	Target     string     `json:"target_name"`
	ObsID      flexString `json:"obs_id"`
	RA         *float64   `json:"s_ra"`
	Dec        *float64   `json:"s_dec"`
	Proposal   flexString `json:"proposal_id"`
	PI         string     `json:"proposal_pi"`
	TMin       *float64   `json:"t_min"`
	TMax       *float64   `json:"t_max"`
	Exptime    *float64   `json:"t_exptime"`
	Title      string     `json:"obs_title"`
	Region     string     `json:"s_region"`
	Product    string     `json:"dataproduct_type"`
	Intent     string     `json:"intentType"`
	JPEG       string     `json:"jpegURL"`
	DataURL    string     `json:"dataURL"`
}

// mjdTime converts a Modified Julian Date (UTC) that the caller has
// checked to be within years 1858-9999 (so that astro.MJDToGo cannot fail).
func mjdTime(mjd float64) time.Time {
	t, _ := astro.MJDToGo(mjd)
	return t
}

func (r Row) normalize(res *connectors.Reply, source, collection string) (activities.Activity, string) {
	if collection != "" && !strings.EqualFold(r.Collection, collection) {
		return activities.Activity{}, SkipOtherCollection + collection
	}
	if strings.TrimSpace(r.Collection) == "" {
		return activities.Activity{}, SkipNoCollection
	}
	c := Lookup(r.Collection)
	switch {
	case strings.EqualFold(r.Intent, "calibration") || c.IsCalibrationTarget(r.Target):
		return activities.Activity{}, SkipCalibration
	case r.ObsID == "":
		return activities.Activity{}, SkipNoID
	case r.TMin == nil || math.IsNaN(*r.TMin) || *r.TMin < 0 || *r.TMin > 2973483:
		return activities.Activity{}, SkipNoTime
	}
	id := strings.TrimSpace(string(r.ObsID))
	a := activities.Activity{
		ID:          activities.NewID(source, c.Key(id, r.Filters)),
		Source:      source,
		Kind:        activities.KindArchived,
		Observatory: c.Observatory,
		Facility:    c.Facility,
		Instrument:  r.Instrument,
		Mode:        r.Product,
		Filter:      r.Filters,
		Programme:   activities.Programme{ID: string(r.Proposal), PI: r.PI, Title: r.Title},
		Target:      activities.Target{Name: r.Target},
		Start:       mjdTime(*r.TMin),
		DatasetID:   id,
	}
	if c.Link != "" {
		a.Links = []activities.Link{{Title: "MAST", URL: c.Link + url.QueryEscape(id)}}
	}
	if a.Start.Year() < 1 || a.Start.Year() > 9999 {
		return activities.Activity{}, SkipNoTime
	}
	if r.TMax != nil && *r.TMax >= *r.TMin && *r.TMax-*r.TMin < 3660 {
		a.End = mjdTime(*r.TMax)
	}
	if r.Exptime != nil && *r.Exptime >= 0 && *r.Exptime < 1e7 {
		a.Exposure = activities.Float(*r.Exptime)
	}
	if r.RA != nil && r.Dec != nil && !archive.SetPosition(&a.Target, *r.RA, *r.Dec) {
		res.Warn("s_ra/s_dec out of range")
	}
	if fov, ok := c.FOVRadius(r.Instrument); ok {
		a.Target.FOVRadius = fov
	} else if r.Instrument != "" {
		res.Warn(fmt.Sprintf("unknown instrument_name %q", r.Instrument))
	}
	if r.Region != "" {
		polys, err := ParseSRegion(r.Region)
		switch {
		case err != nil:
			res.Warn("unparsable s_region")
		case len(polys) > 0:
			a.Target.Region = polys[0]
			if ra, dec, ok := a.Target.Position(); ok {
				if rad := enclosingRadius(ra, dec, polys); rad > a.Target.FOVRadius {
					a.Target.FOVRadius = rad
				}
			}
		}
	}
	if u, err := url.Parse(r.JPEG); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		a.Links = append(a.Links, activities.Link{Title: "Preview", URL: r.JPEG})
	}
	a.Revision = activities.Revision(a.Kind, time.Time{})
	return a, ""
}

// ParseSRegion reads the polygons of an STC-S s_region ("POLYGON [frame]
// ra dec ra dec ...", possibly several). A CIRCLE gives no polygon. The
// closing vertex, when it repeats the first, is dropped.
func ParseSRegion(s string) ([][][2]float64, error) {
	f := strings.Fields(s)
	var out [][][2]float64
	for i := 0; i < len(f); {
		switch strings.ToUpper(f[i]) {
		case "POLYGON":
			i++
			if i < len(f) {
				if _, err := strconv.ParseFloat(f[i], 64); err != nil {
					i++ // frame (ICRS, J2000, GSC1, ...)
				}
			}
			var poly [][2]float64
			for i+1 < len(f) {
				ra, err1 := strconv.ParseFloat(f[i], 64)
				dec, err2 := strconv.ParseFloat(f[i+1], 64)
				if err1 != nil || err2 != nil {
					break
				}
				if math.IsNaN(ra) || math.IsNaN(dec) || math.IsInf(ra, 0) || dec < -90 || dec > 90 {
					return nil, fmt.Errorf("s_region: vertex (%s, %s) out of range", f[i], f[i+1])
				}
				poly = append(poly, [2]float64{normRA(ra), dec})
				i += 2
			}
			if n := len(poly); n > 1 && poly[0] == poly[n-1] {
				poly = poly[:n-1]
			}
			if len(poly) < 3 {
				return nil, fmt.Errorf("s_region: polygon with %d vertices", len(poly))
			}
			out = append(out, poly)
		case "CIRCLE", "BOX", "POSITION", "UNION", "INTERSECTION":
			i++
			for i < len(f) {
				if _, err := strconv.ParseFloat(f[i], 64); err == nil || strings.EqualFold(f[i], "ICRS") || strings.EqualFold(f[i], "J2000") {
					i++
					continue
				}
				break
			}
		default:
			return nil, fmt.Errorf("s_region: unexpected %q", f[i])
		}
	}
	return out, nil
}

func normRA(ra float64) float64 {
	ra = math.Mod(ra, 360)
	if ra < 0 {
		ra += 360
	}
	return ra
}

// enclosingRadius is the largest angular distance in degrees from (ra, dec)
// to any vertex.
func enclosingRadius(ra, dec float64, polys [][][2]float64) float64 {
	d2r := math.Pi / 180
	max := 0.0
	for _, p := range polys {
		for _, v := range p {
			c := math.Sin(dec*d2r)*math.Sin(v[1]*d2r) + math.Cos(dec*d2r)*math.Cos(v[1]*d2r)*math.Cos((v[0]-ra)*d2r)
			d := math.Acos(math.Max(-1, math.Min(1, c))) / d2r
			if d > max {
				max = d
			}
		}
	}
	return max
}
