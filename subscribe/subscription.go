package subscribe

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/arcsecond-go/arcsecond/activities"
)

//go:embed subscription.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of the Subscription
// encoding.
func Schema() []byte { return append([]byte(nil), schema...) }

// Limits on the size of one subscription, so that a hostile document cannot
// make the matcher do unbounded work.
const (
	MaxValues          = 1000                          // values in one criterion list
	MaxRegions         = 100                           // sky regions in one subscription
	MaxPolygonVertices = activities.MaxPolygonVertices // vertices of one polygon
	MaxValueLen        = 256                           // bytes of one string value
)

// Subscription says which activities someone wants to hear about and how.
//
// Criteria present are ANDed; the values of one criterion are ORed; an
// absent or empty list does not constrain. A subscription with no criterion
// at all matches every activity and is refused unless MatchAll is set.
type Subscription struct {
	ID       string   `json:"id"`
	Owner    string   `json:"owner,omitempty"`
	Criteria Criteria `json:"criteria"`
	// MatchAll must be true for a subscription without criteria (it then
	// matches every activity).
	MatchAll bool     `json:"match_all,omitempty"`
	Delivery Delivery `json:"delivery,omitzero"`
}

// Criteria are the conditions an activity must meet.
type Criteria struct {
	// Sources are connector names ("eso", "hst"), compared case-insensitively.
	Sources []string `json:"sources,omitempty"`
	// Kinds are activity kinds (activities.Kinds): planned, started, completed,
	// archived, aborted or unscheduled.
	Kinds []activities.Kind `json:"kinds,omitempty"`
	// Facilities and Instruments are compared case- and accent-insensitively
	// with runs of white space collapsed; an instrument also matches the
	// first part of an activity's "NAME/MODE" instrument ("WFC3" matches
	// "WFC3/UVIS").
	Facilities  []string `json:"facilities,omitempty"`
	Instruments []string `json:"instruments,omitempty"`
	// Programmes are programme IDs compared case-insensitively; a trailing
	// "*" makes a prefix ("0104.D-*").
	Programmes []string `json:"programmes,omitempty"`
	// Observers are PI or investigator names, matched on the surname (and
	// the first initial when both sides give one), case- and
	// accent-insensitively: "Müller" matches "Mueller" and "Muller".
	Observers []string `json:"observers,omitempty"`
	// Targets are target names or glob patterns ("*" any run, "?" one
	// character, "\" escapes), compared after folding case and accents and
	// removing white space and underscores: "NGC 1068" = "ngc1068".
	Targets []string `json:"targets,omitempty"`
	// Regions are sky regions; an activity matches one when its field of
	// view overlaps it: the circle of its target's position and FOV
	// radius, or one of its footprints (sky polygons with great-circle
	// edges, correct across RA 0/360 and at the poles; footprints that
	// are not simple polygons are ignored). An activity with footprints
	// but no target position is matched through its footprints alone.
	Regions []Region `json:"regions,omitempty"`
	// Bands are named bands or wavelength, energy or frequency ranges
	// (see [Band]); an activity matches one when its bandpass overlaps it.
	// An activity without a bandpass does not match a band criterion.
	Bands []Band `json:"bands,omitempty"`
	// After and Before bound the activity's time: it matches when its
	// [start, end] interval overlaps [After, Before]. An activity with an
	// unknown start never matches a time window.
	After  *time.Time `json:"after,omitempty"`
	Before *time.Time `json:"before,omitempty"`
	// Alerts and Coincidence select transient alerts and the activities
	// observed inside their localizations (see coincidence.go); they are
	// matched by Coincidences, which activity indexes refuse them for.
	Alerts      *AlertCriteria `json:"alerts,omitempty"`
	Coincidence *Coincidence   `json:"coincidence,omitempty"`
}

// Region is a sky region: a cone (RA, Dec, Radius in degrees, ICRS) or,
// when Polygon is set, a polygon of (RA, Dec) vertices in degrees, taken as
// the smaller of the two areas its boundary encloses.
type Region struct {
	RA      float64      `json:"ra,omitempty"`
	Dec     float64      `json:"dec,omitempty"`
	Radius  float64      `json:"radius,omitempty"`
	Polygon [][2]float64 `json:"polygon,omitempty"`
}

// IsPolygon reports whether r is a polygon rather than a cone.
func (r Region) IsPolygon() bool { return r.Polygon != nil }

