package subscribe

import (
	"math"
	"slices"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/golang/geo/s2"
)

// Index is what both matchers implement.
type Index interface {
	// Add validates s and adds it, replacing a subscription with the same ID.
	Add(s *Subscription) error
	// Remove removes the subscription with this ID and reports whether it
	// was there.
	Remove(id string) bool
	// Match returns the subscriptions a matches, in no particular order.
	Match(a *activities.Activity) []Match
	// Len is the number of subscriptions.
	Len() int
	// Get returns the subscription with this ID, or nil.
	Get(id string) *Subscription
}

// BruteForce matches by checking every subscription in turn. It is the
// oracle the indexed [Matcher] is tested against. It is safe for
// concurrent use.
type BruteForce struct {
	mu   sync.RWMutex
	subs map[string]*compiled
}

// NewBruteForce returns an empty brute-force matcher.
func NewBruteForce() *BruteForce { return &BruteForce{subs: map[string]*compiled{}} }

// Add implements [Index].
func (b *BruteForce) Add(s *Subscription) error {
	c, err := compile(s)
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.subs[s.ID] = c
	b.mu.Unlock()
	return nil
}

// Remove implements [Index].
func (b *BruteForce) Remove(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.subs[id]
	delete(b.subs, id)
	return ok
}

// Get implements [Index].
func (b *BruteForce) Get(id string) *Subscription {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if c := b.subs[id]; c != nil {
		return c.sub
	}
	return nil
}

// Len implements [Index].
func (b *BruteForce) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs)
}

// Match implements [Index].
func (b *BruteForce) Match(a *activities.Activity) []Match {
	q := newQuery(a)
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []Match
	for _, c := range b.subs {
		if rs, ok := c.eval(q, nil); ok {
			out = append(out, Match{Subscription: c.sub, Reasons: rs})
		}
	}
	return out
}

// The inverted indexes a subscription can be filed under.
const (
	ixProgramme = iota
	ixProgPrefix
	ixTarget
	ixTargetPrefix
	ixObserver
	ixInstrument
	ixFacility
	ixSource
	ixKind
	nStringIx
	ixSkyCover = nStringIx + iota - nStringIx
	ixSkyAncestor
	ixScan
)

// entry is one place a subscription is filed.
type entry struct {
	ix   uint8
	skey string
	ckey uint64
}

// Matcher is the indexed matcher. Each subscription is filed under one of
// its criteria (its anchor), chosen in this order of selectivity:
// programmes, targets (exact or with a literal prefix), observers (by
// surname), sky regions (S2 cells), instruments, facilities, sources,
// kinds; subscriptions with none of these (time windows only, targets
// starting with a wildcard, match_all) are checked for every activity.
// Match looks up the activity's keys in these indexes and checks every
// criterion of each candidate, so it returns exactly what [BruteForce]
// returns.
//
// Sky regions are filed under the S2 cells of a covering at levels 0, 2,
// …, 16, both as covering cells and as ancestors of covering cells; an
// activity's field of view is covered the same way, so a region and a
// field of view that overlap always share a term. Each sky posting carries
// the subscription's cone (when a single cone is its only region) so that
// candidates far from the field of view are dropped by a chord-length
// comparison before their criteria are checked.
//
// A Matcher is safe for concurrent use: Add and Remove may run while Match
// runs.
type Matcher struct {
	mu      sync.RWMutex
	slots   []*compiled
	free    []int32
	byID    map[string]int32
	str     [nStringIx]map[string][]int32
	cover   map[s2.CellID][]skyPost
	anc     map[s2.CellID][]skyPost
	scan    []int32
	preLens [2]map[int]int // byte lengths of programme and target prefixes in use
	lens    [2][]int
}

// skyPost is one posting of the sky index: the slot and, for a
// subscription whose only sky criterion is a cone, the cone's centre and
// the sine and cosine of half its radius in single precision (sh < 0:
// not such a cone), inline so that candidates far from the field of view
// are rejected while scanning the list, without following pointers.
type skyPost struct {
	slot    int32
	x, y, z float32
	sh, ch  float32
}

