package obscore

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// Reasons for skipping a record (keys of Result.Skipped).
const (
	SkipNoID       = "no obs_publisher_did or obs_id"
	SkipNoStart    = "no t_min"
	SkipNoFacility = "no facility_name"
	SkipBadRecord  = "invalid record"
)

var (
	requiredColumns = [...]string{"obs_id", "t_min", "s_ra", "s_dec"}
	optionalColumns = [...]string{"obs_publisher_did", "facility_name", "instrument_name", "target_name",
		"s_region", "s_fov", "t_max", "t_exptime", "proposal_id", "obs_creator_name", "access_url",
		"dataproduct_type", "calib_level", "obs_collection", "obs_title"}
	knownProductTypes = [...]string{"image", "cube", "spectrum", "sed", "timeseries", "visibility",
		"event", "measurements"}
)

// RequiredColumns returns the ObsCore columns a reply must have: without
// them no activity can be built, so their absence is a *SchemaError.
func RequiredColumns() []string { return append([]string(nil), requiredColumns[:]...) }

// OptionalColumns returns the ObsCore columns read when present; each one
// absent from a reply is counted once as a warning "column absent: NAME".
func OptionalColumns() []string { return append([]string(nil), optionalColumns[:]...) }

// KnownProductTypes returns the dataproduct_type values of ObsCore 1.1;
// any other value is counted as a warning naming it.
func KnownProductTypes() []string { return append([]string(nil), knownProductTypes[:]...) }

// Mapper turns a service's facility and instrument names into the
// observatory and facility of an activity, and gives the instrument's
// field-of-view radius in degrees (0 when unknown). A connector for one
// archive (ESO) plugs its mapping table in here.
type Mapper func(facility, instrument string) (observatory, facilityName string, fovRadius float64)

// Converter turns ObsCore records into activities.
type Converter struct {
	// Source is the source name, the prefix of activity IDs.
	Source string
	// Observatory is used when Map gives none (the service's operator).
	Observatory string
	// Facility is used for records with an empty facility_name; when it
	// is empty too such records are skipped ([SkipNoFacility]).
	Facility string
	// Map, optional, maps facility and instrument names.
	Map Mapper
	// LinkBase, optional, resolves relative access_url values.
	LinkBase string
	// Profile says how the service fills obs_creator_name and its own
	// columns; the zero value is GenericProfile.
	Profile Profile
}

// Binding is a Converter bound to the columns of one reply.
type Binding struct {
	c                                                            *Converter
	obsID, pubDID, fac, inst, target, sra, sdec, region, fov     int
	tmin, tmax, texp, prop, creator, access, ptype, calib, title int
	coll, authors, band                                          int
}

// Bind checks the columns of a reply: a missing required column is a
// *connectors.SchemaError naming it, and each missing optional column is
// counted in res.Warnings.
func (c *Converter) Bind(cols Columns, res *connectors.Reply) (*Binding, error) {
	for _, n := range requiredColumns {
		if cols.Index(n) < 0 {
			return nil, &connectors.SchemaError{Source: c.Source, Column: n,
				Reason: "required ObsCore column missing from the reply (renamed or dropped?)"}
		}
	}
	for _, n := range optionalColumns {
		if cols.Index(n) < 0 {
			res.Warn("column absent: " + n)
		}
	}
	ix := cols.Index
	b := &Binding{c: c, obsID: ix("obs_id"), pubDID: ix("obs_publisher_did"), fac: ix("facility_name"),
		inst: ix("instrument_name"), target: ix("target_name"), sra: ix("s_ra"), sdec: ix("s_dec"),
		region: ix("s_region"), fov: ix("s_fov"), tmin: ix("t_min"), tmax: ix("t_max"), texp: ix("t_exptime"),
		prop: ix("proposal_id"), creator: ix("obs_creator_name"), access: ix("access_url"),
		ptype: ix("dataproduct_type"), calib: ix("calib_level"), title: ix("obs_title"),
		coll: ix("obs_collection"), authors: -1, band: -1}
	if n := c.Profile.AuthorsColumn; n != "" {
		b.authors = ix(n)
	}
	if n := c.Profile.BandColumn; n != "" {
		b.band = ix(n)
	}
	return b, nil
}

func (b *Binding) schema(col string, err error) error {
	return &connectors.SchemaError{Source: b.c.Source, Column: col, Reason: err.Error()}
}

func (b *Binding) number(r Record, i int, col string) (float64, bool, error) {
	v, ok, err := r.Number(i)
	if err != nil {
		return 0, false, b.schema(col, err)
	}
	return v, ok, nil
}

