package subscribe

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/golang/geo/s2"
)

// Reason says why a subscription matched: which of its criteria, through
// which of its values.
type Reason struct {
	// Criterion is "source", "kind", "facility", "instrument", "programme",
	// "observer", "target", "region", "time" or "all" (match_all).
	Criterion string `json:"criterion"`
	// Value is the subscription's value that matched, as written in the
	// subscription (a region is written "cone(ra, dec, radius)" or
	// "polygon(N vertices)").
	Value string `json:"value"`
	// DistanceDeg is, for a region, the angular distance in degrees from
	// the activity's position to the cone's centre or to the polygon (0
	// inside it).
	DistanceDeg *float64 `json:"distance_deg,omitempty"`
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

// compiled is a validated subscription prepared for matching.
type compiled struct {
	sub         *Subscription
	slot        int32
	sources     []string
	kinds       uint8 // bit i: activities.Kinds[i]; 0: any
	facilities  []string
	instruments []string
	progExact   []string
	progPrefix  []string
	progText    []string // as written, exact then prefixes
	observers   []obsValue
	targets     []*glob
	regions     []skyRegion
	after       time.Time
	before      time.Time
	hasAfter    bool
	hasBefore   bool
	matchAll    bool
	timeLabel   string
	ncrit       int
	entries     []entry // where the matcher indexed it
}

func compile(s *Subscription) (*compiled, error) {
	if err := s.Validate(); err != nil {
		if s.ID != "" {
			return nil, fmt.Errorf("subscription %q: %w", s.ID, err)
		}
		return nil, fmt.Errorf("subscription: %w", err)
	}
	c := &compiled{sub: s, matchAll: s.MatchAll}
	cr := &s.Criteria
	for _, v := range cr.Sources {
		c.sources = append(c.sources, foldKey(v))
	}
	for _, k := range cr.Kinds {
		c.kinds |= 1 << activities.KindRank(k)
	}
	for _, v := range cr.Facilities {
		c.facilities = append(c.facilities, foldKey(v))
	}
	for _, v := range cr.Instruments {
		c.instruments = append(c.instruments, foldKey(v))
	}
	var pre []string
	for _, v := range cr.Programmes {
		v = strings.TrimSpace(v)
		if p, ok := strings.CutSuffix(v, "*"); ok {
			c.progPrefix = append(c.progPrefix, programmeKey(p))
			pre = append(pre, v)
		} else {
			c.progExact = append(c.progExact, programmeKey(v))
			c.progText = append(c.progText, v)
		}
	}
	c.progText = append(c.progText, pre...)
	for _, v := range cr.Observers {
		c.observers = append(c.observers, obsValue{keys: parseName(v), text: v})
	}
	for _, v := range cr.Targets {
		g, err := compileGlob(v)
		if err != nil {
			return nil, fmt.Errorf("subscription %q: target %q: %w", s.ID, v, err)
		}
		c.targets = append(c.targets, g)
	}
	for _, r := range cr.Regions {
		sr, err := compileRegion(r)
		if err != nil {
			return nil, fmt.Errorf("subscription %q: region: %w", s.ID, err)
		}
		c.regions = append(c.regions, sr)
	}
	if cr.After != nil {
		c.after, c.hasAfter = *cr.After, true
	}
	if cr.Before != nil {
		c.before, c.hasBefore = *cr.Before, true
	}
	if c.hasAfter || c.hasBefore {
		c.timeLabel = c.timeText()
		c.ncrit++
	}
	for _, n := range []int{len(c.sources), int(c.kinds), len(c.facilities), len(c.instruments),
		len(c.progExact) + len(c.progPrefix), len(c.observers), len(c.targets), len(c.regions)} {
		if n > 0 {
			c.ncrit++
		}
	}
	if c.matchAll {
		c.ncrit = 1
	}
	return c, nil
}

// query is an activity prepared for matching: its keys computed once.
type query struct {
	a              *activities.Activity
	source         string
	kind           int
	facility       string
	instrument     string
	instrumentHead string
	programme      string
	observers      []nameKey // see observerKeys
	obsDone        bool
	obsBuf         [6]nameKey // backing store of observers for the usual few names
	target         string
	hasPos         bool
	p              s2.Point
	leaf           s2.CellID
	fov            float64 // radians
	fsh, fch       float64 // sine and cosine of fov/2
	start, end     time.Time
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

// eval checks every criterion of c against q, appending one reason per
// criterion to dst. It returns dst unchanged and false when c does not
// match.
func (c *compiled) eval(q *query, dst []Reason) ([]Reason, bool) {
	n0 := len(dst)
	fail := func() ([]Reason, bool) { return dst[:n0], false }
	if c.matchAll {
		return append(dst, Reason{Criterion: "all", Value: "match_all"}), true
	}
	if c.kinds != 0 {
		if q.kind < 0 || c.kinds&(1<<q.kind) == 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "kind", Value: string(q.a.Kind)})
	}
	if len(c.sources) > 0 {
		i := indexOf(c.sources, q.source)
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "source", Value: c.sub.Criteria.Sources[i]})
	}
	if len(c.facilities) > 0 {
		i := indexOf(c.facilities, q.facility)
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "facility", Value: c.sub.Criteria.Facilities[i]})
	}
	if len(c.instruments) > 0 {
		i := indexOf(c.instruments, q.instrument)
		if i < 0 && q.instrumentHead != q.instrument {
			i = indexOf(c.instruments, q.instrumentHead)
		}
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "instrument", Value: c.sub.Criteria.Instruments[i]})
	}
	if len(c.progExact)+len(c.progPrefix) > 0 {
		i := -1
		if q.programme != "" {
			i = indexOf(c.progExact, q.programme)
			if i < 0 {
				for j, p := range c.progPrefix {
					if strings.HasPrefix(q.programme, p) {
						i = len(c.progExact) + j
						break
					}
				}
			}
		}
		if i < 0 {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "programme", Value: c.progText[i]})
	}
	if c.hasAfter || c.hasBefore {
		if q.start.IsZero() || (c.hasAfter && q.end.Before(c.after)) || (c.hasBefore && q.start.After(c.before)) {
			return fail()
		}
		dst = append(dst, Reason{Criterion: "time", Value: c.timeLabel})
	}
	if len(c.targets) > 0 {
		i := -1
		if q.target != "" {
			for j, g := range c.targets {
				if g.match(q.target) {
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
	if len(c.observers) > 0 {
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
	if len(c.regions) > 0 {
		if !q.hasPos {
			return fail()
		}
		i, d := -1, 0.0
		for j := range c.regions {
			if ok, dj := c.regions[j].overlaps(q.p, q.fov, q.fsh, q.fch); ok {
				i, d = j, dj
				break
			}
		}
		if i < 0 {
			return fail()
		}
		dist := new(float64) // allocated only for a match
		*dist = d / deg
		dst = append(dst, Reason{Criterion: "region", Value: c.regions[i].label(), DistanceDeg: dist})
	}
	return dst, true
}

func (c *compiled) timeText() string {
	var a, b string
	if c.hasAfter {
		a = c.after.UTC().Format(time.RFC3339)
	}
	if c.hasBefore {
		b = c.before.UTC().Format(time.RFC3339)
	}
	return a + "/" + b
}

func indexOf(vs []string, v string) int {
	for i, x := range vs {
		if x == v {
			return i
		}
	}
	return -1
}
