package subscribe

import "slices"

// A group's gate decides its criteria from 32-bit IDs held in the group
// itself, so that checking a group an index yields reads the group's own
// memory and nothing it points to: at a million subscriptions every
// pointer followed is a cache miss of its own, and the criteria's value
// lists and strings are several.
//
// The IDs come from a keyIDs of the Matcher, which gives every distinct
// value (folded as the criteria compare it) of the criteria gates hold an
// ID; an activity's values are looked up there once per Match. Two values
// have the same ID exactly when they are equal, so a gate's answer is the
// criteria's answer.

// The criteria a gate holds, in the order of gate.ends.
const (
	gkSource = iota
	gkFacility
	gkInstrument
	gkProgramme // exact programme IDs
	gkPrefix    // programme prefixes ("109.*" is "109.")
	nGateKinds
)

// gateCap is the number of values a gate holds at most; a group whose
// criteria have more is checked in full.
const gateCap = 8

// gate is what a group's criteria, apart from its kinds (see pre), ask of
// an activity, as IDs of keyIDs.
type gate struct {
	// ok: the gate decides the group's criteria. A group that also sets a
	// target, an observer, a time window or a band, or more than gateCap
	// values, is checked in full.
	ok bool
	// ends: the IDs of criterion k are ids[ends[k-1]:ends[k]] (ends[-1] is
	// 0); a criterion without IDs is not set.
	ends [nGateKinds]uint8
	ids  [gateCap]uint32
}

// keyIDs gives the values of the criteria gates hold their IDs, counting
// the gates that hold each. The zero value is not ready: see init.
type keyIDs struct {
	ids   [nGateKinds]map[string]uint32
	refs  []int32 // by ID; refs[0] is unused
	free  []uint32
	keys  []string // by ID, for release
	kinds []uint8  // by ID
	// plens counts the prefixes of each length held; lens lists those
	// lengths in increasing order.
	plens map[int]int
	lens  []int
}

func (k *keyIDs) init() {
	for i := range k.ids {
		k.ids[i] = map[string]uint32{}
	}
	k.refs, k.keys, k.kinds = make([]int32, 1), make([]string, 1), make([]uint8, 1)
	k.plens = map[int]int{}
}

// acquire returns the ID of key in criterion kind, counting one more
// holder.
func (k *keyIDs) acquire(kind uint8, key string) uint32 {
	if id, ok := k.ids[kind][key]; ok {
		k.refs[id]++
		return id
	}
	var id uint32
	if n := len(k.free); n > 0 {
		id = k.free[n-1]
		k.free = k.free[:n-1]
		k.refs[id], k.keys[id], k.kinds[id] = 1, key, kind
	} else {
		id = uint32(len(k.refs))
		k.refs, k.keys, k.kinds = append(k.refs, 1), append(k.keys, key), append(k.kinds, kind)
	}
	k.ids[kind][key] = id
	if kind == gkPrefix {
		k.plens[len(key)]++
		if k.plens[len(key)] == 1 {
			k.relens()
		}
	}
	return id
}

// release counts one holder of id less, forgetting the value with the
// last.
func (k *keyIDs) release(id uint32) {
	if k.refs[id]--; k.refs[id] > 0 {
		return
	}
	kind, key := k.kinds[id], k.keys[id]
	delete(k.ids[kind], key)
	k.keys[id] = ""
	k.free = append(k.free, id)
	if kind == gkPrefix {
		if k.plens[len(key)]--; k.plens[len(key)] == 0 {
			delete(k.plens, len(key))
			k.relens()
		}
	}
}

func (k *keyIDs) relens() {
	k.lens = k.lens[:0]
	for l := range k.plens {
		k.lens = append(k.lens, l)
	}
	slices.Sort(k.lens)
}

// id returns the ID of key in criterion kind, or 0 when no gate holds it.
func (k *keyIDs) id(kind uint8, key string) uint32 {
	if len(k.ids[kind]) == 0 {
		return 0
	}
	return k.ids[kind][key]
}

// gateOf builds the gate of the criteria c (a group's: without regions),
// acquiring the IDs of its values.
func (k *keyIDs) gateOf(c *compiled) gate {
	var g gate
	if c.matchAll {
		g.ok = true
		return g
	}
	if c.has&(hasTargets|hasObservers|hasTime|hasBands|hasRegions) != 0 {
		return g
	}
	n := len(c.instruments) + len(c.progs)
	if c.rare != nil {
		n += len(c.rare.sources) + len(c.rare.facilities)
	}
	if n > gateCap {
		return g
	}
	i := 0
	add := func(kind uint8, key string) {
		id := k.acquire(kind, key)
		for _, have := range g.ids[g.start(kind):i] {
			if have == id { // a value written twice
				k.release(id)
				return
			}
		}
		g.ids[i] = id
		i++
	}
	if c.rare != nil {
		for _, v := range c.rare.sources {
			add(gkSource, v.key)
		}
	}
	g.ends[gkSource] = uint8(i)
	if c.rare != nil {
		for _, v := range c.rare.facilities {
			add(gkFacility, v.key)
		}
	}
	g.ends[gkFacility] = uint8(i)
	for _, v := range c.instruments {
		add(gkInstrument, v.key)
	}
	g.ends[gkInstrument] = uint8(i)
	for j := range c.progs {
		if !c.progs[j].isPrefix() {
			add(gkProgramme, c.progs[j].key)
		}
	}
	g.ends[gkProgramme] = uint8(i)
	for j := range c.progs {
		if c.progs[j].isPrefix() {
			add(gkPrefix, c.progs[j].key)
		}
	}
	g.ends[gkPrefix] = uint8(i)
	g.ok = true
	return g
}

