package subscribe

import (
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
	var r results
	for _, c := range b.subs {
		c.eval(q, &r)
	}
	return r.appendTo(nil)
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
// …, 16, and under the strict ancestors of those cells at these levels; an
// activity's field of view is covered the same way, so a region and a
// field of view that overlap always meet: one's covering cell contains or
// equals the other's.
//
// Several things keep the number of memory accesses per activity small,
// as the index of a million subscriptions is far larger than any cache:
//   - a presence filter (a Bloom filter of every key in the indexes, 8 to
//     32 bits a key) answers most lookups of absent keys — the usual case
//     for programme IDs, target names and fine sky cells — without
//     touching the indexes;
//   - the indexes are open-addressing tables (postTable) in which a key and
//     its posting list share one 32-byte slot;
//   - all lookups run before any list is scanned, and every candidate is
//     loaded before any is evaluated, so that their cache misses overlap;
//   - each posting carries the subscription's kinds and a signature of its
//     instruments, so that candidates failing those are dropped while
//     scanning the list, without loading the subscription;
//   - each sky posting also carries the subscription's cone (when a single
//     cone is its only region) in single precision, so that candidates far
//     from the field of view are dropped by a chord-length comparison.
//
// A Matcher is safe for concurrent use: Add and Remove may run while Match
// runs.
type Matcher struct {
	wmu     sync.Mutex   // serializes Add and Remove
	mu      sync.RWMutex // Match reads under mu; Add and Remove write under it
	slots   []*compiled
	free    []int32
	byID    map[string]int32
	str     postTable[post] // the string indexes, keyed by strHash
	strKeys [nStringIx]int  // keys in each string index
	cover   postTable[skyPost]
	anc     postTable[skyPost]
	scan    []post
	preLens [2]map[int]int // byte lengths of programme and target prefixes in use
	lens    [2][]int
	filter  presence
	keys    int // distinct keys in the indexes
	stale   int // keys removed since the filter was last rebuilt
}

// pre is what every posting carries so that a scan can reject a
// subscription without loading it: the kinds it accepts (bit i:
// activities.Kinds[i]; 0: any) and a signature of its instruments (the
// union of one bit per instrument; 0: any).
type pre struct {
	kinds uint8
	instr uint32
}

func preOf(c *compiled) pre {
	if c.matchAll {
		return pre{}
	}
	p := pre{kinds: c.kinds}
	for _, v := range c.instruments {
		p.instr |= instrBit(v.key)
	}
	return p
}

// instrBit is the signature bit of a folded instrument name (FNV-1a).
func instrBit(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return 1 << (h >> 27)
}

// rejects reports whether the subscription certainly does not match q. It
// is exact in one direction: a subscription that matches is never
// rejected, as a matching instrument has its bit in q.instrBits.
func (p *pre) rejects(q *query) bool {
	if p.kinds != 0 && (q.kind < 0 || p.kinds&(1<<q.kind) == 0) {
		return true
	}
	return p.instr != 0 && p.instr&q.instrBits == 0
}

// post is one posting of an inverted index.
type post struct {
	slot int32
	pre
}

// skyPost is one posting of the sky index: a post and, for a subscription
// whose only sky criterion is a cone, the cone's centre and the sine and
// cosine of half its radius in single precision (sh < 0: not such a
// cone), inline so that candidates far from the field of view are
// rejected while scanning the list, without following pointers.
type skyPost struct {
	post
	x, y, z float32
	sh, ch  float32
}

func postOf(c *compiled, slot int32) skyPost {
	p := post{slot: slot, pre: preOf(c)}
	if c.matchAll || len(c.regions) != 1 || !c.regions[0].cone {
		return skyPost{post: p, sh: -1}
	}
	r := &c.regions[0]
	return skyPost{p, float32(r.center.X), float32(r.center.Y), float32(r.center.Z), float32(r.sh), float32(r.ch)}
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
	return dx*dx+dy*dy+dz*dz > (lim+1e-6)*(lim+1e-6)
}

// withoutSlot removes the posting of slot from list.
func withoutSlot[P interface{ slotOf() int32 }](list []P, slot int32) []P {
	for i := range list {
		if list[i].slotOf() == slot {
			list[i] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

func (p post) slotOf() int32    { return p.slot }
func (p skyPost) slotOf() int32 { return p.slot }

// NewMatcher returns an empty indexed matcher.
func NewMatcher() *Matcher {
	m := &Matcher{byID: map[string]int32{}}
	m.preLens[0], m.preLens[1] = map[int]int{}, map[int]int{}
	m.filter.reset(0)
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

// anchor calls f for each place c is filed. It is deterministic, so
// that Remove finds the places again without storing them.
func anchor(c *compiled, f func(entry)) {
	var seen [16]entry
	es := seen[:0]
	add := func(ix int, k string) {
		for _, e := range es {
			if int(e.ix) == ix && e.skey == k {
				return
			}
		}
		e := entry{ix: uint8(ix), skey: k}
		es = append(es, e)
		f(e)
	}
	switch {
	case len(c.progs) > 0:
		for i := range c.progs {
			if c.progs[i].isPrefix() {
				add(ixProgPrefix, c.progs[i].key)
			} else {
				add(ixProgramme, c.progs[i].key)
			}
		}
	case len(c.targets) > 0 && !slices.ContainsFunc(c.targets, func(g glob) bool { return g.prefix == "" }):
		for _, g := range c.targets {
			if g.literal {
				add(ixTarget, g.prefix)
			} else {
				add(ixTargetPrefix, g.prefix)
			}
		}
	case len(c.observers) > 0:
		for _, o := range c.observers {
			for _, k := range o.keys {
				add(ixObserver, k.surname)
			}
		}
	case len(c.regions) > 0:
		skyAnchor(c, f)
	case len(c.instruments) > 0:
		for _, v := range c.instruments {
			add(ixInstrument, v.key)
		}
	case c.has&hasFacilities != 0:
		for _, v := range c.rare.facilities {
			add(ixFacility, v.key)
		}
	case c.has&hasSources != 0:
		for _, v := range c.rare.sources {
			add(ixSource, v.key)
		}
	case c.kinds != 0:
		for i, k := range activities.Kinds() {
			if c.kinds&(1<<i) != 0 {
				add(ixKind, string(k))
			}
		}
	default:
		f(entry{ix: ixScan})
	}
}

// skyAnchor calls f for the covering cells of c's regions and for their
// strict ancestors at indexed levels, each once.
func skyAnchor(c *compiled, f func(entry)) {
	var buf [64]s2.CellID
	cov := buf[:0]
	for i := range c.regions {
		for _, cell := range c.regions[i].cells() {
			if !slices.Contains(cov, cell) {
				cov = append(cov, cell)
				f(entry{ix: ixSkyCover, ckey: uint64(cell)})
			}
		}
	}
	var abuf [64]s2.CellID
	anc := abuf[:0]
	for _, cell := range cov {
		for l := allowedLevel(cell.Level()) - skyLevelMod; l >= skyMinLevel; l -= skyLevelMod {
			a := cell.Parent(l)
			if slices.Contains(anc, a) {
				break // and so are its ancestors
			}
			anc = append(anc, a)
			f(entry{ix: ixSkyAncestor, ckey: uint64(a)})
		}
	}
}

// Add implements [Index].
//
// When an index table or the presence filter must grow, Add does that work
// while Match keeps running and holds the lock that stops Match only to
// install the result, so that adding subscriptions does not stall
// matching.
func (m *Matcher) Add(s *Subscription) error {
	c, err := compile(s)
	if err != nil {
		return err
	}
	var es []entry
	var nCover, nAnc, nStr int
	anchor(c, func(e entry) {
		es = append(es, e)
		switch e.ix {
		case ixSkyCover:
			nCover++
		case ixSkyAncestor:
			nAnc++
		case ixScan:
		default:
			nStr++
		}
	})
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.reserve(nCover, nAnc, nStr)
	m.mu.Lock()
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
	sp := postOf(c, slot)
	for _, e := range es {
		switch e.ix {
		case ixSkyCover, ixSkyAncestor:
			tab, cell := m.skyTable(e.ix), s2.CellID(e.ckey)
			l, added := tab.ref(uint64(cell))
			*l = append(*l, sp)
			if added {
				m.keyAdded(cellHash(e.ix, cell))
			}
		case ixScan:
			m.scan = append(m.scan, sp.post)
		default:
			h := strHash(e.ix, e.skey)
			l, added := m.str.ref(h)
			*l = append(*l, sp.post)
			if added {
				m.strKeys[e.ix]++
				m.keyAdded(h)
			}
			if e.ix == ixProgPrefix || e.ix == ixTargetPrefix {
				m.addLen(e.ix, len(e.skey), 1)
			}
		}
	}
	m.mu.Unlock()
	m.refilterIfStale()
	return nil
}

// reserve makes room for up to nCover, nAnc and nStr new keys in the sky
// and string indexes and in the presence filter, and for one more slot.
// What must grow is built under the read lock, while Match keeps running
// (the caller holds wmu, so nothing changes meanwhile), then installed
// under the write lock.
func (m *Matcher) reserve(nCover, nAnc, nStr int) {
	m.mu.RLock()
	cover, anc, str := m.cover.grown(nCover), m.anc.grown(nAnc), m.str.grown(nStr)
	var f *presence
	if n := nCover + nAnc + nStr; m.filter.full(m.keys + m.stale + n) {
		f = m.newFilter(m.keys + n)
	}
	var slots []*compiled
	if len(m.free) == 0 && len(m.slots) == cap(m.slots) {
		slots = make([]*compiled, len(m.slots), max(64, 2*cap(m.slots)))
		copy(slots, m.slots)
	}
	m.mu.RUnlock()
	if cover == nil && anc == nil && str == nil && f == nil && slots == nil {
		return
	}
	m.mu.Lock()
	if cover != nil {
		m.cover.slots = cover
	}
	if anc != nil {
		m.anc.slots = anc
	}
	if str != nil {
		m.str.slots = str
	}
	if f != nil {
		m.filter, m.stale = *f, 0
	}
	if slots != nil {
		m.slots = slots
	}
	m.mu.Unlock()
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
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.mu.Lock()
	slot, ok := m.byID[id]
	if ok {
		m.removeSlot(slot)
	}
	m.mu.Unlock()
	m.refilterIfStale()
	return ok
}

func (m *Matcher) removeSlot(slot int32) {
	c := m.slots[slot]
	anchor(c, func(e entry) {
		switch e.ix {
		case ixSkyCover, ixSkyAncestor:
			tab, cell := m.skyTable(e.ix), uint64(e.ckey)
			if l := withoutSlot(tab.get(cell), slot); len(l) == 0 {
				tab.del(cell)
				m.keyRemoved()
			} else {
				tab.set(cell, l)
			}
		case ixScan:
			m.scan = withoutSlot(m.scan, slot)
		default:
			h := strHash(e.ix, e.skey)
			if l := withoutSlot(m.str.get(h), slot); len(l) == 0 {
				if m.str.del(h) {
					m.strKeys[e.ix]--
					m.keyRemoved()
				}
			} else {
				m.str.set(h, l)
			}
			if e.ix == ixProgPrefix || e.ix == ixTargetPrefix {
				m.addLen(e.ix, len(e.skey), -1)
			}
		}
	})
	delete(m.byID, c.sub.ID)
	m.slots[slot] = nil
	m.free = append(m.free, slot)
}

// skyTable is the sky index of entry kind ix (ixSkyCover or ixSkyAncestor).
func (m *Matcher) skyTable(ix uint8) *postTable[skyPost] {
	if ix == ixSkyAncestor {
		return &m.anc
	}
	return &m.cover
}

// keyAdded records a new key of the indexes in the presence filter,
// rebuilding the filter larger when it fills up.
func (m *Matcher) keyAdded(h uint64) {
	m.keys++
	if m.filter.full(m.keys + m.stale) {
		// reserve has made room; this is a safety net.
		m.filter = *m.newFilter(m.keys) // from the indexes, which hold the new key
		m.stale = 0
	}
	m.filter.add(h)
}

// keyRemoved counts a key gone from the indexes. A Bloom filter cannot
// forget a key: refilterIfStale rebuilds it once as many keys have gone as
// remain.
func (m *Matcher) keyRemoved() {
	m.keys--
	m.stale++
}

// refilterIfStale rebuilds the presence filter when as many keys have left
// the indexes since it was built as remain in them, building it under the
// read lock and installing it under the write lock. The caller holds wmu.
func (m *Matcher) refilterIfStale() {
	if m.stale <= 1024 || m.stale <= m.keys {
		return
	}
	m.mu.RLock()
	f := m.newFilter(m.keys)
	m.mu.RUnlock()
	m.mu.Lock()
	m.filter, m.stale = *f, 0
	m.mu.Unlock()
}

// newFilter returns a presence filter sized for n keys and holding those
// of the indexes. It only reads the indexes.
func (m *Matcher) newFilter(n int) *presence {
	f := new(presence)
	f.reset(n)
	m.str.each(func(h uint64, _ []post) { f.add(h) })
	m.cover.each(func(c uint64, _ []skyPost) { f.add(cellHash(ixSkyCover, s2.CellID(c))) })
	m.anc.each(func(c uint64, _ []skyPost) { f.add(cellHash(ixSkyAncestor, s2.CellID(c))) })
	return f
}

// Match implements [Index].
func (m *Matcher) Match(a *activities.Activity) []Match {
	return m.AppendMatch(nil, a)
}

// matchState is the working state of one Match.
type matchState struct {
	m    *Matcher
	q    *query
	seen []int32 // slots that matched
	res  *results
	pend [][]post // posting lists looked up, to visit
	cand []int32  // slots of the candidates the lists yield
	sink uint16   // see evalCandidates
}

// lookup queues the posting list of key in string index ix for visiting.
func (st *matchState) lookup(ix uint8, key string) {
	h := strHash(ix, key)
	if st.m.filter.has(h) {
		if l := st.m.str.get(h); len(l) > 0 {
			st.pend = append(st.pend, l)
		}
	}
}

func (st *matchState) visit(list []post) {
	for i := range list {
		if !list[i].rejects(st.q) {
			st.cand = append(st.cand, list[i].slot)
		}
	}
}

// visitSky is visit for the lists of the sky index: candidates whose cone
// certainly misses the field of view are dropped before evaluation.
func (st *matchState) visitSky(list []skyPost) {
	q := st.q
	for i := range list {
		if list[i].rejects(q) || list[i].misses(q.p, q.fsh, q.fch) {
			continue
		}
		st.cand = append(st.cand, list[i].slot)
	}
}

// evalCandidates evaluates the candidates, each once. Two passes first load
// what eval will read of every candidate: these loads do not depend on one
// another across candidates, so the processor overlaps their cache misses,
// and eval finds the subscriptions in the cache.
func (st *matchState) evalCandidates() {
	deduped := len(st.cand) > 64
	if deduped {
		// Many candidates (broad subscriptions, a wide field of view):
		// drop the repeats up front rather than searching st.seen for each,
		// which would cost the square of the number of matches.
		slices.Sort(st.cand)
		st.cand = slices.Compact(st.cand)
	}
	slots := st.m.slots
	var x uint16
	for _, s := range st.cand {
		x ^= slots[s].has
	}
	// A second pass loads the first value of the criteria eval compares
	// byte by byte or point by point.
	for _, s := range st.cand {
		c := slots[s]
		if len(c.instruments) > 0 && c.instruments[0].key != "" {
			x ^= uint16(c.instruments[0].key[0])
		}
		if len(c.targets) > 0 && c.targets[0].prefix != "" {
			x ^= uint16(c.targets[0].prefix[0])
		}
		if len(c.regions) > 0 {
			x ^= uint16(len(c.regions[0].label))
		}
	}
	st.sink = x
	for _, s := range st.cand {
		if !deduped && slices.Contains(st.seen, s) {
			continue
		}
		if slots[s].eval(st.q, st.res) && !deduped {
			st.seen = append(st.seen, s)
		}
	}
}

// matchScratch is the per-call working memory of AppendMatch, reused
// through scratchPool so that matching allocates only its result.
type matchScratch struct {
	q     query
	seen  []int32
	res   results
	cells []s2.CellID
	done  []s2.CellID
	lists [][]skyPost
	pend  [][]post
	cand  []int32
	sink  uint16
}

var scratchPool = sync.Pool{New: func() any {
	return &matchScratch{seen: make([]int32, 0, 16), res: results{hits: make([]hit, 0, 16), reasons: make([]Reason, 0, 32)},
		cells: make([]s2.CellID, 0, 9), done: make([]s2.CellID, 0, 40), lists: make([][]skyPost, 0, 40), pend: make([][]post, 0, 16), cand: make([]int32, 0, 32)}
}}

// AppendMatch appends the matches of a to dst and returns it.
func (m *Matcher) AppendMatch(dst []Match, a *activities.Activity) []Match {
	sc := scratchPool.Get().(*matchScratch)
	q := &sc.q
	q.init(a)
	// All lookups come first, then the scans of the lists found: the
	// lookups do not depend on one another, so the processor overlaps
	// their cache misses.
	st := matchState{m: m, q: q, seen: sc.seen[:0], res: &sc.res, pend: sc.pend[:0], cand: sc.cand[:0]}
	m.mu.RLock()
	defer func() {
		m.mu.RUnlock()
		q.a, q.observers = nil, nil
		sc.seen = st.seen[:0]
		sc.res.reset()
		scratchPool.Put(sc)
	}()
	if q.programme != "" {
		st.lookup(ixProgramme, q.programme)
		for _, l := range m.lens[0] {
			if l > len(q.programme) {
				break
			}
			st.lookup(ixProgPrefix, q.programme[:l])
		}
	}
	if q.target != "" {
		st.lookup(ixTarget, q.target)
		for _, l := range m.lens[1] {
			if l > len(q.target) {
				break
			}
			st.lookup(ixTargetPrefix, q.target[:l])
		}
	}
	var obs []nameKey
	if m.strKeys[ixObserver] > 0 {
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
			st.lookup(ixObserver, k.surname)
		}
	}
	if q.hasPos && (m.cover.len() > 0 || m.anc.len() > 0) {
		// Small fields of view take the untested neighbours; for large ones
		// testing them saves more candidates than it costs.
		cells := capCells(sc.cells[:0], q.leaf, q.p, q.fov, q.fov > 0.05*deg)
		sc.cells = cells
		done, lists := sc.done[:0], sc.lists[:0]
		for _, c := range cells {
			// Regions whose covering cells lie strictly inside c.
			if m.filter.has(cellHash(ixSkyAncestor, c)) {
				if l := m.anc.get(uint64(c)); len(l) > 0 {
					lists = append(lists, l)
				}
			}
			// Regions whose covering cells contain or equal c.
			for l := allowedLevel(c.Level()); l >= skyMinLevel; l -= skyLevelMod {
				p := c.Parent(l)
				if slices.Contains(done, p) {
					continue
				}
				done = append(done, p)
				if m.filter.has(cellHash(ixSkyCover, p)) {
					if l := m.cover.get(uint64(p)); len(l) > 0 {
						lists = append(lists, l)
					}
				}
			}
		}
		sc.done, sc.lists = done[:0], lists
	}
	if q.instrument != "" {
		st.lookup(ixInstrument, q.instrument)
		if q.instrumentHead != q.instrument {
			st.lookup(ixInstrument, q.instrumentHead)
		}
	}
	st.lookup(ixFacility, q.facility)
	st.lookup(ixSource, q.source)
	if q.kind >= 0 {
		st.lookup(ixKind, string(a.Kind))
	}
	for _, l := range st.pend {
		st.visit(l)
	}
	for _, l := range sc.lists {
		st.visitSky(l)
	}
	clear(st.pend)
	clear(sc.lists)
	sc.pend, sc.lists = st.pend[:0], sc.lists[:0]
	st.visit(m.scan)
	st.evalCandidates()
	sc.cand, sc.sink = st.cand[:0], st.sink // stored, so that the loads are not optimized away
	return st.res.appendTo(dst)
}
