package subscribe

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/golang/geo/s2"
)

// Reason says why a subscription matched: which of its criteria, through
// which of its values.
//
// The reasons a matcher returns for a region leave Value empty and cite
// the region instead: its label is written when the reason is encoded as
// JSON or [Reason.Text] is called, so that matching neither formats a
// label per match nor keeps one per subscription. Read the value with
// Text.
type Reason struct {
	// Criterion is "source", "kind", "facility", "instrument", "programme",
	// "observer", "target", "region", "time", "band" or "all" (match_all).
	Criterion string `json:"criterion"`
	// Value is the subscription's value that matched, as written in the
	// subscription (a region is written "cone(ra, dec, radius)" or
	// "polygon(N vertices)"); empty in a region reason a matcher returns,
	// whose Text is the region's label.
	Value string `json:"value"`
	// DistanceDeg is, for a region, the angular distance in degrees from
	// the activity's position to the cone's centre or to the polygon (0
	// inside it).
	//
	// For a region matched through one of the activity's footprints
	// rather than its field-of-view circle, it is the distance from the
	// footprint to the cone's centre (0 when the footprint holds it), or
	// 0 for a polygon (they overlap).
	DistanceDeg *float64 `json:"distance_deg,omitempty"`
	// Footprint names the activity's footprint through which a region
	// matched (its name, or "#i" for the i-th unnamed one), when the
	// circle of the activity's field of view alone does not meet the
	// region.
	Footprint string `json:"footprint,omitempty"`

	// sub and region: for a region reason of a matcher, the subscription
	// and the index of the region cited, whose label Text writes.
	sub    *Subscription
	region int
}

// Text returns the subscription's value the reason cites: Value, or for a
// region reason a matcher returned, the region's label.
func (r Reason) Text() string {
	if r.Value == "" && r.sub != nil {
		return regionLabel(r.sub, r.region)
	}
	return r.Value
}

// reasonJSON is a Reason without its methods, which MarshalJSON encodes.
type reasonJSON Reason

// MarshalJSON encodes r with its value written out (see [Reason.Text]).
func (r Reason) MarshalJSON() ([]byte, error) {
	r.Value = r.Text()
	return json.Marshal(reasonJSON(r))
}

// Match is one subscription an activity matched, with the reasons (one per
// criterion the subscription sets).
type Match struct {
	Subscription *Subscription
	Reasons      []Reason
}

type obsValue struct {
	keys []nameKey
	text string
}

// kv is a criterion value: its comparison key and the text as written
// (for the Reason), side by side so that checking a value and citing it
// read the same memory.
type kv struct {
	key, text string
}

func indexKV(vs []kv, key string) int {
	for i := range vs {
		if vs[i].key == key {
			return i
		}
	}
	return -1
}

// The criteria a compiled subscription sets (compiled.has).
const (
	hasKinds uint16 = 1 << iota
	hasSources
	hasFacilities
	hasInstruments
	hasProgrammes
	hasTime
	hasTargets
	hasObservers
	hasRegions
	hasBands
)

// compiled is a validated subscription prepared for matching. It is kept
// small (144 bytes): the criteria few subscriptions set live behind the
// rare pointer, and the fields eval reads first come first.
type compiled struct {
	sub         *Subscription
	has         uint16 // the criteria set: has* bits
	kinds       uint8  // bit i: activities.Kinds()[i]; 0: any
	matchAll    bool
	rare        *rareCriteria // nil unless sources, facilities or a time window are set
	instruments []kv
	progs       []kv // exact IDs, and prefixes (their text ends with "*")
	targets     []glob
	observers   []obsValue
	regions     []skyRegion
}

// rareCriteria are the criteria of a compiled subscription that few set.
type rareCriteria struct {
	sources    []kv
	facilities []kv
	after      time.Time
	before     time.Time
	hasAfter   bool
	hasBefore  bool
	timeLabel  string
	bands      []bandCrit
}

// bandCrit is a compiled band value: its wavelength range and its label.
type bandCrit struct {
	bp    activities.Bandpass
	label string
}

// isPrefix reports whether programme value p is a prefix ("0104.D-*").
func (p *kv) isPrefix() bool { return strings.HasSuffix(p.text, "*") }

func compile(s *Subscription) (*compiled, error) {
	c := new(compiled)
	if err := compileTo(c, s); err != nil {
		return nil, err
	}
	return c, nil
}

