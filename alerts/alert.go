package alerts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/jsontime"
)

// Status says whether an alert still stands.
type Status string

// The statuses of an alert.
const (
	StatusActive    Status = "active"    // the event stands
	StatusRetracted Status = "retracted" // its issuer withdrew it
)

// Alert is one transient event as its latest notice describes it.
//
// The zero value is not a valid alert: ID, Source, Mission and TriggerTime
// are required (see [Alert.Validate]).
type Alert struct {
	// ID is stable across the notices of one event: the source's name and
	// the event's key in that source ("gcn:fermi-gbm:745121685").
	ID string
	// Revision orders the notices of the event: a higher one replaces a
	// lower one (see [Revision]).
	Revision int64
	// Source is the name of the stream the alert came from ("gcn").
	Source string
	// Status is active or retracted.
	Status Status
	// Test is set for test, injection and other non-astrophysical notices.
	Test bool
	// Mission and Instrument that reported the event ("Fermi", "GBM").
	Mission, Instrument string
	// EventType is what the event is: "grb", "frb", "neutrino", "gw",
	// "x-ray transient", "supernova neutrinos", "optical transient", ... ;
	// empty when the notice does not say.
	EventType string
	// Names of the event ("GRB 230220A", "IceCube-230416A").
	Names []string
	// Notice names the notice format ("gcn.notices.chime.frb", a schema URL
	// or a GCN Classic notice type).
	Notice string
	// TriggerTime is when the event happened (UTC).
	TriggerTime time.Time
	// Issued is when the notice was made, when it says so.
	Issued time.Time
	// Localization is where on the sky the event is; nil when unknown.
	Localization *Localization
	// SkyMap references a probability sky map (HEALPix or MOC); nil when
	// the notice carries none.
	SkyMap *SkyMap
	// Significance gathers the notice's detection statistics.
	Significance Significance
	// Links point to pages or data about the event.
	Links []Link
	// Message is the notice's free text (update or retraction message).
	Message string
}

// Significance gathers detection statistics; nil fields are unknown.
type Significance struct {
	// SNR is the signal-to-noise ratio of the detection.
	SNR *float64 `json:"snr,omitempty"`
	// FAR is the false alarm rate in Hz.
	FAR *float64 `json:"far,omitempty"`
	// PAstro is the probability that the event is astrophysical (0–1).
	PAstro *float64 `json:"p_astro,omitempty"`
}

// SkyMap references a probability sky map.
type SkyMap struct {
	// Format is "healpix" or "moc".
	Format string `json:"format"`
	// URL of the map file, when the notice gives one.
	URL string `json:"url,omitempty"`
	// Embedded is set when the notice carries the map itself (base64 FITS);
	// the map is then not copied into the alert.
	Embedded bool `json:"embedded,omitempty"`
}

// Link points to a page or data about an alert.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Float returns a pointer to v, for the optional numbers of an Alert.
func Float(v float64) *float64 { return &v }

// NewID builds an alert ID from the source's name and the event's key:
// "source:key".
func NewID(source, key string) string { return source + ":" + strings.TrimSpace(key) }

// The sequence ranks of notices of one event (see [Revision]).
const (
	SeqInitial    = 0 // the first detection
	SeqUpdate     = 1 // a subsequent notice or an update
	SeqRetraction = 2 // the event withdrawn
)

// Revision orders the notices of one event: by sequence rank (initial <
// update < retraction) first, then by the notice's record number (0–65535),
// then by its issue time (Unix seconds, zero when unknown). A retraction
// thus replaces every earlier notice, and a notice replayed twice keeps its
// revision.
func Revision(seq int, record int, issued time.Time) int64 {
	if seq < 0 {
		seq = 0
	}
	if seq > 127 {
		seq = 127
	}
	if record < 0 {
		record = 0
	}
	if record > 0xffff {
		record = 0xffff
	}
	r := int64(seq)<<56 | int64(record)<<40
	if !issued.IsZero() {
		if s := issued.Unix(); s > 0 {
			r |= s & (1<<40 - 1)
		}
	}
	return r
}

// String is a one-line human summary.
func (a Alert) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s r%d %s", a.ID, a.Revision, a.Mission)
	if a.Instrument != "" {
		b.WriteString("/" + a.Instrument)
	}
	if a.EventType != "" {
		b.WriteString(" " + a.EventType)
	}
	if !a.TriggerTime.IsZero() {
		b.WriteString(" " + a.TriggerTime.UTC().Format(time.RFC3339))
	}
	if a.Status == StatusRetracted {
		b.WriteString(" RETRACTED")
	}
	if a.Localization != nil {
		b.WriteString(" " + a.Localization.String())
	}
	return b.String()
}

type jsonAlert struct {
	ID           string        `json:"id"`
	Revision     int64         `json:"revision"`
	Source       string        `json:"source"`
	Status       Status        `json:"status"`
	Test         bool          `json:"test,omitempty"`
	Mission      string        `json:"mission"`
	Instrument   string        `json:"instrument"`
	EventType    string        `json:"event_type"`
	Names        []string      `json:"names"`
	Notice       string        `json:"notice"`
	TriggerTime  *string       `json:"trigger_time"`
	Issued       *string       `json:"issued,omitempty"`
	Localization *Localization `json:"localization"`
	SkyMap       *SkyMap       `json:"skymap,omitempty"`
	Significance Significance  `json:"significance"`
	Links        []Link        `json:"links"`
	Message      string        `json:"message,omitempty"`
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
func (a Alert) MarshalJSON() ([]byte, error) {
	names, links := a.Names, a.Links
	if names == nil {
		names = []string{}
	}
	if links == nil {
		links = []Link{}
	}
	return json.Marshal(jsonAlert{
		ID: a.ID, Revision: a.Revision, Source: a.Source, Status: a.Status, Test: a.Test,
		Mission: a.Mission, Instrument: a.Instrument, EventType: a.EventType, Names: names,
		Notice: a.Notice, TriggerTime: encTime(a.TriggerTime), Issued: encTime(a.Issued),
		Localization: a.Localization, SkyMap: a.SkyMap, Significance: a.Significance,
		Links: links, Message: a.Message,
	})
}

// UnmarshalJSON decodes the documented encoding. It checks the syntax of
// times but not the record's consistency: call [Alert.Validate] for that.
func (a *Alert) UnmarshalJSON(b []byte) error {
	var j jsonAlert
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	trig, err := decTime("trigger_time", j.TriggerTime)
	if err != nil {
		return err
	}
	issued, err := decTime("issued", j.Issued)
	if err != nil {
		return err
	}
	*a = Alert{
		ID: j.ID, Revision: j.Revision, Source: j.Source, Status: j.Status, Test: j.Test,
		Mission: j.Mission, Instrument: j.Instrument, EventType: j.EventType, Names: j.Names,
		Notice: j.Notice, TriggerTime: trig, Issued: issued, Localization: j.Localization,
		SkyMap: j.SkyMap, Significance: j.Significance, Links: j.Links, Message: j.Message,
	}
	if len(a.Names) == 0 {
		a.Names = nil
	}
	if len(a.Links) == 0 {
		a.Links = nil
	}
	return nil
}
