package gcn

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
)

// family is what this package knows of a JSON notice schema of
// nasa-gcn/gcn-schema (gcn/notices/<path>.schema.json).
type family struct {
	mission    string // when the notice has no "mission" field
	instrument string // when the notice has no "instrument" field
	eventType  string // alerts.Alert.EventType
}

// families maps schema paths (without ".schema.json", or topic suffixes
// such as "chime.frb") to missions and event types. The paths are those of
// nasa-gcn/gcn-schema@2ca8bdf5 gcn/notices/; the event types are this
// package's normalization.
var families = map[string]family{
	"boom/alert":                     {"Boom", "", "optical transient"},
	"burstcube/alert":                {"BurstCube", "", "grb"},
	"burstcube/test":                 {"BurstCube", "", "grb"},
	"chime/frb":                      {"CHIME", "FRB", "frb"},
	"dsa110/frb":                     {"DSA-110", "", "frb"},
	"einstein_probe/wxt/alert":       {"Einstein Probe", "WXT", "x-ray transient"},
	"fermi/gbm/trigger":              {"Fermi", "GBM", "grb"},
	"fermi/lat/flare":                {"Fermi", "LAT", "gamma-ray flare"},
	"glowbug/Alert":                  {"GLOWBUG", "", "grb"},
	"icecube/lvk_nu_track_search":    {"IceCube", "", "neutrino"},
	"icecube/single_neutrino_alerts": {"IceCube", "", "neutrino"},
	"km3net/alert":                   {"KM3NeT", "", "neutrino"},
	"maxi/gsc.known":                 {"MAXI", "GSC", "x-ray transient"},
	"maxi/gsc.unknown":               {"MAXI", "GSC", "x-ray transient"},
	"superk/sn_alert":                {"Super-Kamiokande", "", "supernova neutrinos"},
	"svom/trigger":                   {"SVOM", "", "grb"},
	"swift/bat/Guano":                {"Swift", "BAT-GUANO", "grb"},
	"heasarc/archive_alert":          {"HEASARC", "", ""},
}

// schemaPrefix is where the notice schemas live on gcn.nasa.gov.
const schemaMarker = "/gcn/notices/"

// noticeType names a JSON notice's type from its $schema URL (the path after
// /gcn/notices/, without .schema.json) or else its Kafka topic
// ("gcn.notices.chime.frb" → "chime/frb").
func noticeType(schema, topic string) string {
	if i := strings.Index(schema, schemaMarker); i >= 0 {
		return strings.TrimSuffix(schema[i+len(schemaMarker):], ".schema.json")
	}
	if rest, ok := strings.CutPrefix(topic, "gcn.notices."); ok {
		return strings.ReplaceAll(rest, ".", "/")
	}
	return ""
}

func lookupFamily(typ string) (family, string, bool) {
	if f, ok := families[typ]; ok {
		return f, typ, true
	}
	// A topic-derived type has dots turned into slashes ("maxi/gsc/known"):
	// match the schema path with its dots turned likewise.
	for k, f := range families {
		if strings.ReplaceAll(k, ".", "/") == typ {
			return f, k, true
		}
	}
	return family{}, typ, false
}