// compileTo is compile into c, which it does not keep: a caller that only
// needs c while adding s keeps it off the heap.
func compileTo(c *compiled, s *Subscription) error {
	if err := s.Validate(); err != nil {
		if s.ID != "" {
			return fmt.Errorf("subscription %q: %w", s.ID, err)
		}
		return fmt.Errorf("subscription: %w", err)
	}
	if s.Criteria.Alerts != nil || s.Criteria.Coincidence != nil {
		return fmt.Errorf("subscription %q: %w", s.ID, ErrCoincidenceCriteria)
	}
	*c = compiled{sub: s, matchAll: s.MatchAll}
	cr := &s.Criteria
	keys := func(vs []string) []kv {
		if len(vs) == 0 {
			return nil
		}
		out := make([]kv, len(vs))
		for i, v := range vs {
			out[i] = kv{foldKey(v), v}
		}
		return out
	}
	if len(cr.Sources)+len(cr.Facilities)+len(cr.Bands) > 0 || cr.After != nil || cr.Before != nil {
		r := &rareCriteria{sources: keys(cr.Sources), facilities: keys(cr.Facilities)}
		for _, b := range cr.Bands {
			bp, label, err := b.Bandpass()
			if err != nil { // Validate refuses it first
				return fmt.Errorf("subscription %q: band: %w", s.ID, err)
			}
			r.bands = append(r.bands, bandCrit{bp, label})
		}
		if len(r.bands) > 0 {
			c.has |= hasBands
		}
		if cr.After != nil {
			r.after, r.hasAfter = *cr.After, true
		}
		if cr.Before != nil {
			r.before, r.hasBefore = *cr.Before, true
		}
		if r.hasAfter || r.hasBefore {
			r.timeLabel = r.timeText()
			c.has |= hasTime
		}
		if len(r.sources) > 0 {
			c.has |= hasSources
		}
		if len(r.facilities) > 0 {
			c.has |= hasFacilities
		}
		c.rare = r
	}
	for _, k := range cr.Kinds {
		c.kinds |= 1 << activities.KindRank(k)
	}
	c.instruments = keys(cr.Instruments)
	if len(cr.Programmes) > 0 {
		c.progs = make([]kv, len(cr.Programmes))
		for i, v := range cr.Programmes {
			t := strings.TrimSpace(v) // Validate allows "*" only at the end
			c.progs[i] = kv{programmeKey(strings.TrimSuffix(t, "*")), t}
		}
	}
	for _, v := range cr.Observers {
		c.observers = append(c.observers, obsValue{keys: parseName(v), text: v})
	}
	if len(cr.Targets) > 0 {
		c.targets = make([]glob, 0, len(cr.Targets))
	}
	for _, v := range cr.Targets {
		g, err := compileGlob(v)
		if err != nil {
			return fmt.Errorf("subscription %q: target %q: %w", s.ID, v, err)
		}
		c.targets = append(c.targets, g)
	}
	for _, r := range cr.Regions {
		sr, err := compileRegion(r)
		if err != nil {
			return fmt.Errorf("subscription %q: region: %w", s.ID, err)
		}
		c.regions = append(c.regions, sr)
	}
	for _, cr := range [...]struct {
		n   int
		bit uint16
	}{{int(c.kinds), hasKinds}, {len(c.instruments), hasInstruments}, {len(c.progs), hasProgrammes},
		{len(c.observers), hasObservers}, {len(c.targets), hasTargets}, {len(c.regions), hasRegions}} {
		if cr.n > 0 {
			c.has |= cr.bit
		}
	}
	return nil
}

// query is an activity prepared for matching: its keys computed once.
type query struct {
	a              *activities.Activity
	source         string
	kind           int
	facility       string
	instrument     string
	instrumentHead string
	instrBits      uint32 // instrBit of instrument and instrumentHead
	facBits        uint16 // facBit of facility
	progBits       uint8  // progBits of programme
	programme      string
	observers      []nameKey // see observerKeys
	obsDone        bool
	obsBuf         [6]nameKey // backing store of observers for the usual few names
	target         string
	hasPos         bool // the target's position is known: p, leaf, fov
	p              s2.Point
	leaf           s2.CellID
	fov            float64 // radians
	fsh, fch       float64 // sine and cosine of fov/2
	start, end     time.Time
	// foot are the activity's footprints that are simple polygons.
	foot []footLoop
	// The cap the sky index is searched with: the field-of-view circle,
	// widened to hold every footprint (hasSky: there is one).
	hasSky   bool
	lp       s2.Point
	lleaf    s2.CellID
	lfov     float64
	lsh, lch float64
}