func postOf(c *compiled, slot int32) skyPost {
	if c.matchAll || len(c.regions) != 1 || !c.regions[0].cone {
		return skyPost{slot: slot, sh: -1}
	}
	r := &c.regions[0]
	return skyPost{slot, float32(r.center.X), float32(r.center.Y), float32(r.center.Z), float32(r.sh), float32(r.ch)}
}

// misses reports whether the posting's cone certainly misses the field of
// view around p (fsh, fch: sine and cosine of half its radius). Like
// coneMisses, with an absolute margin of 1e-6 (0.2″) covering the
// single-precision rounding of the posting (below 2e-7).
func (sp *skyPost) misses(p s2.Point, fsh, fch float64) bool {
	if sp.sh < 0 {
		return false
	}
	sh, ch := float64(sp.sh), float64(sp.ch)
	if ch*fch-sh*fsh <= 1e-6 { // radius + fov near or above 180°
		return false
	}
	lim := 2 * (sh*fch + ch*fsh)
	dx, dy, dz := p.X-float64(sp.x), p.Y-float64(sp.y), p.Z-float64(sp.z)
	return math.Sqrt(dx*dx+dy*dy+dz*dz) > lim+1e-6
}

func withoutPost(list []skyPost, slot int32) []skyPost {
	for i := range list {
		if list[i].slot == slot {
			list[i] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

// NewMatcher returns an empty indexed matcher.
func NewMatcher() *Matcher {
	m := &Matcher{byID: map[string]int32{}, cover: map[s2.CellID][]skyPost{}, anc: map[s2.CellID][]skyPost{}}
	for i := range m.str {
		m.str[i] = map[string][]int32{}
	}
	m.preLens[0], m.preLens[1] = map[int]int{}, map[int]int{}
	return m
}

// Get implements [Index].
func (m *Matcher) Get(id string) *Subscription {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if slot, ok := m.byID[id]; ok {
		return m.slots[slot].sub
	}
	return nil
}

// Len implements [Index].
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.byID)
}

// anchor chooses where c is filed.
func anchor(c *compiled) []entry {
	var es []entry
	add := func(ix int, k string) {
		for _, e := range es {
			if int(e.ix) == ix && e.skey == k {
				return
			}
		}
		es = append(es, entry{ix: uint8(ix), skey: k})
	}
	switch {
	case len(c.progExact)+len(c.progPrefix) > 0:
		for _, p := range c.progExact {
			add(ixProgramme, p)
		}
		for _, p := range c.progPrefix {
			add(ixProgPrefix, p)
		}
		return es
	case len(c.targets) > 0 && !slices.ContainsFunc(c.targets, func(g *glob) bool { return g.prefix == "" }):
		for _, g := range c.targets {
			if g.literal {
				add(ixTarget, g.prefix)
			} else {
				add(ixTargetPrefix, g.prefix)
			}
		}
		return es
	case len(c.observers) > 0:
		for _, o := range c.observers {
			for _, k := range o.keys {
				add(ixObserver, k.surname)
			}
		}
		return es
	case len(c.regions) > 0:
		var cov, anc []s2.CellID
		for i := range c.regions {
			for _, cell := range c.regions[i].cells() {
				if !slices.Contains(cov, cell) {
					cov = append(cov, cell)
				}
				for l := allowedLevel(cell.Level()); l >= skyMinLevel; l -= skyLevelMod {
					if a := cell.Parent(l); !slices.Contains(anc, a) {
						anc = append(anc, a)
					}
				}
			}
		}
		es = make([]entry, 0, len(cov)+len(anc))
		for _, cell := range cov {
			es = append(es, entry{ix: ixSkyCover, ckey: uint64(cell)})
		}
		for _, cell := range anc {
			es = append(es, entry{ix: ixSkyAncestor, ckey: uint64(cell)})
		}
		return es
	case len(c.instruments) > 0:
		for _, v := range c.instruments {
			add(ixInstrument, v)
		}
		return es
	case len(c.facilities) > 0:
		for _, v := range c.facilities {
			add(ixFacility, v)
		}
		return es
	case len(c.sources) > 0:
		for _, v := range c.sources {
			add(ixSource, v)
		}
		return es
	case c.kinds != 0:
		for i, k := range activities.Kinds {
			if c.kinds&(1<<i) != 0 {
				add(ixKind, string(k))
			}
		}
		return es
	}
	return []entry{{ix: ixScan}}
}

// Add implements [Index].
func (m *Matcher) Add(s *Subscription) error {
	c, err := compile(s)
	if err != nil {
		return err
	}
	c.entries = anchor(c)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.byID[s.ID]; ok {
		m.removeSlot(old)
	}
	var slot int32
	if n := len(m.free); n > 0 {
		slot = m.free[n-1]
		m.free = m.free[:n-1]
		m.slots[slot] = c
	} else {
		slot = int32(len(m.slots))
		m.slots = append(m.slots, c)
	}
	c.slot = slot
	m.byID[s.ID] = slot
	post := postOf(c, slot)
	for _, e := range c.entries {
		switch e.ix {
		case ixSkyCover:
			m.cover[s2.CellID(e.ckey)] = append(m.cover[s2.CellID(e.ckey)], post)
		case ixSkyAncestor:
			m.anc[s2.CellID(e.ckey)] = append(m.anc[s2.CellID(e.ckey)], post)
		case ixScan:
			m.scan = append(m.scan, slot)
		default:
			m.str[e.ix][e.skey] = append(m.str[e.ix][e.skey], slot)
			if e.ix == ixProgPrefix || e.ix == ixTargetPrefix {
				m.addLen(e.ix, len(e.skey), 1)
			}
		}
	}
	return nil
}

func (m *Matcher) addLen(ix uint8, n, d int) {
	i := 0
	if ix == ixTargetPrefix {
		i = 1
	}
	m.preLens[i][n] += d
	if m.preLens[i][n] <= 0 {
		delete(m.preLens[i], n)
	}
	if (d > 0 && m.preLens[i][n] == 1) || (d < 0 && m.preLens[i][n] == 0) {
		m.lens[i] = m.lens[i][:0]
		for l := range m.preLens[i] {
			m.lens[i] = append(m.lens[i], l)
		}
		slices.Sort(m.lens[i])
	}
}

// Remove implements [Index].
func (m *Matcher) Remove(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	slot, ok := m.byID[id]
	if ok {
		m.removeSlot(slot)
	}
	return ok
}

func without(list []int32, slot int32) []int32 {
	for i, s := range list {
		if s == slot {
			list[i] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

func (m *Matcher) removeSlot(slot int32) {
	c := m.slots[slot]
	for _, e := range c.entries {
		switch e.ix {
		case ixSkyCover, ixSkyAncestor:
			mp := m.cover
			if e.ix == ixSkyAncestor {
				mp = m.anc
			}
			if l := withoutPost(mp[s2.CellID(e.ckey)], slot); len(l) == 0 {
				delete(mp, s2.CellID(e.ckey))
			} else {
				mp[s2.CellID(e.ckey)] = l
			}
		case ixScan:
			m.scan = without(m.scan, slot)
		default:
			if l := without(m.str[e.ix][e.skey], slot); len(l) == 0 {
				delete(m.str[e.ix], e.skey)
			} else {
				m.str[e.ix][e.skey] = l
			}
			if e.ix == ixProgPrefix || e.ix == ixTargetPrefix {
				m.addLen(e.ix, len(e.skey), -1)
			}
		}
	}
	delete(m.byID, c.sub.ID)
	m.slots[slot] = nil
	m.free = append(m.free, slot)
}

// Match implements [Index].
func (m *Matcher) Match(a *activities.Activity) []Match {
	return m.AppendMatch(nil, a)
}

// clear0 zeroes rs (so that the pool keeps no strings alive) and returns
// it empty.
func clear0(rs []Reason) []Reason {
	clear(rs[:cap(rs)])
	return rs[:0]
}

// matchState collects the results of one Match.
type matchState struct {
	m       *Matcher
	q       *query
	out     []Match
	seen    []int32
	scratch []Reason
}

func (st *matchState) visit(list []int32) {
	for _, s := range list {
		st.visit1(s)
	}
}

// visit1 evaluates the subscription in slot s unless it already matched.
func (st *matchState) visit1(s int32) {
	if slices.Contains(st.seen, s) {
		return
	}
	c := st.m.slots[s]
	rs, ok := c.eval(st.q, st.scratch[:0])
	st.scratch = rs
	if ok {
		st.seen = append(st.seen, s)
		st.out = append(st.out, Match{Subscription: c.sub, Reasons: slices.Clone(rs)})
	}
}

// matchScratch is the per-call working memory of AppendMatch, reused
// through scratchPool so that preparing an activity does not allocate.
type matchScratch struct {
	q       query
	seen    []int32
	scratch []Reason
	cells   []s2.CellID
	done    []s2.CellID
}

var scratchPool = sync.Pool{New: func() any {
	return &matchScratch{seen: make([]int32, 0, 16), scratch: make([]Reason, 0, 10),
		cells: make([]s2.CellID, 0, 9), done: make([]s2.CellID, 0, 40)}
}}

// visitSky is visit for the lists of the sky index: candidates whose cone
// certainly misses the field of view are dropped before evaluation.
func (st *matchState) visitSky(list []skyPost) {
	q := st.q
	for i := range list {
		if list[i].misses(q.p, q.fsh, q.fch) {
			continue
		}
		st.visit1(list[i].slot)
	}
}

// AppendMatch appends the matches of a to dst and returns it.
func (m *Matcher) AppendMatch(dst []Match, a *activities.Activity) []Match {
	sc := scratchPool.Get().(*matchScratch)
	q := &sc.q
	q.init(a)
	st := matchState{m: m, q: q, out: dst, seen: sc.seen[:0], scratch: sc.scratch[:0]}
	m.mu.RLock()
	defer func() {
		m.mu.RUnlock()
		q.a, q.observers = nil, nil
		sc.seen, sc.scratch = st.seen[:0], clear0(st.scratch)
		scratchPool.Put(sc)
	}()
	str := &m.str
	if q.programme != "" {
		st.visit(str[ixProgramme][q.programme])
		for _, l := range m.lens[0] {
			if l > len(q.programme) {
				break
			}
			st.visit(str[ixProgPrefix][q.programme[:l]])
		}
	}
	if q.target != "" {
		st.visit(str[ixTarget][q.target])
		for _, l := range m.lens[1] {
			if l > len(q.target) {
				break
			}
			st.visit(str[ixTargetPrefix][q.target[:l]])
		}
	}
	var obs []nameKey
	if len(str[ixObserver]) > 0 {
		obs = q.observerKeys()
	}
	for i, k := range obs {
		dup := false
		for _, o := range obs[:i] {
			if o.surname == k.surname {
				dup = true
				break
			}
		}
		if !dup {
			st.visit(str[ixObserver][k.surname])
		}
	}
	if q.hasPos && (len(m.cover) > 0 || len(m.anc) > 0) {
		// Small fields of view take the untested neighbours; for large ones
		// testing them saves more candidates than it costs.
		cells := capCells(sc.cells[:0], q.leaf, q.p, q.fov, q.fov > 0.05*deg)
		sc.cells = cells
		done := sc.done[:0]
		defer func() { sc.done = done[:0] }()
		for _, c := range cells {
			st.visitSky(m.anc[c])
			for l := allowedLevel(c.Level()); l >= skyMinLevel; l -= skyLevelMod {
				p := c.Parent(l)
				if slices.Contains(done, p) {
					continue
				}
				done = append(done, p)
				st.visitSky(m.cover[p])
			}
		}
	}
	if q.instrument != "" {
		st.visit(str[ixInstrument][q.instrument])
		if q.instrumentHead != q.instrument {
			st.visit(str[ixInstrument][q.instrumentHead])
		}
	}
	st.visit(str[ixFacility][q.facility])
	st.visit(str[ixSource][q.source])
	if q.kind >= 0 {
		st.visit(str[ixKind][string(a.Kind)])
	}
	st.visit(m.scan)
	return st.out
}