// Convert turns one record into an activity. skip is a non-empty reason
// when the record gives no activity; err is a *connectors.SchemaError when a
// cell has the wrong type (a number column holding text), which means the
// service changed its schema.
func (b *Binding) Convert(r Record, res *connectors.Reply) (a activities.Activity, skip string, err error) {
	key := r.Text(b.pubDID)
	if key == "" {
		key = r.Text(b.obsID)
	}
	if key == "" {
		return a, SkipNoID, nil
	}
	tmin, ok, err := b.number(r, b.tmin, "t_min")
	if err != nil {
		return a, "", err
	}
	if !ok {
		return a, SkipNoStart, nil
	}
	start, ok := mjdTime(tmin)
	if !ok {
		return a, "", b.schema("t_min", fmt.Errorf("%v is not an MJD of years 1800-2300 (unit changed?)", tmin))
	}
	a.Start = start
	if tmax, ok, err := b.number(r, b.tmax, "t_max"); err != nil {
		return a, "", err
	} else if ok {
		if end, ok := mjdTime(tmax); ok && !end.Before(start) {
			a.End = end
		} else {
			res.Warn("t_max before t_min or out of range")
		}
	}
	if e, ok, err := b.number(r, b.texp, "t_exptime"); err != nil {
		return a, "", err
	} else if ok {
		if e >= 0 {
			a.Exposure = activities.Float(e)
		} else {
			res.Warn("negative t_exptime")
		}
	}
	fac, inst := r.Text(b.fac), r.Text(b.inst)
	obsv, facility, fov := b.c.Observatory, fac, 0.0
	if b.c.Map != nil {
		o, f, v := b.c.Map(fac, inst)
		if o != "" {
			obsv = o
		}
		if f != "" {
			facility = f
		}
		fov = v
	}
	if facility == "" {
		facility = b.c.Facility
	}
	if facility == "" {
		return a, SkipNoFacility, nil
	}
	a.ID = activities.NewID(b.c.Source, key)
	a.Source = b.c.Source
	a.Kind = activities.KindArchived
	a.Observatory, a.Facility, a.Instrument = obsv, facility, inst
	a.DatasetID = r.Text(b.obsID)
	if pt := r.Text(b.ptype); pt != "" && !knownType(pt) {
		res.Warn("unknown dataproduct_type: " + clip(pt))
	}
	a.Mode = r.Text(b.ptype)
	a.Programme.ID = r.Text(b.prop)
	creator := r.Text(b.creator)
	if b.c.Profile.CreatorIsPI {
		a.Programme.PI = creator
	} else if creator != "" {
		a.Programme.Investigators = []string{creator}
	}
	if b.authors >= 0 {
		for _, n := range splitAuthors(r.Text(b.authors)) {
			if n != a.Programme.PI && !slices.Contains(a.Programme.Investigators, n) {
				a.Programme.Investigators = append(a.Programme.Investigators, n)
			}
		}
	}
	if b.band >= 0 {
		if band := strings.TrimSpace(r.Text(b.band)); band != "" {
			a.Filter = "Band " + band
		}
	}
	a.Programme.Title = r.Text(b.title)
	a.Target.Name = r.Text(b.target)
	ra, rok, err := b.number(r, b.sra, "s_ra")
	if err != nil {
		return a, "", err
	}
	dec, dok, err := b.number(r, b.sdec, "s_dec")
	if err != nil {
		return a, "", err
	}
	if rok && dok {
		if !archive.SetPosition(&a.Target, ra, dec) {
			res.Warn("s_ra/s_dec out of range")
		}
	}
	if poly := regionOf(r, b.region); len(poly) >= 3 {
		a.Target.Region = poly
	}
	a.Target.FOVRadius = fovRadius(a.Target, r, b, fov)
	if u := r.Text(b.access); u != "" {
		if abs, ok := absURL(b.c.LinkBase, u); ok {
			a.Links = append(a.Links, activities.Link{Title: "data", URL: abs})
		} else {
			res.Warn("access_url not a URL")
		}
	}
	a.Revision = activities.Revision(a.Kind, a.Updated)
	if err := a.Validate(); err != nil {
		res.Warn("invalid record: " + clip(err.Error()))
		return activities.Activity{}, SkipBadRecord, nil
	}
	return a, "", nil
}

func knownType(t string) bool {
	for _, k := range knownProductTypes {
		if strings.EqualFold(k, t) {
			return true
		}
	}
	return false
}

func absURL(base, u string) (string, bool) {
	p, err := url.Parse(u)
	if err != nil {
		return "", false
	}
	if p.IsAbs() && p.Host != "" {
		return u, true
	}
	if base == "" {
		return "", false
	}
	bp, err := url.Parse(base)
	if err != nil {
		return "", false
	}
	r := bp.ResolveReference(p)
	return r.String(), r.IsAbs() && r.Host != ""
}