// start is the index in ids of the first ID of criterion kind.
func (g *gate) start(kind uint8) int {
	if kind == 0 {
		return 0
	}
	return int(g.ends[kind-1])
}

// releaseGate releases the IDs g holds.
func (k *keyIDs) releaseGate(g *gate) {
	for _, id := range g.ids[:g.ends[nGateKinds-1]] {
		k.release(id)
	}
}

// gateQuery is an activity's values as IDs of keyIDs (0: no gate holds
// the value), each looked up when a gate first asks for it: an activity
// whose candidate groups set no programme looks up none of its programme's
// prefixes.
type gateQuery struct {
	k    *keyIDs
	q    *query
	done uint8 // bit k: the values of criterion k are looked up

	source, facility  uint32
	instr, instrHead  uint32
	programme         uint32
	prefixes          [8]uint32 // of each prefix length in use, up to 8
	nPrefix           int
	morePrefixLengths bool // more lengths than prefixes holds: see passes
}

// reset prepares gq for the values of q, to be looked up in k. The caller
// holds the Matcher's read lock while it uses gq.
func (gq *gateQuery) reset(k *keyIDs, q *query) { *gq = gateQuery{k: k, q: q} }

// need looks up the activity's values of criterion kind, once.
func (gq *gateQuery) need(kind uint8) {
	if gq.done&(1<<kind) != 0 {
		return
	}
	gq.done |= 1 << kind
	k, q := gq.k, gq.q
	switch kind {
	case gkSource:
		gq.source = k.id(gkSource, q.source)
	case gkFacility:
		gq.facility = k.id(gkFacility, q.facility)
	case gkInstrument:
		gq.instr = k.id(gkInstrument, q.instrument)
		gq.instrHead = gq.instr
		if q.instrumentHead != q.instrument {
			gq.instrHead = k.id(gkInstrument, q.instrumentHead)
		}
	case gkProgramme:
		if q.programme != "" {
			gq.programme = k.id(gkProgramme, q.programme)
		}
	case gkPrefix:
		if q.programme == "" {
			return
		}
		for _, l := range k.lens {
			if l > len(q.programme) {
				break
			}
			if gq.nPrefix == len(gq.prefixes) {
				gq.morePrefixLengths = true
				break
			}
			if id := k.ids[gkPrefix][q.programme[:l]]; id != 0 {
				gq.prefixes[gq.nPrefix] = id
				gq.nPrefix++
			}
		}
	}
}

// passes reports whether an activity whose values are gq (and whose kind
// the group's pre admits) meets the criteria of the gate; sure is false
// when the gate cannot tell (the group must then be checked in full).
func (g *gate) passes(gq *gateQuery) (pass, sure bool) {
	if !g.ok {
		return false, false
	}
	s, f, in, pr, px := g.ends[gkSource], g.ends[gkFacility], g.ends[gkInstrument], g.ends[gkProgramme], g.ends[gkPrefix]
	// No ID is 0: an activity's value no gate holds is in no list.
	if s > 0 {
		if gq.need(gkSource); !slices.Contains(g.ids[:s], gq.source) {
			return false, true
		}
	}
	if f > s {
		if gq.need(gkFacility); !slices.Contains(g.ids[s:f], gq.facility) {
			return false, true
		}
	}
	if in > f {
		if gq.need(gkInstrument); !slices.Contains(g.ids[f:in], gq.instr) && !slices.Contains(g.ids[f:in], gq.instrHead) {
			return false, true
		}
	}
	// Exact programmes and prefixes are one criterion: either matches.
	if pr > in {
		if gq.need(gkProgramme); slices.Contains(g.ids[in:pr], gq.programme) {
			return true, true
		}
	}
	if px > pr {
		if gq.need(gkPrefix); !gq.prefixHit(g.ids[pr:px]) {
			return false, !gq.morePrefixLengths
		}
	} else if pr > in {
		return false, true // an exact programme only, not the activity's
	}
	return true, true
}

// prefixHit reports whether one of the prefix IDs pre is a prefix of the
// activity's programme.
func (gq *gateQuery) prefixHit(pre []uint32) bool {
	if len(pre) == 0 {
		return false
	}
	for _, id := range gq.prefixes[:gq.nPrefix] {
		if slices.Contains(pre, id) {
			return true
		}
	}
	return false
}