// UnmarshalJSON decodes a region, reporting missing cone fields and
// unknown fields.
func (r *Region) UnmarshalJSON(b []byte) error {
	var j struct {
		RA      *float64     `json:"ra"`
		Dec     *float64     `json:"dec"`
		Radius  *float64     `json:"radius"`
		Polygon [][2]float64 `json:"polygon"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("region: %w", err)
	}
	if j.Polygon != nil {
		if j.RA != nil || j.Dec != nil || j.Radius != nil {
			return errors.New("region: give either polygon or ra, dec and radius, not both")
		}
		if len(j.Polygon) == 0 {
			return errors.New("region: polygon has no vertices")
		}
		*r = Region{Polygon: j.Polygon}
		return nil
	}
	var missing []string
	if j.RA == nil {
		missing = append(missing, "ra")
	}
	if j.Dec == nil {
		missing = append(missing, "dec")
	}
	if j.Radius == nil {
		missing = append(missing, "radius")
	}
	if len(missing) > 0 {
		return fmt.Errorf("region: a cone needs ra, dec and radius; missing %s", strings.Join(missing, ", "))
	}
	*r = Region{RA: *j.RA, Dec: *j.Dec, Radius: *j.Radius}
	return nil
}

// MarshalJSON encodes a cone as {ra, dec, radius} and a polygon as
// {polygon}.
func (r Region) MarshalJSON() ([]byte, error) {
	if r.Polygon != nil {
		return json.Marshal(struct {
			Polygon [][2]float64 `json:"polygon"`
		}{r.Polygon})
	}
	return json.Marshal(struct {
		RA     float64 `json:"ra"`
		Dec    float64 `json:"dec"`
		Radius float64 `json:"radius"`
	}{r.RA, r.Dec, r.Radius})
}

// Delivery says where notifications go. Any combination may be set.
type Delivery struct {
	Webhook *WebhookTarget `json:"webhook,omitempty"`
	Email   *EmailTarget   `json:"email,omitempty"`
	// Live asks for the notifications on the in-process live hub.
	Live bool `json:"live,omitempty"`
	// RatePerHour caps the notifications sent to this subscription's
	// targets per hour (0: no cap); excess ones wait for the next slot.
	RatePerHour int `json:"rate_per_hour,omitempty"`
}

// WebhookTarget is an HTTP endpoint receiving signed JSON notifications.
type WebhookTarget struct {
	URL string `json:"url"`
	// Secrets are Standard Webhooks secrets ("whsec_" + base64). Every one
	// signs each message, so that a receiver can rotate: add the new secret,
	// move the receiver to it, drop the old one.
	Secrets []string `json:"secrets,omitempty"`
}

// EmailTarget is a mailbox.
type EmailTarget struct {
	To string `json:"to"`
	// Digest, a Go duration ("1h", "24h"), gathers the matches of each period
	// into one message; empty sends one message per match.
	Digest string `json:"digest,omitempty"`
}

// FieldError reports one invalid value in a subscription. Field is the
// name in the JSON encoding ("criteria.regions[0].radius").
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// ParseSubscription decodes one subscription in the documented JSON
// encoding, refusing unknown fields, and validates it.
func ParseSubscription(b []byte) (*Subscription, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s Subscription
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("subscription: %w", err)
	}
	if dec.More() {
		return nil, errors.New("subscription: trailing data after the JSON object")
	}
	if err := s.Validate(); err != nil {
		if s.ID != "" {
			return nil, fmt.Errorf("subscription %q: %w", s.ID, err)
		}
		return nil, fmt.Errorf("subscription: %w", err)
	}
	return &s, nil
}

// IsEmpty reports whether no criterion is set.
func (c *Criteria) IsEmpty() bool {
	return len(c.Sources) == 0 && len(c.Kinds) == 0 && len(c.Facilities) == 0 &&
		len(c.Instruments) == 0 && len(c.Programmes) == 0 && len(c.Observers) == 0 &&
		len(c.Targets) == 0 && len(c.Regions) == 0 && len(c.Bands) == 0 && c.After == nil && c.Before == nil &&
		c.Alerts == nil && c.Coincidence == nil
}

// Validate reports every invalid value of s as a joined error of
// *FieldError values.
func (s *Subscription) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(s.ID) == "" {
		bad("id", "empty")
	} else if len(s.ID) > MaxValueLen {
		bad("id", "longer than %d bytes", MaxValueLen)
	} else if !utf8.ValidString(s.ID) {
		bad("id", "%q is not valid UTF-8", s.ID)
	} else if strings.ContainsFunc(s.ID, unicode.IsControl) {
		bad("id", "%q contains a control character", s.ID)
	}
	c := &s.Criteria
	if c.IsEmpty() && !s.MatchAll {
		bad("criteria", "empty: it would match every activity; set \"match_all\": true if that is meant")
	}
	if !c.IsEmpty() && s.MatchAll {
		bad("match_all", "set together with criteria")
	}
	strList := func(name string, vs []string) {
		if len(vs) > MaxValues {
			bad("criteria."+name, "%d values, more than %d", len(vs), MaxValues)
			return
		}
		for i, v := range vs {
			switch {
			case strings.TrimSpace(v) == "":
				bad(fmt.Sprintf("criteria.%s[%d]", name, i), "empty")
			case len(v) > MaxValueLen:
				bad(fmt.Sprintf("criteria.%s[%d]", name, i), "longer than %d bytes", MaxValueLen)
			}
		}
	}
	strList("sources", c.Sources)
	strList("facilities", c.Facilities)
	strList("instruments", c.Instruments)
	strList("programmes", c.Programmes)
	strList("observers", c.Observers)
	strList("targets", c.Targets)
	for i, p := range c.Programmes {
		if strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p), "*")) == "" && strings.TrimSpace(p) != "" {
			bad(fmt.Sprintf("criteria.programmes[%d]", i), "a prefix needs at least one character before the *")
		}
		if strings.Contains(strings.TrimSuffix(strings.TrimSpace(p), "*"), "*") {
			bad(fmt.Sprintf("criteria.programmes[%d]", i), "%q: only a trailing * is allowed", p)
		}
	}
	for i, o := range c.Observers {
		if strings.TrimSpace(o) != "" && len(o) <= MaxValueLen && len(parseName(o)) == 0 {
			bad(fmt.Sprintf("criteria.observers[%d]", i), "%q has no letters", o)
		}
	}
	for i, t := range c.Targets {
		if strings.TrimSpace(t) != "" && len(t) <= MaxValueLen {
			if _, err := compileGlob(t); err != nil {
				bad(fmt.Sprintf("criteria.targets[%d]", i), "%v", err)
			}
		}
	}
	if len(c.Kinds) > MaxValues {
		bad("criteria.kinds", "%d values, more than %d", len(c.Kinds), MaxValues)
	}
	for i, k := range c.Kinds {
		if !k.Valid() {
			bad(fmt.Sprintf("criteria.kinds[%d]", i), "%q is not one of %s", k, kindNames())
		}
	}
	if len(c.Regions) > MaxRegions {
		bad("criteria.regions", "%d regions, more than %d", len(c.Regions), MaxRegions)
	} else {
		for i, r := range c.Regions {
			for _, err := range r.validate() {
				err.Field = fmt.Sprintf("criteria.regions[%d]%s", i, err.Field)
				errs = append(errs, err)
			}
		}
	}
	if len(c.Bands) > MaxValues {
		bad("criteria.bands", "%d values, more than %d", len(c.Bands), MaxValues)
	}
	for i, b := range c.Bands {
		if len(b.Name) > MaxValueLen {
			bad(fmt.Sprintf("criteria.bands[%d]", i), "longer than %d bytes", MaxValueLen)
		} else if _, _, err := b.Bandpass(); err != nil {
			bad(fmt.Sprintf("criteria.bands[%d]", i), "%v", err)
		}
	}
	if c.After != nil && c.Before != nil && !c.Before.After(*c.After) {
		bad("criteria.before", "%s is not after %s", c.Before.UTC().Format(time.RFC3339), c.After.UTC().Format(time.RFC3339))
	}
	for _, t := range []struct {
		name string
		t    *time.Time
	}{{"after", c.After}, {"before", c.Before}} {
		if t.t != nil && (t.t.Year() < 1 || t.t.Year() > 9999) {
			bad("criteria."+t.name, "year %d is outside 1..9999", t.t.Year())
		}
	}
	errs = append(errs, c.validateAlertCriteria()...)
	errs = append(errs, s.Delivery.validate()...)
	return errors.Join(errs...)
}

func (r Region) validate() []*FieldError {
	var errs []*FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if r.Polygon != nil {
		if r.RA != 0 || r.Dec != 0 || r.Radius != 0 {
			bad("", "give either polygon or ra, dec and radius, not both")
		}
		n := len(r.Polygon)
		if n < 3 {
			bad(".polygon", "needs at least 3 vertices, got %d", n)
		} else if n > MaxPolygonVertices {
			bad(".polygon", "%d vertices, more than %d", n, MaxPolygonVertices)
		}
		ok := true
		for i, v := range r.Polygon {
			if !finite(v[0]) || !finite(v[1]) || v[1] < -90 || v[1] > 90 {
				bad(fmt.Sprintf(".polygon[%d]", i), "(%v, %v) is not a valid RA, Dec (Dec must be in [-90, 90])", v[0], v[1])
				ok = false
			}
		}
		if ok && n >= 3 && n <= MaxPolygonVertices {
			if _, err := newPolygon(r.Polygon); err != nil {
				bad(".polygon", "%v", err)
			}
		}
		return errs
	}
	if !finite(r.RA) {
		bad(".ra", "not a finite number")
	} else if r.RA < 0 || r.RA >= 360 {
		bad(".ra", "%v is outside [0, 360)", r.RA)
	}
	if !finite(r.Dec) {
		bad(".dec", "not a finite number")
	} else if r.Dec < -90 || r.Dec > 90 {
		bad(".dec", "%v is outside [-90, 90]", r.Dec)
	}
	if !finite(r.Radius) {
		bad(".radius", "not a finite number")
	} else if r.Radius <= 0 {
		bad(".radius", "%v must be > 0 (degrees)", r.Radius)
	} else if r.Radius > 180 {
		bad(".radius", "%v is more than 180 degrees", r.Radius)
	}
	return errs
}

func (d *Delivery) validate() []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if w := d.Webhook; w != nil {
		u, err := url.Parse(w.URL)
		switch {
		case err != nil || !u.IsAbs() || u.Host == "":
			bad("delivery.webhook.url", "%q is not an absolute URL", w.URL)
		case u.Scheme != "http" && u.Scheme != "https":
			bad("delivery.webhook.url", "scheme %q is not http or https", u.Scheme)
		case u.User != nil:
			bad("delivery.webhook.url", "must not carry user information")
		default:
			if err := checkHost(u.Hostname()); err != nil {
				bad("delivery.webhook.url", "%v", err)
			}
		}
		if len(w.Secrets) == 0 {
			bad("delivery.webhook.secrets", "at least one secret is needed to sign the messages")
		} else if len(w.Secrets) > 2 {
			bad("delivery.webhook.secrets", "%d secrets; at most 2 (during a rotation)", len(w.Secrets))
		}
		for i, s := range w.Secrets {
			if _, err := decodeSecret(s); err != nil {
				bad(fmt.Sprintf("delivery.webhook.secrets[%d]", i), "%v", err)
			}
		}
	}
	if e := d.Email; e != nil {
		if a, err := mail.ParseAddress(e.To); err != nil || a.Name != "" || strings.ContainsAny(e.To, "\r\n") {
			bad("delivery.email.to", "%q is not a plain e-mail address", e.To)
		}
		if e.Digest != "" {
			p, err := time.ParseDuration(e.Digest)
			if err != nil {
				bad("delivery.email.digest", "%q is not a duration such as \"1h\"", e.Digest)
			} else if p < time.Minute || p > 31*24*time.Hour {
				bad("delivery.email.digest", "%s is outside 1m..744h", p)
			}
		}
	}
	if d.RatePerHour < 0 {
		bad("delivery.rate_per_hour", "%d is negative", d.RatePerHour)
	}
	return errs
}

// hostProfile maps host names as resolvers do (IDNA2008 lookup rules),
// allowing the underscores of in-house names such as "my_host.internal".
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.StrictDomainName(false))

// checkHost accepts an IP address or a DNS name (internationalized names
// in Unicode or in their ASCII form) whose labels are letters, digits,
// hyphens and underscores, and refuses anything a resolver would only fail
// on later, at every delivery attempt.
func checkHost(h string) error {
	if h == "" {
		return errors.New("the URL has no host")
	}
	if !utf8.ValidString(h) {
		return fmt.Errorf("host %q is not valid UTF-8", h)
	}
	if ip, _, _ := strings.Cut(h, "%"); net.ParseIP(ip) != nil { // an IPv6 zone follows the %
		return nil
	}
	a, err := hostProfile.ToASCII(h)
	if err != nil {
		return fmt.Errorf("host %q is not a valid host name", h)
	}
	if len(a) > 253 {
		return fmt.Errorf("host %q is longer than 253 characters", h)
	}
	for _, l := range strings.Split(strings.TrimSuffix(a, "."), ".") {
		if l == "" || len(l) > 63 || strings.ContainsFunc(l, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) {
			return fmt.Errorf("host %q is not a valid host name", h)
		}
	}
	return nil
}

// decodeSecret decodes a Standard Webhooks secret "whsec_<base64>".
func decodeSecret(s string) ([]byte, error) {
	b64, ok := strings.CutPrefix(s, "whsec_")
	if !ok {
		return nil, errors.New("a secret must start with \"whsec_\"")
	}
	k, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("secret is not valid base64 after \"whsec_\": %w", err)
	}
	if len(k) < 24 || len(k) > 64 {
		return nil, fmt.Errorf("secret is %d bytes; want 24 to 64", len(k))
	}
	return k, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// kindNames lists the activity kinds, for error messages.
func kindNames() string {
	var b strings.Builder
	for i, k := range activities.Kinds() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}
