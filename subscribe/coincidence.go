package subscribe

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
	"github.com/arcsecond-go/arcsecond/astro"
)

// AlertCriteria (criteria.alerts) select transient alerts: by mission and
// event type (case-insensitive; see alerts.Alert) and by sky region. A cone
// region matches an alert whose localization it meets
// (alerts.Localization.Overlaps, exact); a polygon region one whose best
// position it holds. Retracted alerts never match; test alerts only with
// IncludeTests. Lists are ORed, criteria ANDed.
type AlertCriteria struct {
	Missions     []string `json:"missions,omitempty"`
	EventTypes   []string `json:"event_types,omitempty"`
	Regions      []Region `json:"regions,omitempty"`
	IncludeTests bool     `json:"include_tests,omitempty"`
}

// Coincidence (criteria.coincidence) asks for the activities — matching
// the subscription's other criteria — observed inside the localization of
// an alert (matching criteria.alerts, when set) within WithinS seconds of
// its trigger: the activity's field of view meets the localization, and
// the trigger lies within WithinS of the activity's [start, end]. Either
// order fires: an activity recorded before its alert arrives is matched
// when the alert comes.
type Coincidence struct {
	WithinS float64 `json:"within_s"`
}

// MaxCoincidenceWindow bounds Coincidence.WithinS (30 days).
const MaxCoincidenceWindow = 30 * 24 * time.Hour

// ErrCoincidenceCriteria is matched by the error an activity Index (Matcher,
// BruteForce) returns for a subscription with alert or coincidence
// criteria: those are matched by Coincidences.
var ErrCoincidenceCriteria = errors.New("criteria.alerts and criteria.coincidence are matched by subscribe.Coincidences, not by an activity index")

// validateAlertCriteria checks criteria.alerts and criteria.coincidence.
func (c *Criteria) validateAlertCriteria() []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if a := c.Alerts; a != nil {
		for name, vs := range map[string][]string{"missions": a.Missions, "event_types": a.EventTypes} {
			if len(vs) > MaxValues {
				bad("criteria.alerts."+name, "%d values, more than %d", len(vs), MaxValues)
			}
			for i, v := range vs {
				if strings.TrimSpace(v) == "" || len(v) > MaxValueLen {
					bad(fmt.Sprintf("criteria.alerts.%s[%d]", name, i), "empty or longer than %d bytes", MaxValueLen)
				}
			}
		}
		if len(a.Regions) > MaxRegions {
			bad("criteria.alerts.regions", "%d regions, more than %d", len(a.Regions), MaxRegions)
		}
		for i, r := range a.Regions {
			for _, err := range r.validate() {
				err.Field = fmt.Sprintf("criteria.alerts.regions[%d]%s", i, err.Field)
				errs = append(errs, err)
			}
		}
		if c.Coincidence == nil && c.hasActivityCriteria() {
			bad("criteria.alerts", "activity criteria without criteria.coincidence: an alert subscription has no activity to match them against")
		}
	}
	if co := c.Coincidence; co != nil {
		if w := co.WithinS; math.IsNaN(w) || w <= 0 || w > MaxCoincidenceWindow.Seconds() {
			bad("criteria.coincidence.within_s", "%v is outside (0, %v]", w, MaxCoincidenceWindow.Seconds())
		}
	}
	return errs
}

// hasActivityCriteria reports whether an activity criterion is set.
func (c *Criteria) hasActivityCriteria() bool {
	return len(c.Sources)+len(c.Kinds)+len(c.Facilities)+len(c.Instruments)+len(c.Programmes)+
		len(c.Observers)+len(c.Targets)+len(c.Regions) > 0 || c.After != nil || c.Before != nil
}

// CoincidenceMatch is one firing of an alert or coincidence subscription.
type CoincidenceMatch struct {
	Subscription *Subscription
	// Activity is nil for an alert subscription (criteria.alerts alone).
	// Activity and Alert are shared with the index and other matches: do
	// not modify them.
	Activity *activities.Activity
	Alert    *alerts.Alert
	// Delta is how far the trigger lies outside the activity's [start,
	// end] (0 inside it); Separation the angle in degrees from the
	// activity's position to the alert's best position.
	Delta      time.Duration
	Separation float64
}