// footLoop is one footprint of an activity, as an S2 loop.
type footLoop struct {
	loop  *s2.Loop
	label string
}

func newQuery(a *activities.Activity) *query {
	q := new(query)
	q.init(a)
	return q
}

// init prepares q for matching a, without allocating for ASCII names.
func (q *query) init(a *activities.Activity) {
	*q = query{
		a:          a,
		source:     foldKey(a.Source),
		kind:       activities.KindRank(a.Kind),
		facility:   foldKey(a.Facility),
		instrument: foldKey(a.Instrument),
		programme:  programmeKey(a.Programme.ID),
		start:      a.Start,
		end:        a.End,
	}
	q.instrumentHead = q.instrument
	if h, _, ok := strings.Cut(q.instrument, "/"); ok {
		q.instrumentHead = strings.TrimSpace(h)
	}
	q.instrBits = instrBit(q.instrument) | instrBit(q.instrumentHead)
	q.facBits = facBit(q.facility)
	q.progBits = progBits(q.programme)
	if a.Target.Name != "" {
		q.target = targetKey(a.Target.Name)
	}
	if ra, dec, ok := a.Target.Position(); ok && finite(ra) && finite(dec) && dec >= -90 && dec <= 90 {
		q.hasPos = true
		ll := s2.LatLngFromDegrees(dec, ra)
		q.p = s2.PointFromLatLng(ll)
		q.leaf = s2.CellIDFromLatLng(ll)
		if f := a.Target.FOVRadius; finite(f) && f > 0 {
			q.fov = min(f, 180) * deg
		}
		q.fsh, q.fch = math.Sincos(q.fov / 2)
	}
	if q.end.IsZero() || q.end.Before(q.start) {
		q.end = q.start
	}
	q.hasSky, q.lp, q.lleaf, q.lfov, q.lsh, q.lch = q.hasPos, q.p, q.leaf, q.fov, q.fsh, q.fch
	if len(a.Footprints) > 0 {
		q.initFootprints(a.Footprints)
	}
}

// initFootprints compiles the footprints (skipping those that are not
// simple polygons) and widens the search cap to hold them: centred on the
// target's position, or on the first footprint without one.
func (q *query) initFootprints(fps []activities.Footprint) {
	for i, f := range fps {
		l, err := f.Loop()
		if err != nil {
			continue
		}
		label := f.Name
		if label == "" {
			label = "#" + strconv.Itoa(i)
		}
		q.foot = append(q.foot, footLoop{l, label})
	}
	if len(q.foot) == 0 {
		return
	}
	if !q.hasPos {
		q.lp = q.foot[0].loop.CapBound().Center()
		q.lleaf = s2.CellIDFromLatLng(s2.LatLngFromPoint(q.lp))
		q.lfov = 0
	}
	for _, f := range q.foot {
		cb := f.loop.CapBound()
		// A margin so that rounding never leaves a footprint's edge
		// outside the cap.
		r := angle(q.lp, cb.Center()) + cb.Radius().Radians()
		q.lfov = max(q.lfov, r*(1+1e-9)+1e-12)
	}
	q.lfov = min(q.lfov, math.Pi)
	q.lsh, q.lch = math.Sincos(q.lfov / 2)
	q.hasSky = true
}

// observerKeys returns the name keys of the PI and investigators,
// computing them on first use.
func (q *query) observerKeys() []nameKey {
	if !q.obsDone {
		q.obsDone = true
		q.observers = q.obsBuf[:0]
		if q.a.Programme.PI != "" {
			q.observers = appendName(q.observers, q.a.Programme.PI)
		}
		for _, n := range q.a.Programme.Investigators {
			q.observers = appendName(q.observers, n)
		}
	}
	return q.observers
}

// results accumulates the matches of one call in scratch memory;
// appendTo copies them into memory of their own.
type results struct {
	hits    []hit
	reasons []Reason
	dists   []float64 // the distances of the region reasons, in order
}

