package subscribe

import (
	"encoding/binary"
	"iter"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

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

// The inverted indexes a group of subscriptions can be filed under.
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

// entry is one place a group or a subscription is filed.
type entry struct {
	ix   uint8
	skey string
	ckey uint64
}

// How a subscription is filed in a Matcher (compiled.role).
const (
	// rolePlain: it sets no region; it is fanned out whenever its group's
	// criteria match.
	rolePlain uint8 = iota
	// roleConed: its regions are checked whenever its group's criteria
	// match (its group's attribute index is more selective than its sky
	// region).
	roleConed
	// roleSky: it is filed in the sky index under its regions' cells, and
	// its group's criteria are checked (once per activity for all the
	// group) when a region is reached.
	roleSky
)

// group is the subscriptions of a Matcher whose criteria are identical
// apart from their sky regions (and their delivery): the shared criteria
// are evaluated once per activity, and what matched is fanned out.
type group struct {
	// gate, pre, id and plain come first: checking a group and fanning out
	// its plain members reads them alone.
	gate  gate
	pre   pre
	id    int32
	plain []*Subscription // rolePlain members; in plainIn while they fit
	// plainIn holds the first plain members beside the group, so that
	// fanning out a small group reads no other memory.
	plainIn [2]*Subscription
	c       *compiled // the shared criteria, without regions (c.sub is nil)
	key     string
	coned   []*member // roleConed members
	// conedSky are the cones of the coned members, index for index, in
	// single precision: a scan of them rejects (or accepts) most members
	// without loading them.
	conedSky []cone32
	nSky     int // roleSky members
	// anchor is where the group is filed while it has plain or coned
	// members: the values of one of its criteria (ixScan: the list of
	// groups checked for every activity).
	anchor []entry
}

func (g *group) empty() bool { return len(g.plain)+len(g.coned)+g.nSky == 0 }

// member is a subscription filed in a Matcher: its group holds its other
// criteria.
type member struct {
	sub     *Subscription
	grp     *group
	regions []skyRegion
	gpos    int32 // index in grp.plain or grp.coned
	role    uint8 // rolePlain, roleConed or roleSky
}

// groupKey is the same for two subscriptions exactly when their criteria,
// apart from regions, are identical as written (so that the reasons cited
// are too).
func groupKey(s *Subscription) string {
	if s.MatchAll {
		return "A"
	}
	cr := &s.Criteria
	b := make([]byte, 0, 64)
	var kinds byte
	for _, k := range cr.Kinds {
		kinds |= 1 << activities.KindRank(k)
	}
	b = append(b, 'C', kinds)
	for _, vs := range [...][]string{cr.Sources, cr.Facilities, cr.Instruments, cr.Programmes, cr.Observers, cr.Targets} {
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	}
	for _, t := range [...]*time.Time{cr.After, cr.Before} {
		if t == nil {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		b = binary.AppendVarint(b, t.Unix())
		b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	}
	// Bands as written (a name or a range with its unit), so that the
	// reasons cited are the same.
	b = binary.AppendUvarint(b, uint64(len(cr.Bands)))
	for _, bd := range cr.Bands {
		b = binary.AppendUvarint(b, uint64(len(bd.Name)))
		b = append(b, bd.Name...)
		for _, f := range [...]float64{bd.MinWavelengthM, bd.MaxWavelengthM, bd.MinEnergyKeV, bd.MaxEnergyKeV, bd.MinFrequencyHz, bd.MaxFrequencyHz} {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
		}
	}
	return string(b)
}

// Matcher is the indexed matcher.
//
// Subscriptions whose criteria are identical apart from their sky regions
// form a group: the group's criteria are evaluated once per activity and
// the members fanned out, so that a popular criterion (thousands of
// "facility HST") costs one evaluation and an append per match, and the
// reasons of those criteria are computed once and shared by the matches.
//
// A subscription with a region is filed in the sky index under the S2
// cells of its regions (a covering at levels 0, 2, …, 16, and the strict
// ancestors of those cells at levels 0, 4, 8, 12; an activity's field of
// view is covered by the cell holding its centre and the neighbours it
// reaches (see queryCells) and looks up the cells containing each of its
// cells and the ancestor-index entry of each at the level rounded down to
// a multiple of 4, so a region and a field of view that overlap always
// meet); its group's criteria are checked when the region is reached.
// When its group's attribute index is more selective than its region (an
// exact programme and a wide cone), it is instead checked when the group
// matches.
//
// A group with members to fan out is filed in the inverted index of its
// most selective criterion: the one whose values cost least, a value's
// cost being the estimated probability that an activity has it times the
// number of groups filed under it. The probabilities come from the
// activities matched (a count-min sketch of their keys, one activity in
// eight), starting from priors (an exact programme, target or observer
// is rare; a kind is common). A group is filed anew when the list it is
// on doubles in length and when the number of activities sampled
// doubles. Programme and target prefixes are filed as prefixes: an
// activity looks up each prefix length in use.
//
// Match looks up the activity's keys in these indexes and checks every
// criterion of each candidate, so it returns exactly what [BruteForce]
// returns. A group's gate holds its source, facility, instrument and
// programme values as IDs (interned values, equal exactly when the values
// are), which [Matcher.AppendHits] compares with the activity's, looked up
// once: a group is checked, and admitted, without reading its criteria's
// value lists and strings.
//
// Several things keep the number of memory accesses per activity small,
// as the index of a million subscriptions is far larger than any cache:
//   - a presence filter (a Bloom filter of every key in the indexes, 8 to
//     32 bits a key) answers most lookups of absent keys without touching
//     the indexes, and neither a string index no group is filed in nor a
//     level of the sky index without keys is looked up;
//   - the indexes are open-addressing tables (postTable) in which a key and
//     its posting list share one 32-byte slot;
//   - all lookups run before any list is scanned, the first line of every
//     list is loaded before any is scanned, and every candidate is loaded
//     before any is evaluated, so that their cache misses overlap;
//   - each posting of the string indexes carries the kinds and signatures
//     of the programmes, facilities and instruments of its group (pre), so
//     that candidates failing those are dropped while scanning the list;
//   - each sky posting (24 bytes) carries the subscription's cone (when a
//     single cone is its only region) in single precision, so that
//     candidates far from the field of view are dropped, and those
//     certainly overlapping it accepted, by a chord-length comparison
//     without loading the subscription; the candidates whose cone passes
//     are then checked against their group's pre, read from a dense array
//     (gpre) in a loop of independent loads; a group keeps the cones of
//     its coned members the same way, beside them;
//   - a group keeps its gate, its pre and its first two plain members in
//     its first lines, so that checking it and fanning out a small group
//     read nothing else;
//   - a sky list of 64 postings or more, of a cell of level 6 or finer,
//     is split into buckets by the facilities, or else the instruments,
//     programmes or kinds, its subscriptions name (see skySplitMin), and an activity
//     scans only the buckets it can match: near the most popular targets,
//     most of the cones a field of view overlaps name another facility or
//     instrument;
//   - where the ancestor-index list under the field of view is too long
//     (near the most popular targets, thousands of small cones in a cell
//     several degrees wide), the field of view's cells are refined to the
//     next level of that index when that costs fewer lookups than the
//     postings it saves scanning;
//   - the members of the candidates certainly matched are loaded last, in
//     a loop of independent loads.
//
// Matches of one call whose reasons are identical (members of one group
// without regions) share the memory of their reasons: treat them as read
// only, or copy them before changing an element (appending is safe).
//
// A Matcher is safe for concurrent use: Add and Remove may run while Match
// runs.
type Matcher struct {
	wmu     sync.Mutex   // serializes Add and Remove
	mu      sync.RWMutex // Match reads under mu; Add and Remove write under it
	slots   []*member
	free    []int32
	byID    map[string]int32
	groups  []*group
	gpre    []pre // the pre of each group, by id, beside one another
	gfree   []int32
	byKey   map[string]*group
	str     postTable[post] // the string indexes of groups, keyed by strHash
	strKeys [nStringIx]int  // keys in each string index
	cover   postTable[skyPost]
	anc     postTable[skyPost]
	// skyLevels counts the keys of the cover (0) and ancestor (1) indexes
	// at each level: Match looks up no level without keys.
	skyLevels [2][s2.MaxLevel + 1]int32
	scan      []post         // groups checked for every activity
	preLens   [2]map[int]int // byte lengths of programme and target prefixes in use
	lens      [2][]int
	filter    presence
	keys      int // distinct keys in the indexes
	stale     int // keys removed since the filter was last rebuilt

	// refineMin is the length of an ancestor-index list above which Match
	// refines the cells under it (skyRefineMin; tests lower it).
	refineMin int
	// splitMin is the length from which a sky-index list may be split
	// (skySplitMin; tests lower it).
	splitMin int

	kinds []activities.Kind // activities.Kinds()
	// choices and choiceEnds are chooseAnchor's scratch memory (under wmu).
	choices    []entry
	choiceEnds []int

	// ids gives the values groups' gates hold their IDs.
	ids keyIDs

	stats     keyStats
	dirty     []uint64 // string keys whose list doubled since groups were last refiled
	revisitAt uint64   // sampled activities at which every group is refiled
}

// pre is what every posting carries so that a scan can reject a candidate
// without loading it: the kinds it accepts (bit i: activities.Kinds()[i];
// 0: any) and signatures of its programmes, facilities and instruments
// (the union of one bit per value, hashed; 0: any). A programme's bit is
// that of its first three bytes (or fewer, for a shorter ID or prefix), so
// that a prefix and the IDs it matches share it.
type pre struct {
	kinds uint8
	prog  uint8
	fac   uint16
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
	if c.has&hasFacilities != 0 {
		for _, v := range c.rare.facilities {
			p.fac |= facBit(v.key)
		}
	}
	for _, v := range c.progs {
		p.prog |= progBit(v.key[:min(3, len(v.key))])
	}
	return p
}

// fnv32 is the FNV-1a hash of s.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// instrBit is the signature bit of a folded instrument name.
func instrBit(s string) uint32 { return 1 << (fnv32(s) >> 27) }

// facBit is the signature bit of a folded facility name.
func facBit(s string) uint16 { return 1 << (fnv32(s) >> 28) }

// progBit is the signature bit of the first bytes of a programme key.
func progBit(s string) uint8 { return 1 << (fnv32(s) >> 29) }

// progBits is the union of the signature bits of the programme key's
// first 0 to 3 bytes: it has the bit of every value that matches it.
func progBits(key string) uint8 {
	var b uint8
	for l := 0; l <= min(3, len(key)); l++ {
		b |= progBit(key[:l])
	}
	return b
}

// rejects reports whether the candidate certainly does not match q. It is
// exact in one direction: a candidate that matches is never rejected, as
// a matching value has its bit in the activity's signatures.
func (p *pre) rejects(q *query) bool {
	if p.rejectsKind(q.kind) {
		return true
	}
	return (p.instr != 0 && p.instr&q.instrBits == 0) || (p.fac != 0 && p.fac&q.facBits == 0) ||
		(p.prog != 0 && p.prog&q.progBits == 0)
}

// rejectsKind reports whether the kinds p accepts leave out kind (an
// activity's activities.KindRank): exactly, unlike the signatures.
func (p *pre) rejectsKind(kind int) bool {
	return p.kinds != 0 && (kind < 0 || p.kinds&(1<<kind) == 0)
}

// post is one posting of a string index: a group, and its pre. The
// group is a pointer rather than its id, so that checking it is one cache
// miss rather than two (its pointer in Matcher.groups, then the group):
// narrow p50 1.58 against 1.66 µs, in one process.
type post struct {
	g *group
	pre
}

// skyPost is one posting of the sky index (24 bytes): the subscription's
// slot, its group and its cone, inline so that candidates far from the
// field of view, or certainly inside it, are told while scanning the list,
// without following pointers. The group's pre is read from Matcher.gpre,
// for the postings whose cone passes: a scan reads a third less than with
// the pre in each posting.
type skyPost struct {
	slot, gid int32
	cone32
}

// cone32 is, for a subscription whose only sky criterion is a cone of at
// most 90°, the cone's centre and the sine of half its radius in single
// precision (sh < 0: not such a cone; the cosine is derived from the
// sine).
type cone32 struct {
	x, y, z float32
	sh      float32
}

// cone32Of is the cone32 of the regions rs.
func cone32Of(rs []skyRegion) cone32 {
	if len(rs) != 1 || !rs[0].cone || rs[0].radius > math.Pi/2 {
		return cone32{sh: -1}
	}
	r := &rs[0]
	return cone32{float32(r.center.X), float32(r.center.Y), float32(r.center.Z), float32(r.sh)}
}

// postOf is the sky posting of the subscription in slot, of group gid,
// whose regions are rs.
func postOf(rs []skyRegion, gid, slot int32) skyPost {
	return skyPost{slot, gid, cone32Of(rs)}
}

// classify reports whether the cone certainly misses, or certainly
// overlaps, the field of view around p (fsh, fch: sine and cosine of half
// its radius); neither near the boundary, or when there is no cone. Like
// coneMisses and coneInside, with an absolute margin of 1e-6 (0.2″)
// covering the single-precision rounding (below 2e-7: the cosine of half
// a radius of at most 90° is at least 0.7, so deriving it from the
// rounded sine adds no more than the sine's own rounding).
func (sp *cone32) classify(p s2.Point, fsh, fch float64) (miss, inside bool) {
	if sp.sh < 0 {
		return false, false
	}
	sh := float64(sp.sh)
	ch := math.Sqrt(1 - sh*sh)
	if ch*fch-sh*fsh <= 1e-3 { // radius + fov near or above 180°
		return false, false
	}
	lim := 2 * (sh*fch + ch*fsh)
	dx, dy, dz := p.X-float64(sp.x), p.Y-float64(sp.y), p.Z-float64(sp.z)
	d2 := dx*dx + dy*dy + dz*dz
	if d2 > (lim+1e-6)*(lim+1e-6) {
		return true, false
	}
	return false, lim > 1e-6 && d2 < (lim-1e-6)*(lim-1e-6)
}

// coneOverlaps reports whether the regions of a member whose cone32 is cc
// overlap the field of view of q, as overlapsAny does, telling most from
// cc alone: the member's regions are loaded only near the boundary.
func coneOverlaps(cc *cone32, mem *member, q *query) bool {
	if !q.hasSky {
		return false
	}
	// Against the search cap, which holds the footprints too: a cone
	// inside it need not meet a footprint, so inside only counts without
	// footprints (the cap is then the field of view).
	miss, inside := cc.classify(q.lp, q.lsh, q.lch)
	if miss {
		return false
	}
	return (inside && len(q.foot) == 0) || overlapsAny(mem.regions, q)
}

// misses reports whether the posting's cone certainly misses the field of
// view around p: see classify.
func (sp *cone32) misses(p s2.Point, fsh, fch float64) bool {
	miss, _ := sp.classify(p, fsh, fch)
	return miss
}

// appendTight appends p to list, growing a full list by a quarter (at
// least one) rather than doubling it: most posting lists are short and
// stop growing, and a doubled list would leave up to half its memory
// unused. The copies this costs are a constant factor on the additions
// (a quarter rather than an eighth halves the garbage they leave for the
// collector while building, for an eighth of the memory at most).
func appendTight[P any](list []P, p P) []P {
	if len(list) < cap(list) {
		return append(list, p)
	}
	grown := make([]P, len(list), len(list)+1+len(list)/4)
	copy(grown, list)
	return append(grown, p)
}

// withoutSlot removes the posting of slot from list.
func withoutSlot(list []skyPost, slot int32) []skyPost {
	for i := range list {
		if list[i].slot == slot {
			list[i] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

// withoutGroup removes the posting of g from list.
func withoutGroup(list []post, g *group) []post {
	for i := range list {
		if list[i].g == g {
			list[i] = list[len(list)-1]
			list[len(list)-1] = post{}
			return list[:len(list)-1]
		}
	}
	return list
}

// NewMatcher returns an empty indexed matcher.
func NewMatcher() *Matcher {
	m := &Matcher{byID: map[string]int32{}, byKey: map[string]*group{}, revisitAt: 1024, refineMin: skyRefineMin, splitMin: skySplitMin, kinds: activities.Kinds()}
	m.preLens[0], m.preLens[1] = map[int]int{}, map[int]int{}
	m.filter.reset(0)
	m.ids.init()
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

// anchorChoices appends to dst the entries of each criterion of c a
// group can be filed under (every value of the criterion, each once), one
// criterion after the other, and returns it with the end of each
// criterion's entries in ends; with none, the scan entry.
// kinds is activities.Kinds().
func anchorChoices(dst []entry, ends []int, c *compiled, kinds []activities.Kind) ([]entry, []int) {
	if c.matchAll {
		return append(dst, entry{ix: ixScan}), append(ends, len(dst)+1)
	}
	start := len(dst)
	add := func(ix uint8, k string) {
		for _, e := range dst[start:] {
			if e.ix == ix && e.skey == k {
				return
			}
		}
		dst = append(dst, entry{ix: ix, skey: k})
	}
	end := func() {
		if len(dst) > start {
			ends = append(ends, len(dst))
			start = len(dst)
		}
	}
	for i := range c.progs {
		if c.progs[i].isPrefix() {
			add(ixProgPrefix, c.progs[i].key)
		} else {
			add(ixProgramme, c.progs[i].key)
		}
	}
	end()
	if !slices.ContainsFunc(c.targets, func(g glob) bool { return g.prefix == "" }) {
		for _, g := range c.targets {
			if g.literal {
				add(ixTarget, g.prefix)
			} else {
				add(ixTargetPrefix, g.prefix)
			}
		}
		end()
	}
	for _, o := range c.observers {
		for _, k := range o.keys {
			add(ixObserver, k.surname)
		}
	}
	end()
	for _, v := range c.instruments {
		add(ixInstrument, v.key)
	}
	end()
	if c.has&hasFacilities != 0 {
		for _, v := range c.rare.facilities {
			add(ixFacility, v.key)
		}
		end()
	}
	if c.has&hasSources != 0 {
		for _, v := range c.rare.sources {
			add(ixSource, v.key)
		}
		end()
	}
	for i, k := range kinds {
		if c.kinds&(1<<i) != 0 {
			add(ixKind, string(k))
		}
	}
	end()
	if len(ends) == 0 {
		return append(dst, entry{ix: ixScan}), append(ends, len(dst)+1)
	}
	return dst, ends
}

// prior is the probability that an activity has key k of index ix before
// any activity has been seen.
func prior(ix uint8, k string) float64 {
	switch ix {
	case ixProgPrefix, ixTargetPrefix:
		return max(1e-4, math.Pow(0.5, float64(len(k))))
	case ixInstrument:
		return 0.05
	case ixFacility:
		return 0.1
	case ixSource, ixKind:
		return 0.25
	case ixScan:
		return 1
	}
	return 1e-4 // an exact programme, target or observer
}

// anchorProb is the estimated probability that an activity has one of
// the keys es.
func (m *Matcher) anchorProb(es []entry) float64 {
	p := 0.0
	for _, e := range es {
		if e.ix == ixScan {
			return 1
		}
		p += m.stats.prob(strHash(e.ix, e.skey), prior(e.ix, e.skey))
	}
	return min(p, 1)
}

// anchorCost is the estimated number of groups an activity looks at
// through the keys es, were g filed under them.
func (m *Matcher) anchorCost(g *group, es []entry) float64 {
	cost := 0.0
	for _, e := range es {
		if e.ix == ixScan {
			return float64(1 + len(m.scan))
		}
		h := strHash(e.ix, e.skey)
		n := len(m.str.get(h))
		if slices.Contains(g.anchor, e) {
			n-- // g itself
		}
		cost += m.stats.prob(h, prior(e.ix, e.skey)) * float64(1+n)
	}
	return cost
}

// chooseAnchor returns the entries of the criterion of g that costs least,
// and its cost. The caller holds wmu (the choices are built in m's
// scratch memory).
func (m *Matcher) chooseAnchor(g *group) ([]entry, float64) {
	m.choices, m.choiceEnds = anchorChoices(m.choices[:0], m.choiceEnds[:0], g.c, m.kinds)
	var best []entry
	bestCost := math.Inf(1)
	start := 0
	for _, end := range m.choiceEnds {
		es := m.choices[start:end]
		if c := m.anchorCost(g, es); c < bestCost {
			best, bestCost = es, c
		}
		start = end
	}
	best = slices.Clone(best)
	clear(m.choices) // keep no strings alive
	return best, bestCost
}

// chooseRole decides how c, a member of g with regions, is filed: in the
// sky index, or checked when g matches, whichever an activity is expected
// to reach less often (weighted by the candidates it would then check).
func (m *Matcher) chooseRole(c *compiled, g *group, sky []entry) uint8 {
	if c.matchAll || len(c.regions) != 1 || !c.regions[0].cone || g.c.has == 0 {
		return roleSky
	}
	es := g.anchor
	if es == nil {
		es, _ = m.chooseAnchor(g)
	}
	if len(es) == 0 || es[0].ix == ixScan {
		return roleSky
	}
	// An activity reaches the cone when its field of view (of the mean
	// radius seen) overlaps it, and then checks the lists of its cells.
	reach := min(math.Pi, c.regions[0].radius+m.stats.meanFOV())
	n := 0
	buckets := bucketsOf(g.c)
	for _, e := range sky {
		if e.ix == ixSkyCover {
			n += scanLen(m.cover.get(e.ckey), buckets)
		}
	}
	skyCost := (1 - math.Cos(reach)) / 2 * float64(1+n)
	if m.anchorProb(es)*float64(1+len(g.coned)) < skyCost {
		return roleConed
	}
	return roleSky
}

// appendSkyAnchor appends to dst the covering cells of the regions rs and
// their strict ancestors at the levels of the ancestor index, each once,
// and returns it.
func appendSkyAnchor(dst []entry, rs []skyRegion) []entry {
	var buf [64]s2.CellID
	cov := buf[:0]
	for i := range rs {
		var cbuf [16]s2.CellID
		for _, cell := range rs[i].cells(cbuf[:0]) {
			if !slices.Contains(cov, cell) {
				cov = append(cov, cell)
				dst = append(dst, entry{ix: ixSkyCover, ckey: uint64(cell)})
			}
		}
	}
	var abuf [64]s2.CellID
	anc := abuf[:0]
	for _, cell := range cov {
		lvl := allowedLevel(cell.Level())
		for l := ancLevel(lvl - 1); lvl > 0 && l >= skyMinLevel; l -= skyAncLevelMod {
			a := cell.Parent(l)
			if slices.Contains(anc, a) {
				break // and so are its ancestors
			}
			anc = append(anc, a)
			dst = append(dst, entry{ix: ixSkyAncestor, ckey: uint64(a)})
		}
	}
	return dst
}

// Add implements [Index].
//
// When an index table or the presence filter must grow, Add does that work
// while Match keeps running and holds the lock that stops Match only to
// install the result, so that adding subscriptions does not stall
// matching.
func (m *Matcher) Add(s *Subscription) error {
	var cv compiled
	if err := compileTo(&cv, s); err != nil {
		return err
	}
	c := &cv
	key := groupKey(s)
	var skyBuf [24]entry
	var sky []entry
	var nCover, nAnc int
	if !c.matchAll && len(c.regions) > 0 {
		sky = appendSkyAnchor(skyBuf[:0], c.regions)
		for _, e := range sky {
			if e.ix == ixSkyCover {
				nCover++
			} else {
				nAnc++
			}
		}
	}
	nStr := len(c.progs) + len(c.targets) + len(c.instruments) + 4
	for _, o := range c.observers {
		nStr += len(o.keys)
	}
	if c.rare != nil {
		nStr += len(c.rare.sources) + len(c.rare.facilities)
	}
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.reserve(nCover, nAnc, nStr)
	m.mu.Lock()
	if old, ok := m.byID[s.ID]; ok {
		m.removeSlot(old)
	}
	g := m.byKey[key]
	if g == nil {
		g = m.newGroup(key, c)
	}
	mem := &member{sub: s, grp: g, regions: c.regions, role: rolePlain}
	var slot int32
	if n := len(m.free); n > 0 {
		slot = m.free[n-1]
		m.free = m.free[:n-1]
		m.slots[slot] = mem
	} else {
		slot = int32(len(m.slots))
		m.slots = append(m.slots, mem)
	}
	m.byID[s.ID] = slot
	if sky != nil {
		mem.role = m.chooseRole(c, g, sky)
	}
	switch mem.role {
	case roleSky:
		sp := postOf(mem.regions, g.id, slot)
		buckets := bucketsOf(g.c)
		for _, e := range sky {
			m.fileSky(e.ix, e.ckey, sp, buckets)
		}
		g.nSky++
	case roleConed:
		mem.gpos = int32(len(g.coned))
		g.coned = append(g.coned, mem)
		g.conedSky = append(g.conedSky, cone32Of(mem.regions))
	default:
		mem.gpos = int32(len(g.plain))
		g.plain = append(g.plain, s)
	}
	if mem.role != roleSky && g.anchor == nil {
		es, _ := m.chooseAnchor(g)
		m.fileGroup(g, es)
	}
	m.mu.Unlock()
	m.revisit()
	m.refilterIfStale()
	return nil
}

// newGroup creates the group of key, whose criteria are c's but its
// regions. The caller holds mu.
func (m *Matcher) newGroup(key string, c *compiled) *group {
	// One allocation for the group and its criteria, side by side, so
	// that evaluating the criteria after reaching the group costs no
	// further cache miss.
	ga := &struct {
		g group
		c compiled
	}{c: *c}
	gc := &ga.c
	gc.sub, gc.regions, gc.has = nil, nil, c.has&^hasRegions
	g := &ga.g
	g.c, g.key, g.pre, g.gate = gc, key, preOf(gc), m.ids.gateOf(gc)
	g.plain = g.plainIn[:0:len(g.plainIn)]
	if n := len(m.gfree); n > 0 {
		g.id = m.gfree[n-1]
		m.gfree = m.gfree[:n-1]
		m.groups[g.id] = g
		m.gpre[g.id] = g.pre
	} else {
		g.id = int32(len(m.groups))
		m.groups = append(m.groups, g)
		m.gpre = append(m.gpre, g.pre)
	}
	m.byKey[key] = g
	return g
}

// fileGroup files g under es. The caller holds mu.
func (m *Matcher) fileGroup(g *group, es []entry) {
	g.anchor = es
	p := post{g: g, pre: g.pre}
	for _, e := range es {
		if e.ix == ixScan {
			m.scan = append(m.scan, p)
			continue
		}
		h := strHash(e.ix, e.skey)
		l, added := m.str.ref(h)
		*l = appendTight(*l, p)
		if added {
			m.strKeys[e.ix]++
			m.keyAdded(h)
		}
		if n := len(*l); n >= 16 && n&(n-1) == 0 {
			m.dirty = append(m.dirty, h)
		}
		if e.ix == ixProgPrefix || e.ix == ixTargetPrefix {
			m.addLen(e.ix, len(e.skey), 1)
		}
	}
}

// unfileGroup removes g from the indexes. The caller holds mu.
func (m *Matcher) unfileGroup(g *group) {
	for _, e := range g.anchor {
		if e.ix == ixScan {
			m.scan = withoutGroup(m.scan, g)
			continue
		}
		h := strHash(e.ix, e.skey)
		if l := withoutGroup(m.str.get(h), g); len(l) == 0 {
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
	g.anchor = nil
}

// revisit files anew the groups on the lists that doubled since the last
// call and, when the number of activities sampled has doubled, every
// group, each where it now costs least, when that is less than half its
// current cost. The costs are computed under the read lock, while Match
// keeps running; only the moves hold the write lock. The caller holds wmu.
func (m *Matcher) revisit() {
	full := false
	if n := m.stats.sampled.Load(); n >= m.revisitAt {
		full, m.revisitAt = true, 2*n
	}
	if !full && len(m.dirty) == 0 {
		return
	}
	type move struct {
		g  *group
		es []entry
	}
	var moves []move
	seen := map[int32]bool{}
	consider := func(g *group) {
		if g == nil || len(g.anchor) == 0 || g.anchor[0].ix == ixScan || seen[g.id] {
			return
		}
		seen[g.id] = true
		cur := m.anchorCost(g, g.anchor)
		if es, best := m.chooseAnchor(g); best < cur/2 {
			moves = append(moves, move{g, es})
		}
	}
	m.mu.RLock()
	if full {
		for _, g := range m.groups {
			consider(g)
		}
	} else {
		for _, h := range m.dirty {
			for _, p := range m.str.get(h) {
				consider(p.g)
			}
		}
	}
	m.mu.RUnlock()
	m.dirty = m.dirty[:0]
	if len(moves) == 0 {
		return
	}
	m.mu.Lock()
	for _, mv := range moves {
		m.unfileGroup(mv.g)
		m.fileGroup(mv.g, mv.es)
	}
	m.mu.Unlock()
	m.dirty = m.dirty[:0] // lists the moves lengthened wait for the next doubling
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
	var slots []*member
	if len(m.free) == 0 && len(m.slots) == cap(m.slots) {
		slots = make([]*member, len(m.slots), max(64, 2*cap(m.slots)))
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
	g := c.grp
	switch c.role {
	case roleSky:
		var buf [24]entry
		buckets := bucketsOf(g.c)
		for _, e := range appendSkyAnchor(buf[:0], c.regions) {
			m.unfileSky(e.ix, e.ckey, slot, buckets)
		}
		g.nSky--
	case roleConed:
		n := len(g.coned) - 1
		last := g.coned[n]
		g.coned[c.gpos], last.gpos = last, c.gpos
		g.conedSky[c.gpos] = g.conedSky[n]
		g.coned[n] = nil
		g.coned, g.conedSky = g.coned[:n], g.conedSky[:n]
	default:
		last := g.plain[len(g.plain)-1]
		g.plain[c.gpos] = last
		m.slots[m.byID[last.ID]].gpos = c.gpos
		g.plain[len(g.plain)-1] = nil
		g.plain = g.plain[:len(g.plain)-1]
	}
	if len(g.plain)+len(g.coned) == 0 && g.anchor != nil {
		m.unfileGroup(g)
	}
	if g.empty() {
		m.ids.releaseGate(&g.gate)
		delete(m.byKey, g.key)
		m.groups[g.id] = nil
		m.gfree = append(m.gfree, g.id)
	}
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

// skySplitMin is the length from which a sky-index list may be split.
// Near the most popular targets most of the cones an activity overlaps
// belong to subscriptions that name another facility, instrument,
// programme or kind: scanning them, then reading their group's pre to
// reject them, was most of the time the slowest activities took. A split
// list keeps its postings in buckets: a subscription naming facilities is
// posted in the bucket of each (one of 16, by a hash of its name); one
// naming instruments but no facility in the bucket of each instrument
// (one of 16); one naming programmes but neither, all IDs or prefixes of
// at least 3 bytes, in the bucket of each (one of 8, by their first 3
// bytes); one naming kinds but none of those in the bucket of each kind;
// any other in bucket 0. An activity scans bucket 0 and the buckets of
// its facility, its instrument (and the instrument's head: "MUSE" for
// "MUSE/WFM"), its programme and its kind: a subscription it can match is
// in one of them, as the bucket of a value is that of the activity's
// value it equals or prefixes. A list is split when its length reaches a
// power of two from this one and at least a quarter of its postings would
// leave bucket 0, and stays split.
const skySplitMin = 64

// skySplitMinLevel is the coarsest level of the lists that are split: the
// lists of coarser cells (levels 0 to 4, 5° and wider) are scanned only
// by fields of view of a degree or more (narrower ones refine them), and
// splitting them would cost, in the postings of subscriptions naming two
// facilities or instruments, about 5 bytes per subscription each.
const skySplitMinLevel = 6

const (
	// splitMark is the slot of the first posting of a split list.
	splitMark = -1
	// The first bucket of facilities, instruments, programmes and kinds,
	// and the number of buckets.
	facBucket0   = 1
	instrBucket0 = facBucket0 + 16
	progBucket0  = instrBucket0 + 16
	kindBucket0  = progBucket0 + 8
	splitBuckets = kindBucket0 + 8 // pre.kinds has 8 bits
	// splitHeader is the number of postings a split list starts with:
	// they hold, in their slot and gid (two words each), the mark and the
	// end of each bucket.
	splitHeader = (1 + splitBuckets + 1) / 2
)

// bucketSet is a set of buckets of a split list (bit b: bucket b).
type bucketSet uint64

// all yields the buckets of s in increasing order.
func (s bucketSet) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for ; s != 0; s &= s - 1 {
			if !yield(bits.TrailingZeros64(uint64(s))) {
				return
			}
		}
	}
}

// nameBucket is the bucket, from first, of a folded facility or
// instrument name.
func nameBucket(first int, key string) int { return first + int(fnv32(key)>>28) }

// progBucket is the bucket of a programme key (an ID or a prefix) of at
// least 3 bytes: that of its first 3, which the IDs a prefix matches
// share.
func progBucket(key string) int { return progBucket0 + int(fnv32(key[:3])>>29) }

// bucketsOf is the buckets of a split list in which a subscription whose
// group has criteria c is posted.
func bucketsOf(c *compiled) bucketSet {
	var b bucketSet
	switch {
	case c.matchAll:
	case c.has&hasFacilities != 0:
		for _, v := range c.rare.facilities {
			b |= 1 << nameBucket(facBucket0, v.key)
		}
	case len(c.instruments) > 0:
		for _, v := range c.instruments {
			b |= 1 << nameBucket(instrBucket0, v.key)
		}
	case c.has&hasProgrammes != 0 && !slices.ContainsFunc(c.progs, func(p kv) bool { return len(p.key) < 3 }):
		for _, p := range c.progs {
			b |= 1 << progBucket(p.key)
		}
	case c.kinds != 0:
		b = bucketSet(c.kinds) << kindBucket0
	}
	if b == 0 {
		b = 1
	}
	return b
}

// queryBuckets appends to dst the buckets, other than 0, an activity
// scans in a split list, each once, and reports whether a subscription
// may be in two of them.
func queryBuckets(dst []int, q *query) ([]int, bool) {
	dst = append(dst, nameBucket(facBucket0, q.facility), nameBucket(instrBucket0, q.instrument))
	repeats := false
	if b := nameBucket(instrBucket0, q.instrumentHead); b != dst[1] {
		dst, repeats = append(dst, b), true
	}
	if len(q.programme) >= 3 {
		dst = append(dst, progBucket(q.programme))
	}
	if q.kind >= 0 {
		dst = append(dst, kindBucket0+q.kind)
	}
	return dst, repeats
}

// isSplit reports whether l is a split list.
func isSplit(l []skyPost) bool { return len(l) > 0 && l[0].slot == splitMark }

// splitEnd is the index in the split list l one past the end of bucket b.
func splitEnd(l []skyPost, b int) int {
	w := &l[(b+1)/2]
	if (b+1)%2 == 0 {
		return int(w.slot)
	}
	return int(w.gid)
}

// setSplitEnd sets the end of bucket b of the split list l.
func setSplitEnd(l []skyPost, b, end int) {
	w := &l[(b+1)/2]
	if (b+1)%2 == 0 {
		w.slot = int32(end)
	} else {
		w.gid = int32(end)
	}
}

// splitStart is the index in the split list l of the start of bucket b.
func splitStart(l []skyPost, b int) int {
	if b == 0 {
		return splitHeader
	}
	return splitEnd(l, b-1)
}

// splitBucket is the postings of bucket b of the split list l.
func splitBucket(l []skyPost, b int) []skyPost { return l[splitStart(l, b):splitEnd(l, b)] }

// scanLen is the number of postings of the list l an activity scans when
// it has the buckets of a subscription posted in buckets: all of them, or
// of a split list, those of bucket 0 and of those buckets.
func scanLen(l []skyPost, buckets bucketSet) int {
	if !isSplit(l) {
		return len(l)
	}
	n := 0
	for b := range (buckets | 1).all() {
		n += len(splitBucket(l, b))
	}
	return n
}

// splitInsert adds p to bucket b of the split list l, moving the first
// posting of each later bucket to its end, and returns the list.
func splitInsert(l []skyPost, b int, p skyPost) []skyPost {
	l = appendTight(l, skyPost{})
	free := len(l) - 1
	for j := splitBuckets - 1; j > b; j-- {
		start := splitStart(l, j)
		l[free] = l[start]
		setSplitEnd(l, j, splitEnd(l, j)+1)
		free = start
	}
	l[free] = p
	setSplitEnd(l, b, free+1)
	return l
}

// splitRemove removes the posting of slot from bucket b of the split list
// l, moving the last posting of each later bucket to its start, and
// returns the list.
func splitRemove(l []skyPost, b int, slot int32) []skyPost {
	lo, hi := splitStart(l, b), splitEnd(l, b)
	i := lo
	for i < hi && l[i].slot != slot {
		i++
	}
	if i == hi {
		return l
	}
	l[i] = l[hi-1]
	free := hi - 1
	setSplitEnd(l, b, free)
	for j := b + 1; j < splitBuckets; j++ {
		end := splitEnd(l, j)
		l[free] = l[end-1]
		setSplitEnd(l, j, end-1)
		free = end - 1
	}
	l[free] = skyPost{}
	return l[:free]
}

// split returns the list l split, or nil when fewer than a quarter of its
// postings would leave bucket 0 (name a facility, instrument, programme or
// kind).
func (m *Matcher) split(l []skyPost) []skyPost {
	buckets := make([]bucketSet, len(l))
	var count [splitBuckets]int
	named := 0
	for i, p := range l {
		b := bucketsOf(m.groups[p.gid].c)
		buckets[i] = b
		if b != 1 {
			named++
		}
		for j := range b.all() {
			count[j]++
		}
	}
	if 4*named < len(l) {
		return nil
	}
	var next [splitBuckets]int
	n := splitHeader
	for b, c := range count {
		next[b] = n
		n += c
	}
	out := make([]skyPost, n)
	out[0].slot = splitMark
	for b := range count {
		setSplitEnd(out, b, next[b]+count[b])
	}
	for i, p := range l {
		for j := range buckets[i].all() {
			out[next[j]] = p
			next[j]++
		}
	}
	return out
}

// fileSky files sp under ckey in the sky index ix: in a split list, in
// each of buckets (see bucketsOf). A list that reaches a power of two from
// m.splitMin may be split. The caller holds mu.
func (m *Matcher) fileSky(ix uint8, ckey uint64, sp skyPost, buckets bucketSet) {
	tab := m.skyTable(ix)
	l, added := tab.ref(ckey)
	if added {
		m.skyLevels[ix-ixSkyCover][s2.CellID(ckey).Level()]++
		m.keyAdded(cellHash(ix, s2.CellID(ckey)))
	}
	if isSplit(*l) {
		for b := range buckets.all() {
			*l = splitInsert(*l, b, sp)
		}
		return
	}
	*l = appendTight(*l, sp)
	if n := len(*l); n >= m.splitMin && n&(n-1) == 0 && s2.CellID(ckey).Level() >= skySplitMinLevel {
		if s := m.split(*l); s != nil {
			*l = s
		}
	}
}

// unfileSky removes the posting of slot, posted in buckets, from the list
// of ckey in the sky index ix. A split list is never emptied: it keeps
// its header. The caller holds mu.
func (m *Matcher) unfileSky(ix uint8, ckey uint64, slot int32, buckets bucketSet) {
	tab := m.skyTable(ix)
	l := tab.get(ckey)
	if isSplit(l) {
		for b := range buckets.all() {
			l = splitRemove(l, b, slot)
		}
		tab.set(ckey, l)
		return
	}
	if l = withoutSlot(l, slot); len(l) == 0 {
		tab.del(ckey)
		m.skyLevels[ix-ixSkyCover][s2.CellID(ckey).Level()]--
		m.keyRemoved()
	} else {
		tab.set(ckey, l)
	}
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

// skyCand is a candidate from the sky index: a subscription, its group,
// and whether its posting shows its cone certainly overlaps the field of
// view.
type skyCand struct {
	slot, gid int32
	inside    bool
}

// memoEntry is what one Match knows of a group: whether its criteria
// match (state 1: no, 2: yes; 0: not evaluated), the reasons they gave
// (results.reasons[lo:hi]), and whether its members were fanned out.
type memoEntry struct {
	key    int32 // group id + 1; 0: empty
	state  uint8
	fanned bool
	lo, hi int32
}

// memo is a small open-addressing table of the groups one Match has met,
// growing with them (at most half full).
type memo struct {
	e       []memoEntry
	mask, n int32
}

// reset empties the memo, sized for n groups.
func (mm *memo) reset(n int) {
	size := 64
	for size < 2*n {
		size <<= 1
	}
	if cap(mm.e) < size {
		mm.e = make([]memoEntry, size)
	}
	mm.e = mm.e[:size]
	clear(mm.e)
	mm.mask, mm.n = int32(size-1), 0
}

// get returns the entry of group gid, adding it if absent. A pointer
// returned is valid until the next call of get.
func (mm *memo) get(gid int32) *memoEntry {
	for i := int32(mix64(uint64(gid))) & mm.mask; ; i = (i + 1) & mm.mask {
		e := &mm.e[i]
		if e.key == gid+1 {
			return e
		}
		if e.key == 0 {
			if 2*(mm.n+1) > int32(len(mm.e)) {
				mm.grow()
				return mm.get(gid)
			}
			mm.n++
			e.key = gid + 1
			return e
		}
	}
}

// grow doubles the memo, keeping its entries.
func (mm *memo) grow() {
	old := mm.e
	mm.e = make([]memoEntry, 2*len(old))
	mm.mask = int32(len(mm.e) - 1)
	for _, e := range old {
		if e.key != 0 {
			i := int32(mix64(uint64(e.key-1))) & mm.mask
			for mm.e[i].key != 0 {
				i = (i + 1) & mm.mask
			}
			mm.e[i] = e
		}
	}
}

// matchState is the working state of one Match.
type matchState struct {
	m      *Matcher
	q      *query
	gq     *gateQuery
	sample bool    // record the activity's keys in the statistics
	seen   []int32 // sky candidates that matched
	inside []int32 // slots of the sky candidates certainly matched (lazy)
	res    *results
	pend   [][]post  // posting lists of groups looked up, to visit
	gcand  []*group  // groups the lists yield
	cand   []skyCand // subscriptions the sky lists yield
	memo   *memo
	set    *slotSet
	sink   uint16 // see evalSky
	lazy   bool   // collect hits, without reasons
	hits   []Hit
	// repeats: the sky lists scanned may hold a subscription more than
	// once (several cells cover the field of view, a list was refined, or
	// a candidate's regions are not one cone).
	repeats bool
}

// lookup queues the posting list of key in string index ix for visiting.
func (st *matchState) lookup(ix uint8, key string) {
	// An index no group is filed in is not looked up: its key is only
	// hashed for the statistics of a sampled activity.
	filed := st.m.strKeys[ix] > 0
	if !filed && !st.sample {
		return
	}
	h := strHash(ix, key)
	if st.sample {
		st.m.stats.add(h)
	}
	if filed && st.m.filter.has(h) {
		if l := st.m.str.get(h); len(l) > 0 {
			st.pend = append(st.pend, l)
		}
	}
}

func (st *matchState) visit(list []post) {
	for i := range list {
		if !list[i].rejects(st.q) {
			st.gcand = append(st.gcand, list[i].g)
		}
	}
}

// visitSky is visit for the lists of the sky index: candidates whose cone
// certainly misses the field of view are dropped before evaluation.
func (st *matchState) visitSky(list []skyPost) {
	q := st.q
	// A first test without the square root classify takes: as the cosine
	// of half a cone's radius is at most 1, the chord to a cone meeting
	// the cap is at most 2(sh·cos(f/2) + sin(f/2)), so a posting farther
	// than that misses (the sum of the radii is below 180°, where the
	// chord stops growing with the angle: the cones of postings are at
	// most 90°, so the cap must be below 89°). Most postings of a long
	// list fail it.
	quick := q.lfov < 89*deg
	px, py, pz := q.lp.X, q.lp.Y, q.lp.Z
	for i := range list {
		sp := &list[i]
		if quick && sp.sh >= 0 {
			sh := float64(sp.sh)
			hi := 2*(sh*q.lch+q.lsh) + 1e-6
			dx, dy, dz := px-float64(sp.x), py-float64(sp.y), pz-float64(sp.z)
			d2 := dx*dx + dy*dy + dz*dz
			if d2 > hi*hi {
				continue
			}
			// And a first test of certain overlap, also without the square
			// root: the cosine of half the radius is at least 1 - sh², so
			// a posting nearer than 2(sh·cos(f/2) + (1 - sh²)·sin(f/2))
			// overlaps the cap (classify's margin kept). Most postings
			// that pass the first test are decided here.
			if lo := 2*(sh*q.lch+(1-sh*sh)*q.lsh) - 1e-6; lo > 1e-6 && d2 < lo*lo {
				// Inside only counts without footprints: see below.
				st.cand = append(st.cand, skyCand{sp.slot, sp.gid, len(q.foot) == 0})
				continue
			}
		}
		// Against the search cap, which holds the footprints too: a cone
		// inside it need not meet a footprint, so inside only counts
		// without footprints (the cap is then the field of view).
		miss, inside := sp.classify(q.lp, q.lsh, q.lch)
		if miss {
			continue
		}
		inside = inside && len(q.foot) == 0
		st.cand = append(st.cand, skyCand{sp.slot, sp.gid, inside})
		// A region other than one cone may be covered at several levels
		// (a polygon, several regions), and so be in several lists.
		st.repeats = st.repeats || sp.sh < 0
	}
}

// prefilterSky drops the sky candidates whose group's pre rejects the
// activity: their pres are loaded first, in a loop of independent loads.
func (st *matchState) prefilterSky() {
	gpre, q := st.m.gpre, st.q
	var x uint8
	for _, c := range st.cand {
		x ^= gpre[c.gid].kinds
	}
	st.sink ^= uint16(x)
	out := st.cand[:0]
	for _, c := range st.cand {
		if !gpre[c.gid].rejects(q) {
			out = append(out, c)
		}
	}
	st.cand = out
}

// groupMatches evaluates the criteria of group gid once per Match, keeping
// their reasons in the results for the members.
//
// In lazy mode the group's gate decides, from the group's own memory: a
// group it refuses is not read further, and one it admits is a match
// without its criteria read (its reasons are computed on delivery). With
// reasons, the criteria are read anyway: the activity's values are not
// looked up for the gates, which measured slower (narrow p50 2.42 against
// 2.27 µs).
func (st *matchState) groupMatches(e *memoEntry, g *group) bool {
	if e.state == 0 {
		e.state = 1
		if g.pre.rejectsKind(st.q.kind) { // the gate leaves kinds to pre
			return false
		}
		if st.lazy {
			if pass, sure := g.gate.passes(st.gq); sure {
				if pass {
					e.state = 2
				}
				return pass
			}
		}
		lo := int32(len(st.res.reasons))
		if g.c.appendReasons(st.q, st.res) {
			e.state, e.lo, e.hi = 2, lo, int32(len(st.res.reasons))
		}
	}
	return e.state == 2
}

// evalGroups fans out the members of the groups the attribute indexes
// yielded whose criteria match: those without regions with the group's
// reasons, the others when a region matches too.
func (st *matchState) evalGroups() {
	r := st.res
	if len(st.gcand) > 1 {
		// The groups' first lines, in a loop of independent loads.
		var x uint8
		for _, g := range st.gcand {
			x ^= g.pre.kinds
		}
		st.sink ^= uint16(x)
	}
	for _, g := range st.gcand {
		e := st.memo.get(g.id)
		if e.fanned {
			continue
		}
		e.fanned = true
		if !st.groupMatches(e, g) {
			continue
		}
		if st.lazy {
			st.hits = slices.Grow(st.hits, len(g.plain))
			for _, s := range g.plain {
				st.hits = append(st.hits, Hit{sub: s, g: g})
			}
			for i, c := range g.coned {
				if coneOverlaps(&g.conedSky[i], c, st.q) {
					st.hits = append(st.hits, Hit{mem: c})
				}
			}
			continue
		}
		r.hits = slices.Grow(r.hits, len(g.plain))
		for _, s := range g.plain {
			r.hits = append(r.hits, hit{s, e.lo, e.hi})
		}
		for i, c := range g.coned {
			if st.q.hasSky && !g.conedSky[i].misses(st.q.lp, st.q.lsh, st.q.lch) {
				appendRegionHit(c.sub, c.regions, st.q, r, e.lo, e.hi)
			}
		}
	}
}

// evalSky evaluates the candidates of the sky index, each once. Two passes
// first load what the evaluation will read of every candidate: these loads
// do not depend on one another across candidates, so the processor
// overlaps their cache misses.
func (st *matchState) evalSky() {
	// Candidates repeat only when several cells cover the field of view, a
	// list was refined (see skyLookup.cell), or a candidate's regions are
	// not one cone: one cone is covered at one level, in one cover list or
	// in the ancestor list, never both.
	repeats := st.repeats
	hashed := repeats && len(st.cand) > 32
	if hashed {
		// Many candidates (broad subscriptions, a wide field of view):
		// drop the repeats up front through a hash set rather than
		// searching st.seen for each, which would cost the square of the
		// number of matches.
		st.cand = st.set.dedup(st.cand)
	}
	slots := st.m.slots
	var x uint16
	for _, s := range st.cand {
		if !st.lazy || !s.inside {
			x ^= uint16(slots[s.slot].role)
		}
	}
	for _, s := range st.cand {
		if c := slots[s.slot]; (!st.lazy || !s.inside) && len(c.regions) > 0 {
			x ^= uint16(math.Float64bits(c.regions[0].sh))
		}
	}
	// A third loads what a group's first candidate evaluates: its gate (its
	// first line) in lazy mode, where the gate decides most groups, and its
	// criteria otherwise. Loaded one after the other, each would cost a
	// chain of cache misses. (Loading the criteria rather than the gate in
	// lazy mode cost clustered 12% at p99: 26.1 against 23.0 µs.)
	groups, last := st.m.groups, int32(-1)
	for _, s := range st.cand {
		if s.gid == last || s.gid < 0 {
			continue
		}
		last = s.gid
		g := groups[s.gid]
		if st.lazy && g.gate.ok {
			x ^= uint16(g.gate.ends[0])
			continue
		}
		if gc := g.c; gc.rare != nil {
			x ^= uint16(len(gc.rare.facilities))
		} else {
			x ^= gc.has ^ uint16(len(gc.instruments))
		}
	}
	st.sink = x
	deduped := hashed || !repeats
	var e *memoEntry
	lastGid := int32(-1)
	for _, s := range st.cand {
		if !deduped && slices.Contains(st.seen, s.slot) {
			continue
		}
		if s.gid != lastGid { // consecutive candidates are often of one group
			e, lastGid = st.memo.get(s.gid), s.gid
		}
		if !st.groupMatches(e, groups[s.gid]) {
			continue
		}
		var ok bool
		switch {
		case st.lazy && s.inside:
			// A cone its posting shows overlapping is not loaded: its slot
			// is kept for the loop below.
			ok = true
			st.inside = append(st.inside, s.slot)
		case st.lazy:
			c := slots[s.slot]
			if ok = overlapsAny(c.regions, st.q); ok {
				st.hits = append(st.hits, Hit{mem: c})
			}
		default:
			c := slots[s.slot]
			ok = appendRegionHit(c.sub, c.regions, st.q, st.res, e.lo, e.hi)
		}
		if ok && !deduped {
			st.seen = append(st.seen, s.slot)
		}
	}
	// The members of the slots kept: a loop of loads that do not depend on
	// one another and little else, so that many cache misses overlap.
	st.hits = slices.Grow(st.hits, len(st.inside))
	for _, slot := range st.inside {
		st.hits = append(st.hits, Hit{mem: slots[slot]})
	}
}

// slotSet is an open-addressing set of slots, reused across calls.
type slotSet struct{ keys []int32 }

// dedup removes the repeated slots of cs, keeping the first of each, in
// place.
func (ss *slotSet) dedup(cs []skyCand) []skyCand {
	size := 64
	for size < 2*len(cs) {
		size <<= 1
	}
	if cap(ss.keys) < size {
		ss.keys = make([]int32, size)
	} else {
		ss.keys = ss.keys[:size]
		clear(ss.keys)
	}
	mask := uint32(size - 1)
	out := cs[:0]
	for _, c := range cs {
		k := c.slot + 1
		for i := (uint32(k) * 0x9e3779b1) >> 7 & mask; ; i = (i + 1) & mask {
			if ss.keys[i] == k {
				break
			}
			if ss.keys[i] == 0 {
				ss.keys[i] = k
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// skyRefineMin is the length of an ancestor-index list above which the
// cells of the field of view under it are refined rather than the list
// scanned: near the most popular targets the list of a coarse ancestor
// holds thousands of small cones, most of them far from the field of view,
// while refining costs a few dozen lookups.
const skyRefineMin = 512

// skyMaxAncLevel is the finest level of the ancestor index.
const skyMaxAncLevel = 12

// ancEntry is an ancestor-index list looked up by one Match, and whether
// it is refined rather than scanned.
type ancEntry struct {
	cell    s2.CellID
	list    []skyPost
	refined bool
}

// skyLookup gathers the posting lists of the sky index one Match scans.
type skyLookup struct {
	m      *Matcher
	q      *query
	done   []s2.CellID // cover-index cells looked up
	lists  [][]skyPost
	anc    []ancEntry
	sinRad float64 // sine of the search cap's radius
	// repeats: a list scanned may hold a region another one holds.
	repeats bool
}

// ancList looks up the ancestor-index list of cell a, once.
func (sl *skyLookup) ancList(a s2.CellID) *ancEntry {
	for i := range sl.anc {
		if sl.anc[i].cell == a {
			return &sl.anc[i]
		}
	}
	e := ancEntry{cell: a}
	if sl.m.skyLevels[1][a.Level()] > 0 && sl.m.filter.has(cellHash(ixSkyAncestor, a)) {
		e.list = sl.m.anc.get(uint64(a))
	}
	e.refined = len(e.list) > sl.m.refineMin && sl.worthRefining(a.Level()+skyAncLevelMod, len(e.list))
	if !e.refined {
		sl.add(e.list)
	}
	sl.anc = append(sl.anc, e)
	return &sl.anc[len(sl.anc)-1]
}

// add queues list for scanning, unless it is empty.
func (sl *skyLookup) add(list []skyPost) {
	if len(list) > 0 {
		sl.lists = append(sl.lists, list)
	}
}

// worthRefining reports whether refining an ancestor-index list of n
// postings into the cells of the next level of that index (level) costs
// fewer memory accesses than scanning it: the cap meets about
// (2r/w + 1)² cells of width w, each costing a few lookups (a cache miss
// each, worth some twenty postings scanned).
func (sl *skyLookup) worthRefining(level, n int) bool {
	if level > skyMaxAncLevel || sl.q.lfov >= 0.25*math.Pi {
		return false
	}
	k := 2*sl.q.lfov/s2.MinWidthMetric.Value(level) + 1
	return k*k <= 64 && 60*k*k < float64(n)
}

// cell queues the lists of the regions that may meet the search cap in
// cell c: those whose covering cells contain or equal c, at the levels
// from c's down to minLevel (the coarser ones were looked up for the cell
// c refines), and those whose covering cells lie inside c, through the
// ancestor index: the list of c's ancestor at the level of that index, or,
// when that list is refined, the cells of c at the next level of the
// ancestor index that the cap meets, each in the same way.
func (sl *skyLookup) cell(c s2.CellID, minLevel int) {
	a := ancLevel(c.Level())
	refined := sl.ancList(c.Parent(a)).refined
	top := allowedLevel(c.Level())
	if !refined {
		// The regions covered at the levels between a and c's, by cells
		// containing c, have those cells strictly inside c's ancestor at
		// a: its ancestor list, scanned, holds them. Looking up their cover
		// lists too would cost lookups and repeat them.
		top = min(top, a)
	}
	for l := top; l >= minLevel; l -= skyLevelMod {
		if sl.m.skyLevels[0][l] == 0 {
			continue
		}
		p := c.Parent(l)
		if slices.Contains(sl.done, p) {
			continue
		}
		sl.done = append(sl.done, p)
		if sl.m.filter.has(cellHash(ixSkyCover, p)) {
			sl.add(sl.m.cover.get(uint64(p)))
		}
	}
	if !refined {
		return
	}
	sl.repeats = true
	sl.refine(c, a+skyAncLevelMod, c.Level()+skyLevelMod)
}

// refine calls cell for the descendants of c at level the cap may meet,
// looking up the cover index from level minLevel.
func (sl *skyLookup) refine(c s2.CellID, level, minLevel int) {
	if c.Level() == level {
		sl.cell(c, minLevel)
		return
	}
	for _, ch := range c.Children() {
		if !capMisses(s2.CellFromCellID(ch), sl.q.lp, sl.sinRad) {
			sl.refine(ch, level, minLevel)
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
	anc   []ancEntry
	pend  [][]post
	gcand []*group
	// buckets is the activity's buckets in split lists.
	buckets [5]int
	cand    []skyCand
	inside  []int32
	memo    memo
	set     slotSet
	sink    uint16
	gq      gateQuery
	st      matchState
}

var scratchPool = sync.Pool{New: func() any {
	return &matchScratch{seen: make([]int32, 0, 16), res: results{hits: make([]hit, 0, 16), reasons: make([]Reason, 0, 32)},
		cells: make([]s2.CellID, 0, 9), done: make([]s2.CellID, 0, 40), lists: make([][]skyPost, 0, 40), pend: make([][]post, 0, 16),
		gcand: make([]*group, 0, 16), cand: make([]skyCand, 0, 32)}
}}

// AppendMatch appends the matches of a to dst and returns it.
func (m *Matcher) AppendMatch(dst []Match, a *activities.Activity) []Match {
	var out []Match
	m.find(a, false, nil, func(st *matchState) { out = st.res.appendTo(dst) })
	return out
}

// Hit is a subscription an activity matched, found by
// [Matcher.AppendHits]: the subscription and the reasons are looked up
// when asked for, so that finding a match costs little more than
// appending it.
type Hit struct {
	sub *Subscription // nil: mem.sub
	g   *group        // nil: mem.grp
	mem *member       // nil for a subscription without regions
}

// Subscription is the subscription matched.
func (h Hit) Subscription() *Subscription {
	if h.sub != nil {
		return h.sub
	}
	if h.mem != nil {
		return h.mem.sub
	}
	return nil
}

// Reasons returns the reasons the subscription matched a, the activity it
// was found for: what [Matcher.Match] returns in [Match.Reasons]. It
// returns nil for an activity the subscription does not match.
func (h Hit) Reasons(a *activities.Activity) []Reason {
	g := h.g
	if h.mem != nil {
		g = h.mem.grp
	}
	if g == nil {
		return nil
	}
	var r results
	q := newQuery(a)
	if !g.c.appendReasons(q, &r) {
		return nil
	}
	if h.mem == nil {
		r.hits = append(r.hits, hit{h.Subscription(), 0, int32(len(r.reasons))})
	} else if !appendRegionHit(h.mem.sub, h.mem.regions, q, &r, 0, int32(len(r.reasons))) {
		return nil
	}
	return r.appendTo(nil)[0].Reasons
}

// AppendMatches appends to dst the matches hits (found by
// [Matcher.AppendHits] for a) stand for, with their reasons, and returns
// it: what [Matcher.Match] returns, computed after the search, outside the
// matcher's lock. The reasons of the criteria a group of subscriptions
// shares are computed once.
func AppendMatches(dst []Match, a *activities.Activity, hits []Hit) []Match {
	if len(hits) == 0 {
		return dst
	}
	q := newQuery(a)
	// The results' memory becomes the matches': sized for a reason or two
	// per match (most matches of many are region hits of few groups), so
	// that it is neither regrown nor copied.
	r := results{hits: make([]hit, 0, len(hits)), reasons: make([]Reason, 0, 2*len(hits)+8)}
	type span struct{ lo, hi int32 }
	var last *group
	var lastSpan span
	var done map[*group]span // the groups after the first
	for _, h := range hits {
		g := h.g
		if h.mem != nil {
			g = h.mem.grp
		}
		if g == nil {
			continue
		}
		sp, ok := lastSpan, g == last
		if !ok {
			if sp, ok = done[g]; !ok {
				lo := int32(len(r.reasons))
				if !g.c.appendReasons(q, &r) {
					continue // not a hit of a
				}
				sp = span{lo, int32(len(r.reasons))}
				if done == nil {
					done = map[*group]span{}
				}
				done[g] = sp
			}
			last, lastSpan = g, sp
		}
		if h.mem == nil {
			r.hits = append(r.hits, hit{h.Subscription(), sp.lo, sp.hi})
		} else {
			appendRegionHit(h.mem.sub, h.mem.regions, q, &r, sp.lo, sp.hi)
		}
	}
	return r.appendOwned(dst)
}

// AppendHits appends to dst the subscriptions a matches, without their
// reasons (see [Hit.Reasons]), and returns it: the same subscriptions as
// [Matcher.Match], in no particular order.
func (m *Matcher) AppendHits(dst []Hit, a *activities.Activity) []Hit {
	var out []Hit
	m.find(a, true, dst, func(st *matchState) { out = st.hits })
	return out
}

// find finds the matches of a: with lazy, appended to dst in st.hits,
// otherwise into st.res; done is called with the state before it is
// recycled.
func (m *Matcher) find(a *activities.Activity, lazy bool, dst []Hit, done func(*matchState)) {
	sc := scratchPool.Get().(*matchScratch)
	q := &sc.q
	q.init(a)
	// All lookups come first, then the scans of the lists found: the
	// lookups do not depend on one another, so the processor overlaps
	// their cache misses.
	// The state lives in the pooled scratch memory: on the stack it would
	// escape (done takes its address) and cost an allocation per call.
	st := &sc.st
	*st = matchState{m: m, q: q, gq: &sc.gq, sample: m.stats.sample(), seen: sc.seen[:0], res: &sc.res, pend: sc.pend[:0],
		gcand: sc.gcand[:0], cand: sc.cand[:0], inside: sc.inside[:0], memo: &sc.memo, set: &sc.set, lazy: lazy, hits: dst}
	if st.sample && q.hasPos {
		m.stats.addFOV(q.fov)
	}
	m.mu.RLock()
	defer func() {
		m.mu.RUnlock()
		q.a, q.observers, q.foot = nil, nil, nil
		sc.gq = gateQuery{}
		sc.seen = st.seen[:0]
		sc.res.reset()
		*st = matchState{} // keep no hits or matcher alive
		scratchPool.Put(sc)
	}()
	st.gq.reset(&m.ids, q)
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
	if m.strKeys[ixObserver] > 0 || st.sample {
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
	if q.hasSky && (m.cover.len() > 0 || m.anc.len() > 0) {
		// The cap holds the footprints too, when the activity has any.
		cells := queryCells(sc.cells[:0], q.lleaf, q.lp, q.lfov)
		sc.cells = cells
		sl := skyLookup{m: m, q: q, done: sc.done[:0], lists: sc.lists[:0], anc: sc.anc[:0], sinRad: math.Sin(min(q.lfov, math.Pi/2)), repeats: len(cells) > 1}
		// The ancestor-index list of each distinct ancestor first: a list
		// too long is not scanned, its cells are refined instead.
		for _, c := range cells {
			sl.ancList(c.Parent(ancLevel(c.Level())))
		}
		for _, c := range cells {
			sl.cell(c, skyMinLevel)
		}
		clear(sl.anc)
		sc.done, sc.lists, sc.anc = sl.done[:0], sl.lists, sl.anc[:0]
		st.repeats = sl.repeats
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
	// The first line of every list, in a loop of independent loads, so
	// that their cache misses overlap before the scans read on.
	var x int32
	for _, l := range st.pend {
		x ^= int32(l[0].kinds)
	}
	for _, l := range sc.lists {
		x ^= l[0].slot
	}
	st.sink ^= uint16(x)
	// Of a split list, bucket 0 and the activity's buckets (see
	// skySplitMin).
	var qb []int
	for i, n := 0, len(sc.lists); i < n; i++ {
		if l := sc.lists[i]; isSplit(l) {
			if qb == nil {
				var rep bool
				qb, rep = queryBuckets(sc.buckets[:0], q)
				st.repeats = st.repeats || rep
			}
			sc.lists[i] = splitBucket(l, 0)
			for _, b := range qb {
				if f := splitBucket(l, b); len(f) > 0 {
					sc.lists = append(sc.lists, f)
				}
			}
		}
	}
	for _, l := range st.pend {
		st.visit(l)
	}
	for _, l := range sc.lists {
		st.visitSky(l)
	}
	st.prefilterSky()
	clear(st.pend)
	clear(sc.lists)
	sc.pend, sc.lists = st.pend[:0], sc.lists[:0]
	st.visit(m.scan)
	// The memo is sized for the groups the candidates can be of (the
	// sky candidates' group changes): regrown as it fills, it cost the
	// slowest activities a few percent.
	ng, last := len(st.gcand), int32(-1)
	for _, c := range st.cand {
		if c.gid != last {
			ng, last = ng+1, c.gid
		}
	}
	st.memo.reset(ng)
	st.evalGroups()
	st.evalSky()
	clear(st.gcand)                                                                           // keep no group alive
	sc.gcand, sc.cand, sc.inside, sc.sink = st.gcand[:0], st.cand[:0], st.inside[:0], st.sink // stored, so that the loads are not optimized away
	done(st)
}
