package activities

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/jsontime"
)

// Kind says where in its life an observing activity is.
type Kind string

// The kinds of activity, in the order an observation usually goes through
// them. The order is used to rank revisions: see [KindRank].
const (
	KindPlanned   Kind = "planned"   // scheduled, not yet begun
	KindStarted   Kind = "started"   // under way
	KindCompleted Kind = "completed" // done, data not yet public or archived
	KindArchived  Kind = "archived"  // done, data in an archive
	// Added in schema version 2: the two ends of a plan that did not run
	// its course. They rank above the four kinds of version 1 (whose ranks
	// are unchanged), so that they replace the planned or started record.
	KindAborted     Kind = "aborted"     // begun, then stopped before its end
	KindUnscheduled Kind = "unscheduled" // planned, then taken off the schedule
)

// kinds lists every valid kind, in life order (the version-1 kinds first).
var kinds = [...]Kind{KindPlanned, KindStarted, KindCompleted, KindArchived, KindAborted, KindUnscheduled}

// Kinds returns every valid kind, in life order (a new slice each call).
func Kinds() []Kind { return append([]Kind(nil), kinds[:]...) }

// Fidelity says how firm a plan is, as ACROSS grades schedules: a low
// fidelity plan (a long-term plan, a target list without times) may well
// change; a high fidelity one is the uploaded or short-term schedule.
type Fidelity string

// The fidelities of a plan. The zero value means the source does not say.
const (
	FidelityLow  Fidelity = "low"
	FidelityHigh Fidelity = "high"
)

// Valid reports whether f is empty, low or high.
func (f Fidelity) Valid() bool { return f == "" || f == FidelityLow || f == FidelityHigh }

// SchemaVersion is the version of the JSON encoding this package writes
// for activities that use fields added after version 1 (bandpass,
// pointing, footprints, fidelity, the kinds aborted and unscheduled).
// Activities that use none of them are written exactly as in version 1,
// without a schema_version member; a document without one is version 1.
const SchemaVersion = 2

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return KindRank(k) >= 0 }

// KindRank is the position of k in an observation's life (planned 0 …
// archived 3, aborted 4, unscheduled 5), or -1 for an unknown kind.
func KindRank(k Kind) int {
	for i, v := range kinds {
		if v == k {
			return i
		}
	}
	return -1
}

// Activity is the normalized record of one observation, planned, under way
// or done, as any connector reports it.
//
// Its JSON encoding is stable and documented by activity.schema.json (see
// [Schema]): field names never change, fields may be added. Times are encoded
// as RFC 3339 in UTC; unknown numbers and times as null.
//
// The zero value is not a valid activity: ID, Source, Kind and Facility are
// required (see [Activity.Validate]).
type Activity struct {
	// ID is stable across polls: the source's name and the record's key in
	// that source, as built by [NewID].
	ID string
	// Source is the name of the connector that produced the activity.
	Source string
	// Kind is planned, started, completed, archived, aborted or
	// unscheduled.
	Kind Kind
	// Fidelity of a plan (low or high), when the source grades it.
	Fidelity Fidelity
	// Observatory is the site or organisation operating the facility
	// ("Paranal", "Gemini North", "STScI").
	Observatory string
	// Facility is the telescope or spacecraft ("VLT UT4", "HST", "Swift").
	Facility string
	// Instrument as the source names it ("MUSE", "WFC3/UVIS", "XRT").
	Instrument string
	// Mode is the instrument mode ("WFM-NOAO-N", "PC", "imaging").
	Mode string
	// Filter, grating or spectral element.
	Filter string
	// Programme is the proposal or programme the activity belongs to.
	Programme Programme
	// Target is what is observed.
	Target Target
	// Pointing is where the telescope points, when the source says so
	// apart from the target; nil when unknown.
	Pointing *Pointing
	// Footprints are the sky polygons the activity covers (one per
	// detector or camera, or one for the whole field); nil when unknown.
	Footprints []Footprint
	// Bandpass is the wavelength range observed; nil when unknown.
	Bandpass *Bandpass
	// Start and End bound the activity; the zero time means unknown.
	Start, End time.Time
	// Exposure is the exposure (integration) time in seconds, nil when
	// unknown.
	Exposure *float64
	// DatasetID names the data set in the source's archive, when there is one.
	DatasetID string
	// Links point to pages or data about the activity.
	Links []Link
	// Revision orders versions of the same activity: a record with a higher
	// revision replaces a lower one (a planned activity becoming a completed
	// one keeps its ID and gets a higher revision). See [Revision].
	Revision int64
	// Updated is when the source last changed the record, when it says so.
	Updated time.Time
}