// hit is one match: its reasons are results.reasons[lo:hi].
type hit struct {
	sub    *Subscription
	lo, hi int32
}

// distMark stands for the distance of a region reason while it is in
// scratch memory.
var distMark float64

// eval checks every criterion of c against q. When c matches it appends
// the match, with one reason per criterion, to r and returns true.
func (c *compiled) eval(q *query, r *results) bool {
	n0 := len(r.reasons)
	if !c.appendReasons(q, r) {
		return false
	}
	r.hits = append(r.hits, hit{c.sub, int32(n0), int32(len(r.reasons))})
	return true
}

// appendReasons checks every criterion of c against q. When c matches it
// appends one reason per criterion to r.reasons (and the distance of a
// region reason to r.dists) and returns true; otherwise it leaves r as it
// was.
func (c *compiled) appendReasons(q *query, r *results) bool {
	// Reasons are appended to a local copy of r.reasons, which a failure
	// leaves as it was.
	dst := r.reasons
	fail := func() bool { return false }
	if c.matchAll {
		r.reasons = append(dst, Reason{Criterion: "all", Value: "match_all"})
		return true
	}
	if c.has&hasKinds != 0 {
		if q.kind < 0 || c.kinds&(1<<q.kind) == 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "kind", Value: string(q.a.Kind)})
	}
	if c.has&hasSources != 0 {
		i := indexKV(c.rare.sources, q.source)
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "source", Value: c.rare.sources[i].text})
	}
	if c.has&hasFacilities != 0 {
		i := indexKV(c.rare.facilities, q.facility)
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "facility", Value: c.rare.facilities[i].text})
	}
	if c.has&hasInstruments != 0 {
		i := indexKV(c.instruments, q.instrument)
		if i < 0 && q.instrumentHead != q.instrument {
			i = indexKV(c.instruments, q.instrumentHead)
		}
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "instrument", Value: c.instruments[i].text})
	}
	if c.has&hasProgrammes != 0 {
		text := ""
		if q.programme != "" {
			// An exact ID first, then the first prefix that matches.
			for i := range c.progs {
				if p := &c.progs[i]; !p.isPrefix() && p.key == q.programme {
					text = p.text
					break
				}
			}
			for i := 0; i < len(c.progs) && text == ""; i++ {
				if p := &c.progs[i]; p.isPrefix() && strings.HasPrefix(q.programme, p.key) {
					text = p.text
				}
			}
		}
		if text == "" {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "programme", Value: text})
	}
	if c.has&hasTime != 0 {
		r := c.rare
		if q.start.IsZero() || (r.hasAfter && q.end.Before(r.after)) || (r.hasBefore && q.start.After(r.before)) {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "time", Value: r.timeLabel})
	}
	if c.has&hasBands != 0 {
		// An activity without a bandpass matches no band.
		bp := q.a.Bandpass
		i := -1
		if bp != nil {
			for j := range c.rare.bands {
				if c.rare.bands[j].bp.Overlaps(*bp) {
					i = j
					break
				}
			}
		}
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "band", Value: c.rare.bands[i].label})
	}
	if c.has&hasTargets != 0 {
		i := -1
		if q.target != "" {
			for j := range c.targets {
				if c.targets[j].match(q.target) {
					i = j
					break
				}
			}
		}
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "target", Value: c.targets[i].text})
	}
	if c.has&hasObservers != 0 {
		i := -1
	obs:
		for j, o := range c.observers {
			for _, sk := range o.keys {
				for _, ak := range q.observerKeys() {
					if namesMatch(sk, ak) {
						i = j
						break obs
					}
				}
			}
		}
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "observer", Value: c.observers[i].text})
	}
	if c.has&hasRegions != 0 {
		i, d, foot := regionHit(c.regions, q)
		if i < 0 {
			return fail()
		}
		r.dists = append(r.dists, d/deg)
		dst = append(dst, Reason{Criterion: "region", DistanceDeg: &distMark, Footprint: foot, sub: c.sub, region: i})
	}
	r.reasons = dst
	return true
}