// Coincidences matches alert and coincidence subscriptions as alerts and
// activities arrive, in either order. It keeps the latest revision of the
// alerts and positioned activities seen within twice the largest window
// of its subscriptions (and an hour) of the newest time seen, and fires
// each (subscription, activity, alert) once while the alert is kept. It is
// safe for concurrent use.
//
// The subscriptions' activity criteria are evaluated by a Matcher holding
// their copies without the alert criteria, and only for the activities
// that meet an alert's localization within the largest window; the alert
// side is a scan of the alerts and activities kept.
type Coincidences struct {
	mu      sync.Mutex
	subs    map[string]*Subscription
	actCrit Index
	// alerts and acts hold the latest revisions, never modified once
	// stored (a new revision is a new value), so that matches share them.
	alerts map[string]*keptAlert
	acts   map[string]*keptActivity
	fired  map[string]map[subActivity]bool // by alert ID: what fired for it
	// byMission holds the alert subscriptions (criteria.alerts alone) by
	// the equalFoldKey of each of their missions, "" for those naming none, so
	// that an alert is checked against those that may match it only.
	byMission map[string]map[string]*alertSub
	window    time.Duration
	latest    time.Time
}

// subActivity is a (subscription, activity) pair that fired for an alert;
// the activity is "" for an alert subscription.
type subActivity struct{ sub, activity string }

// NewCoincidences returns an empty index.
func NewCoincidences() *Coincidences {
	return &Coincidences{
		subs: map[string]*Subscription{}, actCrit: NewMatcher(),
		alerts: map[string]*keptAlert{}, acts: map[string]*keptActivity{}, fired: map[string]map[subActivity]bool{},
		byMission: map[string]map[string]*alertSub{},
	}
}

// Add adds (or replaces) a subscription with criteria.alerts or
// criteria.coincidence.
func (x *Coincidences) Add(s *Subscription) error {
	if s.Criteria.Alerts == nil && s.Criteria.Coincidence == nil {
		return fmt.Errorf("subscription %q: neither criteria.alerts nor criteria.coincidence is set", s.ID)
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("subscription %q: %w", s.ID, err)
	}
	inner := *s
	inner.Criteria.Alerts, inner.Criteria.Coincidence = nil, nil
	inner.MatchAll = inner.Criteria.IsEmpty()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.unindex(s.ID)
	if s.Criteria.Coincidence != nil {
		if err := x.actCrit.Add(&inner); err != nil {
			return err
		}
		if w := time.Duration(s.Criteria.Coincidence.WithinS * float64(time.Second)); w > x.window {
			x.window = w
		}
	} else {
		x.actCrit.Remove(s.ID)
		x.index(s)
	}
	x.subs[s.ID] = s
	return nil
}

// Remove drops a subscription.
func (x *Coincidences) Remove(id string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	_, ok := x.subs[id]
	x.unindex(id)
	delete(x.subs, id)
	x.actCrit.Remove(id)
	return ok
}