// jsonNotice holds the fields of the unified schema's core objects that
// this package reads (gcn/notices/core: Alert, DateTime, Event, Reporter,
// Localization, Statistics; see testdata/PROVENANCE.md).
type jsonNotice struct {
	Schema        string                      `json:"$schema"`
	AlertDatetime string                      `json:"alert_datetime"`
	AlertTense    string                      `json:"alert_tense"`
	AlertType     string                      `json:"alert_type"`
	TriggerTime   string                      `json:"trigger_time"`
	ObsStart      string                      `json:"observation_start"`
	ObsStop       string                      `json:"observation_stop"`
	EventName     json.RawMessage             `json:"event_name"`
	ID            json.RawMessage             `json:"id"`
	DataArchive   string                      `json:"data_archive_page"`
	Mission       string                      `json:"mission"`
	Instrument    string                      `json:"instrument"`
	RecordNumber  *float64                    `json:"record_number"`
	RA            *float64                    `json:"ra"`
	Dec           *float64                    `json:"dec"`
	RADecError    json.RawMessage             `json:"ra_dec_error"`
	Containment   *float64                    `json:"containment_probability"`
	HealpixURL    string                      `json:"healpix_url"`
	HealpixFile   string                      `json:"healpix_file"`
	FAR           *float64                    `json:"far"`
	RateSNR       *float64                    `json:"rate_snr"`
	ImageSNR      *float64                    `json:"image_snr"`
	SNR           *float64                    `json:"snr"`
	PAstro        *float64                    `json:"p_astro"`
	UpdateMessage string                      `json:"update_message"`
	LightCurveURL string                      `json:"light_curve_url"`
	Corners       [][]float64                 `json:"rectangular_error_corners"`
	RefID         string                      `json:"ref_ID"`
	MostProbable  *struct{ RA, Dec *float64 } `json:"most_probable_direction"`
	Coincident    []struct {
		Localization struct {
			RA, Dec    *float64
			RADecError json.RawMessage `json:"ra_dec_error"`
		} `json:"localization"`
	} `json:"coincident_events"`
	// heasarc/archive_alert
	ObsID        string `json:"obs_id"`
	TargetName   string `json:"target_name"`
	MissionPage  string `json:"mission_page"`
	FacilityName string `json:"facility_name"`
	// boom/alert
	Data *struct {
		Targets []struct {
			EventName string   `json:"event_name"`
			RA        *float64 `json:"ra"`
			Dec       *float64 `json:"dec"`
		} `json:"targets"`
		Photometry []struct {
			EventName string `json:"event_name"`
			Start     string `json:"observation_start"`
		} `json:"photometry"`
	} `json:"data"`
}

// DecodeJSON decodes a JSON notice of GCN's unified schema. topic names the
// notice type when the notice has no $schema.
func DecodeJSON(topic string, b []byte) (*Notice, error) {
	var j jsonNotice
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, &DecodeError{Format: "json", Reason: "not a JSON notice: " + err.Error()}
	}
	typ := noticeType(j.Schema, topic)
	if typ == "" {
		return nil, &DecodeError{Format: "json", Field: "$schema", Reason: "no $schema naming a gcn/notices schema, and no gcn.notices.* topic"}
	}
	if strings.HasPrefix(typ, "core/") {
		return nil, &DecodeError{Format: "json", Type: typ, Reason: "a core schema is a building block of notices, not a notice", Err: ErrUnsupported}
	}
	fam, typ, ok := lookupFamily(typ)
	if !ok {
		return nil, &DecodeError{Format: "json", Type: typ, Field: "$schema", Reason: "unknown notice schema", Err: ErrUnsupported}
	}
	d := &jsonDecoder{j: &j, typ: typ, fam: fam, n: &Notice{Format: "json", Type: typ}}
	var err error
	switch typ {
	case "heasarc/archive_alert":
		err = d.archive()
	case "boom/alert":
		err = d.boom()
	default:
		err = d.alert()
	}
	if err != nil {
		return nil, err
	}
	if err := d.n.check(); err != nil {
		return nil, err
	}
	return d.n, nil
}

type jsonDecoder struct {
	j   *jsonNotice
	typ string
	fam family
	n   *Notice
}