// regionHit returns the index of the first of the regions rs the field of
// view of q overlaps (its circle, or one of its footprints), the distance
// to it in radians (see Reason.DistanceDeg), and the label of the
// footprint when only a footprint meets it; or -1.
func regionHit(rs []skyRegion, q *query) (int, float64, string) {
	if !q.hasSky {
		return -1, 0, ""
	}
	for j := range rs {
		if q.hasPos {
			if ok, d := rs[j].overlaps(q.p, q.fov, q.fsh, q.fch); ok {
				return j, d, ""
			}
		}
		for _, f := range q.foot {
			if ok, d := rs[j].meetsLoop(f.loop); ok {
				return j, d, f.label
			}
		}
	}
	return -1, 0, ""
}

// overlapsAny reports whether the field of view of q overlaps one of the
// regions rs, as regionHit does, without computing the distance unless a
// cone is too close to call.
func overlapsAny(rs []skyRegion, q *query) bool {
	if len(q.foot) > 0 {
		i, _, _ := regionHit(rs, q)
		return i >= 0
	}
	if !q.hasPos {
		return false
	}
	for j := range rs {
		r := &rs[j]
		if !r.cone {
			if ok, _ := r.overlaps(q.p, q.fov, q.fsh, q.fch); ok {
				return true
			}
			continue
		}
		if coneMisses(r.center.X, r.center.Y, r.center.Z, r.sh, r.ch, q.p, q.fsh, q.fch) {
			continue
		}
		if coneInside(r.center.X, r.center.Y, r.center.Z, r.sh, r.ch, q.p, q.fsh, q.fch) {
			return true
		}
		if ok, _ := r.overlaps(q.p, q.fov, q.fsh, q.fch); ok {
			return true
		}
	}
	return false
}

// appendRegionHit appends to r, after a copy of the reasons
// r.reasons[lo:hi] (those of the other criteria), the reason of the first
// of sub's regions rs the field of view of q overlaps, and the match of
// sub; it reports whether there was one.
func appendRegionHit(sub *Subscription, rs []skyRegion, q *query, r *results, lo, hi int32) bool {
	i, d, foot := regionHit(rs, q)
	if i < 0 {
		return false
	}
	n0 := len(r.reasons)
	r.reasons = append(r.reasons, r.reasons[lo:hi]...)
	r.dists = append(r.dists, d/deg)
	r.reasons = append(r.reasons, Reason{Criterion: "region", DistanceDeg: &distMark, Footprint: foot, sub: sub, region: i})
	r.hits = append(r.hits, hit{sub, int32(n0), int32(len(r.reasons))})
	return true
}

// appendTo appends the matches in r to dst, in memory of their own: one
// allocation for the reasons and one for the distances.
func (r *results) appendTo(dst []Match) []Match {
	if len(r.hits) == 0 {
		return dst
	}
	return appendResults(dst, r.hits, slices.Clone(r.reasons), slices.Clone(r.dists))
}

// appendOwned is appendTo for results whose memory no one else uses (not
// pooled): their reasons and distances are handed over rather than copied.
func (r *results) appendOwned(dst []Match) []Match {
	return appendResults(dst, r.hits, r.reasons, r.dists)
}

// appendResults appends to dst the matches hits, whose reasons are in rs
// (those whose distance is distMark take theirs from ds, in order), which
// become theirs.
func appendResults(dst []Match, hits []hit, rs []Reason, ds []float64) []Match {
	if len(hits) == 0 {
		return dst
	}
	if len(ds) > 0 {
		k := 0
		for i := range rs {
			if rs[i].DistanceDeg == &distMark {
				rs[i].DistanceDeg = &ds[k]
				k++
			}
		}
	}
	dst = slices.Grow(dst, len(hits))
	for _, h := range hits {
		// Full slice expressions: a caller appending to one match's
		// reasons must not overwrite the next match's.
		dst = append(dst, Match{Subscription: h.sub, Reasons: rs[h.lo:h.hi:h.hi]})
	}
	return dst
}

// reset empties r, dropping its references so that a pooled r keeps no
// subscription alive.
func (r *results) reset() {
	clear(r.hits)
	clear(r.reasons)
	r.hits, r.reasons, r.dists = r.hits[:0], r.reasons[:0], r.dists[:0]
}

func (r *rareCriteria) timeText() string {
	var a, b string
	if r.hasAfter {
		a = r.after.UTC().Format(time.RFC3339)
	}
	if r.hasBefore {
		b = r.before.UTC().Format(time.RFC3339)
	}
	return a + "/" + b
}