// fovRadius is the radius of the circle, centred on the target, holding
// the region's vertices; else half of s_fov (ObsCore's s_fov is a
// diameter); else the mapper's instrument radius.
func fovRadius(t activities.Target, r Record, b *Binding, fallback float64) float64 {
	ra, dec, ok := t.Position()
	if ok && len(t.Region) >= 3 {
		m := 0.0
		for _, v := range t.Region {
			m = math.Max(m, astro.Separation(astro.Deg(ra), astro.Deg(dec), astro.Deg(v[0]), astro.Deg(v[1])).Deg())
		}
		if m > 0 && m <= 180 {
			return m
		}
	}
	if v, ok, _ := r.Number(b.fov); ok && v > 0 && v <= 360 {
		return v / 2
	}
	if fallback > 0 && fallback <= 180 {
		return fallback
	}
	return 0
}

// regionOf reads s_region: an STC-S "POLYGON [frame] ra dec ..." string or
// a DALI polygon (an array of doubles). Other shapes give nil.
func regionOf(r Record, i int) [][2]float64 {
	if i < 0 {
		return nil
	}
	if r.vot && i < r.row.Len() && !r.row.IsNull(i) {
		if fs, ok := r.row.Floats(i); ok {
			return pairs(fs)
		}
	}
	return ParseSTCSPolygon(r.Text(i))
}

// ParseSTCSPolygon reads the vertices of an STC-S polygon ("Polygon ICRS
// 10 20 11 20 11 21", "POLYGON J2000 ...", the frame optional). It returns
// nil for other shapes or for text it cannot read.
func ParseSTCSPolygon(s string) [][2]float64 {
	f := strings.Fields(s)
	if len(f) < 7 || !strings.EqualFold(f[0], "polygon") {
		return nil
	}
	f = f[1:]
	if _, err := strconv.ParseFloat(f[0], 64); err != nil {
		f = f[1:] // frame
	}
	if len(f) > 0 {
		if _, err := strconv.ParseFloat(f[0], 64); err != nil {
			f = f[1:] // reference position (e.g. TOPOCENTER)
		}
	}
	nums := make([]float64, 0, len(f))
	for _, w := range f {
		v, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return nil
		}
		nums = append(nums, v)
	}
	return pairs(nums)
}

func pairs(nums []float64) [][2]float64 {
	if len(nums) < 6 || len(nums)%2 != 0 {
		return nil
	}
	out := make([][2]float64, 0, len(nums)/2)
	for k := 0; k < len(nums); k += 2 {
		ra, dec := nums[k], nums[k+1]
		if math.IsNaN(ra) || math.IsInf(ra, 0) || math.IsNaN(dec) || dec < -90 || dec > 90 {
			return nil
		}
		ra = math.Mod(ra, 360)
		if ra < 0 {
			ra += 360
		}
		out = append(out, [2]float64{ra, dec})
	}
	return out
}

// ParseReply converts a recorded reply of an ObsCore query, VOTable or
// CSV, into activities with c. A VOTable's QUERY_STATUS OVERFLOW sets
// Truncated; an ERROR status is returned as an error carrying the
// service's message. A CSV reply holds no truncation marker: callers that
// know the MAXREC they asked compare it with Records.
func ParseReply(b []byte, c *Converter) (*connectors.Reply, error) {
	res := &connectors.Reply{}
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: c.Source, What: "a TAP reply (VOTable or CSV)", Title: title}
	}
	if IsVOTable(b) {
		vr := votable.NewReader(bytes.NewReader(b), votable.Options{})
		defer vr.Close()
		t, err := vr.NextTable()
		if err != nil {
			if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
				return nil, fmt.Errorf("service error: %s", strings.TrimSpace(st.Content))
			}
			return nil, fmt.Errorf("VOTable reply: %w", err)
		}
		bind, err := c.Bind(VOTableColumns(t), res)
		if err != nil {
			return nil, err
		}
		for row, err := range vr.Rows() {
			if err != nil {
				return nil, fmt.Errorf("VOTable reply, row %d: %w", res.Records+1, err)
			}
			if err := add(bind, VOTableRecord(row), res); err != nil {
				return nil, err
			}
		}
		vr.Close() // reads the INFOs written after the rows
		if st, ok := vr.QueryStatus(); ok && strings.EqualFold(st.Value, "ERROR") {
			return res, fmt.Errorf("service error after %d rows: %s", res.Records, strings.TrimSpace(st.Content))
		}
		if vr.Overflow() {
			res.Truncated, res.Limit = true, res.Records
		}
		return res, nil
	}
	cols, rows, err := ReadCSV(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	bind, err := c.Bind(cols, res)
	if err != nil {
		return nil, err
	}
	for rec, err := range rows {
		if err != nil {
			return nil, err
		}
		if err := add(bind, rec, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func add(b *Binding, rec Record, res *connectors.Reply) error {
	res.Records++
	a, skip, err := b.Convert(rec, res)
	if err != nil {
		return fmt.Errorf("record %d: %w", res.Records, err)
	}
	if skip != "" {
		res.Skip(skip)
		return nil
	}
	res.Activities = append(res.Activities, a)
	return nil
}