// Programme is an observing programme or proposal.
type Programme struct {
	ID            string   `json:"id"`
	Title         string   `json:"title,omitempty"`
	PI            string   `json:"pi,omitempty"`
	Investigators []string `json:"investigators,omitempty"`
	// Type is the programme's category as the source names it ("GO",
	// "Science", "Calibration", "ToO", "DDT", ...).
	Type string `json:"type,omitempty"`
}

// Target is what an activity observes.
type Target struct {
	Name string `json:"name"`
	// RA and Dec are ICRS coordinates in degrees (RA in [0, 360), Dec in
	// [-90, 90]); nil when unknown. Set both or neither.
	RA  *float64 `json:"ra"`
	Dec *float64 `json:"dec"`
	// FOVRadius is the radius in degrees of a circle that holds the field
	// of view, centred on RA/Dec; 0 when unknown (the activity is then a
	// point for sky matching).
	FOVRadius float64 `json:"fov_radius,omitempty"`
	// Region is the field of view as a polygon of ICRS (RA, Dec) vertices in
	// degrees, when the source gives one. FOVRadius still bounds it.
	Region [][2]float64 `json:"region,omitempty"`
}

// Position returns the target's ICRS coordinates in degrees, and whether
// they are known.
func (t Target) Position() (ra, dec float64, ok bool) {
	if t.RA == nil || t.Dec == nil {
		return 0, 0, false
	}
	return *t.RA, *t.Dec, true
}

// SetPosition sets the target's ICRS coordinates in degrees, normalizing
// RA into [0, 360).
func (t *Target) SetPosition(ra, dec float64) {
	ra = normRA(ra)
	t.RA, t.Dec = &ra, &dec
}

func normRA(ra float64) float64 {
	for ra < 0 {
		ra += 360
	}
	for ra >= 360 {
		ra -= 360
	}
	return ra
}

// Link points to a page or data about an activity.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Float returns a pointer to v, for the optional numbers of an Activity.
func Float(v float64) *float64 { return &v }

// NewID builds an activity ID from the source's name and the record's key in
// that source: "source:key". The key must be deterministic across polls of
// the same data (a dataset or observation identifier, never a row number or
// a time of fetching).
func NewID(source, key string) string {
	return source + ":" + strings.TrimSpace(key)
}

// Revision computes a revision number that grows along an observation's
// life: ranked by kind first, then by the source's update time (zero when
// unknown). Connectors use it so that a planned activity that later becomes
// completed replaces the planned record.
func Revision(k Kind, updated time.Time) int64 {
	r := int64(KindRank(k)+1) << 56
	if !updated.IsZero() {
		s := updated.Unix()
		if s > 0 {
			r |= s & (1<<56 - 1)
		}
	}
	return r
}

// Duration is End − Start, or 0 when either is unknown.
func (a *Activity) Duration() time.Duration {
	if a.Start.IsZero() || a.End.IsZero() {
		return 0
	}
	return a.End.Sub(a.Start)
}