func (d *jsonDecoder) fail(field, format string, args ...any) error {
	return &DecodeError{Format: "json", Type: d.typ, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// times are ISO 8601 as the examples write them: with or without a zone
// (UTC then), with a T or a space.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

func (d *jsonDecoder) time(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if y := t.Year(); y < 1900 || y > 9999 {
				return time.Time{}, d.fail(field, "year %d is not plausible", y)
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, d.fail(field, "%q is not an ISO 8601 time", s)
}

// strings reads a field that is a string or an array of strings (Event's
// id and event_name).
func (d *jsonDecoder) strings(field string, raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one = strings.TrimSpace(one); one == "" {
			return nil, nil
		}
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, d.fail(field, "neither a string nor an array of strings")
	}
	var out []string
	for _, s := range many {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

func (d *jsonDecoder) mission() string {
	if m := strings.TrimSpace(d.j.Mission); m != "" {
		return m
	}
	return d.fam.mission
}

func (d *jsonDecoder) instrument() string {
	if m := strings.TrimSpace(d.j.Instrument); m != "" {
		return m
	}
	return d.fam.instrument
}

// link adds a link when s is an absolute URL, else a warning.
func (d *jsonDecoder) link(links *[]alerts.Link, title, field, s string) {
	if s == "" {
		return
	}
	if u, err := url.Parse(s); err != nil || !u.IsAbs() || u.Host == "" {
		d.n.Warnings = append(d.n.Warnings, fmt.Sprintf("%s %q is not an absolute URL: skipped", field, s))
		return
	}
	*links = append(*links, alerts.Link{Title: title, URL: s})
}

func seqOf(alertType string) (int, error) {
	switch alertType {
	case "", "initial":
		return alerts.SeqInitial, nil
	case "subsequent", "update":
		return alerts.SeqUpdate, nil
	case "retraction":
		return alerts.SeqRetraction, nil
	}
	return 0, fmt.Errorf("%q is not one of initial, subsequent, update, retraction", alertType)
}

// alert decodes the notices that describe one transient event.
func (d *jsonDecoder) alert() error {
	j := d.j
	ids, err := d.strings("id", j.ID)
	if err != nil {
		return err
	}
	names, err := d.strings("event_name", j.EventName)
	if err != nil {
		return err
	}
	issued, err := d.time("alert_datetime", j.AlertDatetime)
	if err != nil {
		return err
	}
	trig, err := d.time("trigger_time", j.TriggerTime)
	if err != nil {
		return err
	}
	if trig.IsZero() {
		// A flare notice gives its observation window, not a trigger.
		if trig, err = d.time("observation_start", j.ObsStart); err != nil {
			return err
		}
	}
	if trig.IsZero() {
		return d.fail("trigger_time", "missing (and no observation_start)")
	}
	seq, err := seqOf(j.AlertType)
	if err != nil {
		return d.fail("alert_type", "%v", err)
	}
	record := 0
	if r := j.RecordNumber; r != nil {
		if *r < 0 || *r > 65535 || *r != math.Trunc(*r) {
			return d.fail("record_number", "%v is not a record number", *r)
		}
		record = int(*r)
	}
	mission := d.mission()
	if mission == "" {
		return d.fail("mission", "missing")
	}
	// The event's key: its first ID, else its reference or name, else its
	// trigger time.
	key := ""
	switch {
	case len(ids) > 0:
		key = ids[0]
	case j.RefID != "":
		key = j.RefID
	case len(names) > 0:
		key = names[0]
	default:
		key = trig.Format("2006-01-02T15:04:05.999999Z")
	}
	if j.RefID != "" {
		names = append(names, j.RefID)
	}
	if len(ids) > 1 {
		// Further IDs of the same event ("bn240812094" beside Fermi's
		// trigger number) are names too.
		names = append(names, ids[1:]...)
	}
	a := alerts.Alert{
		ID:          alerts.NewID(Name, strings.ToLower(strings.ReplaceAll(d.typ, "/", "."))+":"+key),
		Revision:    alerts.Revision(seq, record, issued),
		Source:      Name,
		Status:      alerts.StatusActive,
		Test:        j.AlertTense == "test" || j.AlertTense == "injection" || d.typ == "burstcube/test",
		Mission:     mission,
		Instrument:  d.instrument(),
		EventType:   d.fam.eventType,
		Names:       names,
		Notice:      d.typ,
		TriggerTime: trig,
		Issued:      issued,
		Message:     j.UpdateMessage,
		Significance: alerts.Significance{
			FAR: nonNeg(j.FAR), PAstro: j.PAstro, SNR: maxOf(j.SNR, j.RateSNR, j.ImageSNR),
		},
	}
	if seq == alerts.SeqRetraction {
		a.Status = alerts.StatusRetracted
	}
	if p := a.Significance.PAstro; p != nil && (*p < 0 || *p > 1) {
		return d.fail("p_astro", "%v is outside [0, 1]", *p)
	}
	if a.Localization, err = d.localization(); err != nil {
		return err
	}
	switch {
	case j.HealpixURL != "":
		if u, err := url.Parse(j.HealpixURL); err == nil && u.IsAbs() && u.Host != "" {
			a.SkyMap = &alerts.SkyMap{Format: "healpix", URL: j.HealpixURL, Embedded: j.HealpixFile != ""}
		} else {
			d.n.Warnings = append(d.n.Warnings, fmt.Sprintf("healpix_url %q is not an absolute URL: skipped", j.HealpixURL))
		}
	case j.HealpixFile != "":
		a.SkyMap = &alerts.SkyMap{Format: "healpix", Embedded: true}
	}
	var links []alerts.Link
	d.link(&links, "data archive", "data_archive_page", j.DataArchive)
	d.link(&links, "light curve", "light_curve_url", j.LightCurveURL)
	a.Links = links
	d.n.Test = a.Test
	d.n.Alerts = []alerts.Alert{a}
	return nil
}

func nonNeg(v *float64) *float64 {
	if v == nil || *v < 0 || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	return v
}

func maxOf(vs ...*float64) *float64 {
	var m *float64
	for _, v := range vs {
		if v = nonNeg(v); v != nil && (m == nil || *v > *m) {
			m = v
		}
	}
	return m
}

// localization reads Localization's ra, dec and ra_dec_error (a radius, or
// [semi-major, semi-minor, position angle]), MAXI's rectangular error
// corners, or IceCube's most probable direction of a coincidence search.
func (d *jsonDecoder) localization() (*alerts.Localization, error) {
	j := d.j
	ra, dec, errRaw := j.RA, j.Dec, j.RADecError
	if ra == nil && dec == nil && j.MostProbable != nil {
		ra, dec = j.MostProbable.RA, j.MostProbable.Dec
		if len(j.Coincident) > 0 {
			errRaw = j.Coincident[0].Localization.RADecError
		}
	}
	if (ra == nil) != (dec == nil) {
		return nil, d.fail("ra/dec", "given by halves")
	}
	if len(j.Corners) > 0 {
		l := &alerts.Localization{Shape: alerts.Polygon}
		for i, c := range j.Corners {
			if len(c) != 2 || !(c[1] >= -90 && c[1] <= 90) || math.IsNaN(c[0]) || math.IsInf(c[0], 0) {
				return nil, d.fail(fmt.Sprintf("rectangular_error_corners[%d]", i), "not an (RA, Dec) pair")
			}
			l.Vertices = append(l.Vertices, [2]float64{alerts.NormalizeRA(c[0]), c[1]})
		}
		if ra != nil {
			l.RA, l.Dec = alerts.NormalizeRA(*ra), *dec
		} else {
			l.RA, l.Dec = l.Vertices[0][0], l.Vertices[0][1]
		}
		if err := d.containment(l); err != nil {
			return nil, err
		}
		if err := l.Validate(); err != nil {
			return nil, d.fail("rectangular_error_corners", "%v", err)
		}
		return l, nil
	}
	if ra == nil {
		return nil, nil
	}
	if math.IsNaN(*ra) || math.IsInf(*ra, 0) || !(*dec >= -90 && *dec <= 90) {
		return nil, d.fail("ra/dec", "(%v, %v) is not an ICRS position", *ra, *dec)
	}
	l := alerts.CircleAt(*ra, *dec, 0)
	if len(errRaw) > 0 && string(errRaw) != "null" {
		var r float64
		var e []float64
		switch {
		case json.Unmarshal(errRaw, &r) == nil:
			if !(r >= 0 && r <= 180) {
				return nil, d.fail("ra_dec_error", "radius %v is outside [0, 180]", r)
			}
			l.Radius = r
		case json.Unmarshal(errRaw, &e) == nil && len(e) >= 1 && len(e) <= 3:
			major, minor, pa := e[0], e[0], 0.0
			if len(e) >= 2 {
				minor = e[1]
			}
			if len(e) == 3 {
				pa = e[2]
			}
			if !(major > 0 && major <= 90 && minor > 0 && minor <= 90) || math.IsNaN(pa) || math.IsInf(pa, 0) {
				return nil, d.fail("ra_dec_error", "%v is not an error ellipse", e)
			}
			if minor > major {
				// Some notices list the smaller axis first: keep the
				// ellipse, turned so that its major axis is first.
				major, minor, pa = minor, major, pa+90
				d.n.Warnings = append(d.n.Warnings, "ra_dec_error lists the semi-minor axis first: swapped")
			}
			if major == minor {
				l.Radius = major
			} else {
				l.Shape, l.SemiMajor, l.SemiMinor, l.PA = alerts.Ellipse, major, minor, math.Mod(pa, 360)
			}
		default:
			return nil, d.fail("ra_dec_error", "neither a radius nor an array of 1 to 3 numbers")
		}
		if err := d.containment(l); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// containment sets the containment probability of a region: the notice's,
// else the schema's default of 0.9.
func (d *jsonDecoder) containment(l *alerts.Localization) error {
	l.Containment = 0.9
	if c := d.j.Containment; c != nil {
		if !(*c >= 0 && *c <= 1) {
			return d.fail("containment_probability", "%v is outside [0, 1]", *c)
		}
		l.Containment = *c
	}
	return nil
}

// archive decodes heasarc/archive_alert: data of an observation reached
// HEASARC's archive. It becomes an archived activity.
func (d *jsonDecoder) archive() error {
	j := d.j
	facility := strings.TrimSpace(j.FacilityName)
	obsid := strings.TrimSpace(j.ObsID)
	if facility == "" {
		return d.fail("facility_name", "missing")
	}
	if obsid == "" {
		return d.fail("obs_id", "missing")
	}
	start, err := d.time("observation_start", j.ObsStart)
	if err != nil {
		return err
	}
	end, err := d.time("observation_stop", j.ObsStop)
	if err != nil {
		return err
	}
	issued, err := d.time("alert_datetime", j.AlertDatetime)
	if err != nil {
		return err
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, "heasarc:"+strings.ToLower(facility)+":"+obsid),
		Source:      Name,
		Kind:        activities.KindArchived,
		Observatory: "HEASARC",
		Facility:    facility,
		Instrument:  strings.TrimSpace(j.Instrument),
		Target:      activities.Target{Name: strings.TrimSpace(j.TargetName)},
		Start:       start,
		End:         end,
		DatasetID:   obsid,
		Updated:     issued,
		Revision:    activities.Revision(activities.KindArchived, issued),
	}
	if j.RA != nil && j.Dec != nil && *j.Dec >= -90 && *j.Dec <= 90 && !math.IsNaN(*j.RA) && !math.IsInf(*j.RA, 0) {
		a.Target.SetPosition(alerts.NormalizeRA(*j.RA), *j.Dec)
	}
	var links []alerts.Link
	d.link(&links, "data archive", "data_archive_page", j.DataArchive)
	d.link(&links, "mission page", "mission_page", j.MissionPage)
	for _, l := range links {
		a.Links = append(a.Links, activities.Link{Title: l.Title, URL: l.URL})
	}
	d.n.Test = j.AlertTense == "test"
	d.n.Activities = []activities.Activity{a}
	return nil
}

// boom decodes boom/alert: candidate optical counterparts, each a target
// with a position and photometry. Each target becomes an alert whose
// trigger time is its first photometry point (else the notice's time).
func (d *jsonDecoder) boom() error {
	j := d.j
	if j.Data == nil || len(j.Data.Targets) == 0 {
		return d.fail("data.targets", "missing or empty")
	}
	issued, err := d.time("alert_datetime", j.AlertDatetime)
	if err != nil {
		return err
	}
	for i, t := range j.Data.Targets {
		name := strings.TrimSpace(t.EventName)
		if name == "" {
			return d.fail(fmt.Sprintf("data.targets[%d].event_name", i), "missing")
		}
		first := time.Time{}
		for k, p := range j.Data.Photometry {
			if p.EventName != t.EventName {
				continue
			}
			pt, err := d.time(fmt.Sprintf("data.photometry[%d].observation_start", k), p.Start)
			if err != nil {
				return err
			}
			if !pt.IsZero() && (first.IsZero() || pt.Before(first)) {
				first = pt
			}
		}
		if first.IsZero() {
			first = issued
		}
		if first.IsZero() {
			return d.fail(fmt.Sprintf("data.targets[%d]", i), "no photometry time and no alert_datetime")
		}
		a := alerts.Alert{
			ID: alerts.NewID(Name, "boom.alert:"+name), Revision: alerts.Revision(alerts.SeqInitial, 0, issued),
			Source: Name, Status: alerts.StatusActive, Mission: d.mission(), EventType: d.fam.eventType,
			Names: []string{name}, Notice: d.typ, TriggerTime: first, Issued: issued,
		}
		if t.RA != nil && t.Dec != nil {
			if !(*t.Dec >= -90 && *t.Dec <= 90) || math.IsNaN(*t.RA) || math.IsInf(*t.RA, 0) {
				return d.fail(fmt.Sprintf("data.targets[%d].ra/dec", i), "(%v, %v) is not an ICRS position", *t.RA, *t.Dec)
			}
			a.Localization = alerts.CircleAt(*t.RA, *t.Dec, 0)
		}
		d.n.Alerts = append(d.n.Alerts, a)
	}
	return nil
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