// Activity records an activity and returns the coincidences it makes with
// the alerts already seen.
func (x *Coincidences) Activity(a activities.Activity) []CoincidenceMatch {
	if _, _, ok := a.Target.Position(); !ok || a.Start.IsZero() {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.acts[a.ID]; ok && old.Revision >= a.Revision {
		return nil
	}
	ap := &a
	ra, dec, _ := a.Target.Position()
	k := &keptActivity{Activity: ap, v: unitVector(ra, dec)}
	x.acts[a.ID] = k
	x.advance(a.Start)
	// The alerts it could coincide with at all (the largest window), and
	// only then the subscriptions whose activity criteria it meets.
	var cands []*alerts.Alert
	for _, ka := range x.alerts {
		al := ka.Alert
		if al.Localization != nil && gap(a.Start, a.End, al.TriggerTime) <= x.window && ka.near(k) && al.Localization.Overlaps(ra, dec, a.Target.FOVRadius) {
			cands = append(cands, al)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	var out []CoincidenceMatch
	for _, m := range x.actCrit.Match(ap) {
		s := x.subs[m.Subscription.ID]
		for _, al := range cands {
			out = x.try(out, s, ap, al)
		}
	}
	return out
}

// Alert records an alert (a retraction forgets it) and returns the alert
// subscriptions it fires and the coincidences it makes with the activities
// already seen.
func (x *Coincidences) Alert(al alerts.Alert) []CoincidenceMatch {
	x.mu.Lock()
	defer x.mu.Unlock()
	if old, ok := x.alerts[al.ID]; ok && old.Revision >= al.Revision {
		return nil
	}
	if al.Status == alerts.StatusRetracted {
		delete(x.alerts, al.ID)
		delete(x.fired, al.ID)
		return nil
	}
	alp := &al
	ka := newKeptAlert(alp)
	x.alerts[al.ID] = ka
	x.advance(al.TriggerTime)
	var out []CoincidenceMatch
	for _, k := range []string{"", equalFoldKey(al.Mission)} {
		for _, as := range x.byMission[k] {
			if as.mayMatch(ka) && alertMatches(as.Criteria.Alerts, alp) && x.markFired(al.ID, subActivity{as.ID, ""}) {
				out = append(out, CoincidenceMatch{Subscription: as.Subscription, Alert: alp})
			}
		}
		if al.Mission == "" {
			break
		}
	}
	if al.Localization == nil {
		return out
	}
	for _, k := range x.acts {
		a := k.Activity
		if gap(a.Start, a.End, al.TriggerTime) > x.window || !ka.near(k) {
			continue
		}
		if ra, dec, _ := a.Target.Position(); !al.Localization.Overlaps(ra, dec, a.Target.FOVRadius) {
			continue
		}
		for _, m := range x.actCrit.Match(a) {
			out = x.try(out, x.subs[m.Subscription.ID], a, alp)
		}
	}
	return out
}

// keptActivity is an activity the index keeps, with its position as a
// unit vector.
type keptActivity struct {
	*activities.Activity
	v [3]float64
}

// keptAlert is an alert the index keeps, with a circle holding its
// localization (alerts.Localization.Bound): a cheap test that rules out
// most activities before the exact one.
type keptAlert struct {
	*alerts.Alert
	centre  [3]float64
	radius  float64 // degrees
	bounded bool
}

func newKeptAlert(al *alerts.Alert) *keptAlert {
	k := &keptAlert{Alert: al}
	if ra, dec, r, ok := al.Localization.Bound(); ok {
		k.centre, k.radius, k.bounded = unitVector(ra, dec), r, true
	}
	return k
}

// near reports whether a's field of view may meet the alert's
// localization: false only when it lies beyond the bounding circle.
func (k *keptAlert) near(a *keptActivity) bool {
	return !k.bounded || capsMeet(k.centre, k.radius, a.v, max(a.Target.FOVRadius, 0))
}

// capsMeet reports whether two circles (unit-vector centres, radii in
// degrees) may meet: false only when their centres lie farther apart than
// the sum of the radii (with a little slack for rounding: an exact test
// decides after it).
func capsMeet(c1 [3]float64, r1 float64, c2 [3]float64, r2 float64) bool {
	r := r1 + r2
	if !(r < 180) { // NaN included
		return true
	}
	const slack = 1e-9
	d := c1[0]*c2[0] + c1[1]*c2[1] + c1[2]*c2[2]
	return d >= math.Cos(r*math.Pi/180)-slack
}

// alertSub is an alert subscription (criteria.alerts alone) with the
// centres of its cone regions as unit vectors.
type alertSub struct {
	*Subscription
	cones [][3]float64 // by region; unused for a polygon
}

func newAlertSub(s *Subscription) *alertSub {
	as := &alertSub{Subscription: s}
	if c := s.Criteria.Alerts; c != nil {
		for _, r := range c.Regions {
			as.cones = append(as.cones, unitVector(r.RA, r.Dec))
		}
	}
	return as
}

// mayMatch rules out, by the alert's bounding circle, a subscription none
// of whose cones can meet the localization; alertMatches decides the rest.
func (as *alertSub) mayMatch(k *keptAlert) bool {
	c := as.Criteria.Alerts
	if c == nil || len(c.Regions) == 0 || !k.bounded {
		return true
	}
	for i, r := range c.Regions {
		if r.IsPolygon() || capsMeet(k.centre, k.radius, as.cones[i], max(r.Radius, 0)) {
			return true
		}
	}
	return false
}

// unitVector is the ICRS unit vector of (ra, dec) in degrees.
func unitVector(ra, dec float64) [3]float64 {
	sa, ca := math.Sincos(ra * math.Pi / 180)
	sd, cd := math.Sincos(dec * math.Pi / 180)
	return [3]float64{cd * ca, cd * sa, sd}
}

// try appends the coincidence of a and al for s, when there is one that
// has not fired yet. The caller has checked that a's field of view meets
// al's localization.
func (x *Coincidences) try(out []CoincidenceMatch, s *Subscription, a *activities.Activity, al *alerts.Alert) []CoincidenceMatch {
	co := s.Criteria.Coincidence
	if co == nil || al.Localization == nil || !alertMatches(s.Criteria.Alerts, al) {
		return out
	}
	k := subActivity{s.ID, a.ID}
	if x.fired[al.ID][k] {
		return out
	}
	delta := gap(a.Start, a.End, al.TriggerTime)
	if delta > time.Duration(co.WithinS*float64(time.Second)) {
		return out
	}
	ra, dec, _ := a.Target.Position()
	x.markFired(al.ID, k)
	return append(out, CoincidenceMatch{Subscription: s, Activity: a, Alert: al, Delta: delta,
		Separation: astro.Separation(astro.Deg(ra), astro.Deg(dec), astro.Deg(al.Localization.RA), astro.Deg(al.Localization.Dec)).Deg()})
}

// gap is how far t lies outside [start, end] (end zero: the instant start).
func gap(start, end, t time.Time) time.Duration {
	if end.IsZero() || end.Before(start) {
		end = start
	}
	switch {
	case t.Before(start):
		return start.Sub(t)
	case t.After(end):
		return t.Sub(end)
	}
	return 0
}

// alertMatches applies criteria.alerts (nil matches every alert that is
// not a test).
func alertMatches(c *AlertCriteria, al *alerts.Alert) bool {
	if al.Status == alerts.StatusRetracted {
		return false
	}
	if c == nil {
		return !al.Test
	}
	if al.Test && !c.IncludeTests {
		return false
	}
	if len(c.Missions) > 0 && !containsFold(c.Missions, al.Mission) {
		return false
	}
	if len(c.EventTypes) > 0 && !containsFold(c.EventTypes, al.EventType) {
		return false
	}
	if len(c.Regions) == 0 {
		return true
	}
	if al.Localization == nil {
		return false
	}
	for _, r := range c.Regions {
		if r.IsPolygon() {
			p := alerts.Localization{Shape: alerts.Polygon, Vertices: r.Polygon}
			if p.Contains(al.Localization.RA, al.Localization.Dec) {
				return true
			}
		} else if al.Localization.Overlaps(r.RA, r.Dec, r.Radius) {
			return true
		}
	}
	return false
}

func containsFold(vs []string, s string) bool {
	for _, v := range vs {
		if strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// advance moves the newest time seen and forgets what fell out of the
// window behind it (twice the largest window, so that a late alert still
// meets the activities it could coincide with).
func (x *Coincidences) advance(t time.Time) {
	if !t.After(x.latest) {
		return
	}
	x.latest = t
	horizon := t.Add(-2*x.window - time.Hour)
	for id, a := range x.acts {
		end := a.End
		if end.IsZero() {
			end = a.Start
		}
		if end.Before(horizon) {
			delete(x.acts, id)
		}
	}
	for id, al := range x.alerts {
		if al.TriggerTime.Before(horizon) {
			delete(x.alerts, id)
			delete(x.fired, id)
		}
	}
}

// markFired records that k fired for the alert, and reports whether it is
// new.
func (x *Coincidences) markFired(alertID string, k subActivity) bool {
	m := x.fired[alertID]
	if m == nil {
		m = map[subActivity]bool{}
		x.fired[alertID] = m
	}
	if m[k] {
		return false
	}
	m[k] = true
	return true
}

// index adds an alert subscription to byMission.
func (x *Coincidences) index(s *Subscription) {
	keys := []string{""}
	if c := s.Criteria.Alerts; c != nil && len(c.Missions) > 0 {
		keys = keys[:0]
		for _, m := range c.Missions {
			keys = append(keys, equalFoldKey(m))
		}
	}
	as := newAlertSub(s)
	for _, k := range keys {
		m := x.byMission[k]
		if m == nil {
			m = map[string]*alertSub{}
			x.byMission[k] = m
		}
		m[s.ID] = as
	}
}

// unindex removes the subscription with this ID from byMission.
func (x *Coincidences) unindex(id string) {
	old, ok := x.subs[id]
	if !ok || old.Criteria.Coincidence != nil {
		return
	}
	for k, m := range x.byMission {
		delete(m, id)
		if len(m) == 0 {
			delete(x.byMission, k)
		}
	}
}

// equalFoldKey maps s, trimmed, to a key equal for the strings strings.EqualFold
// holds equal: each rune becomes the least rune of its Unicode simple
// folding orbit.
func equalFoldKey(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