// String is a one-line human summary.
func (a Activity) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", a.ID, a.Kind, a.Facility)
	if a.Instrument != "" {
		b.WriteString("/" + a.Instrument)
	}
	if a.Target.Name != "" {
		b.WriteString(" " + a.Target.Name)
	}
	if !a.Start.IsZero() {
		b.WriteString(" " + a.Start.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// jsonActivity is the wire form of Activity.
type jsonActivity struct {
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Kind        Kind      `json:"kind"`
	Observatory string    `json:"observatory"`
	Facility    string    `json:"facility"`
	Instrument  string    `json:"instrument"`
	Mode        string    `json:"mode"`
	Filter      string    `json:"filter"`
	Programme   Programme `json:"programme"`
	Target      Target    `json:"target"`
	Start       *string   `json:"start"`
	End         *string   `json:"end"`
	Exposure    *float64  `json:"exposure_s"`
	DatasetID   string    `json:"dataset_id"`
	Links       []Link    `json:"links"`
	Revision    int64     `json:"revision"`
	Updated     *string   `json:"updated,omitempty"`
	// Schema version 2.
	SchemaVersion int           `json:"schema_version,omitempty"`
	Fidelity      Fidelity      `json:"fidelity,omitempty"`
	Pointing      *Pointing     `json:"pointing,omitempty"`
	Footprints    []Footprint   `json:"footprints,omitempty"`
	Bandpass      *jsonBandpass `json:"bandpass,omitempty"`
}

// jsonBandpass is the wire form of a Bandpass: metres.
type jsonBandpass struct {
	Min float64 `json:"min_wavelength_m"`
	Max float64 `json:"max_wavelength_m"`
}

// usesV2 reports whether a needs schema version 2 to be written.
func (a *Activity) usesV2() bool {
	return a.Fidelity != "" || a.Pointing != nil || len(a.Footprints) > 0 || a.Bandpass != nil ||
		KindRank(a.Kind) > KindRank(KindArchived)
}

// encTime and decTime are the documents' time encoding (internal/jsontime),
// its errors naming the field.
var encTime = jsontime.Encode

func decTime(field string, s *string) (time.Time, error) {
	t, err := jsontime.Decode(s)
	if err != nil {
		return time.Time{}, &FieldError{Field: field, Reason: err.Error()}
	}
	return t, nil
}

// MarshalJSON encodes a in the documented encoding.
func (a Activity) MarshalJSON() ([]byte, error) {
	links := a.Links
	if links == nil {
		links = []Link{}
	}
	j := jsonActivity{
		ID: a.ID, Source: a.Source, Kind: a.Kind, Observatory: a.Observatory,
		Facility: a.Facility, Instrument: a.Instrument, Mode: a.Mode, Filter: a.Filter,
		Programme: a.Programme, Target: a.Target,
		Start: encTime(a.Start), End: encTime(a.End), Exposure: a.Exposure,
		DatasetID: a.DatasetID, Links: links, Revision: a.Revision, Updated: encTime(a.Updated),
	}
	if a.usesV2() {
		j.SchemaVersion = SchemaVersion
		j.Fidelity, j.Pointing, j.Footprints = a.Fidelity, a.Pointing, a.Footprints
		if a.Bandpass != nil {
			j.Bandpass = &jsonBandpass{Min: float64(a.Bandpass.Min), Max: float64(a.Bandpass.Max)}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the documented encoding. It checks the syntax of
// times but not the record's consistency: call [Activity.Validate] for that.
func (a *Activity) UnmarshalJSON(b []byte) error {
	var j jsonActivity
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("activity: %w", err)
	}
	start, err := decTime("start", j.Start)
	if err != nil {
		return err
	}
	end, err := decTime("end", j.End)
	if err != nil {
		return err
	}
	updated, err := decTime("updated", j.Updated)
	if err != nil {
		return err
	}
	if j.SchemaVersion < 0 || j.SchemaVersion > SchemaVersion {
		return &FieldError{Field: "schema_version", Reason: fmt.Sprintf("%d is not a version this package reads (1 to %d)", j.SchemaVersion, SchemaVersion)}
	}
	*a = Activity{
		ID: j.ID, Source: j.Source, Kind: j.Kind, Observatory: j.Observatory,
		Facility: j.Facility, Instrument: j.Instrument, Mode: j.Mode, Filter: j.Filter,
		Programme: j.Programme, Target: j.Target, Start: start, End: end,
		Exposure: j.Exposure, DatasetID: j.DatasetID, Links: j.Links,
		Revision: j.Revision, Updated: updated,
		Fidelity: j.Fidelity, Pointing: j.Pointing, Footprints: j.Footprints,
	}
	if j.Bandpass != nil {
		a.Bandpass = &Bandpass{Min: Wavelength(j.Bandpass.Min), Max: Wavelength(j.Bandpass.Max)}
	}
	if len(a.Links) == 0 {
		a.Links = nil
	}
	if len(a.Footprints) == 0 {
		a.Footprints = nil
	}
	return nil
}
