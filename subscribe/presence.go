package subscribe

import (
	"hash/maphash"
	"math/bits"

	"github.com/golang/geo/s2"
)

// presence is a blocked Bloom filter over the keys of a Matcher's indexes:
// each key sets two bits of one 64-bit word, so a lookup reads one word.
// It answers "certainly absent" or "maybe present"; a Matcher sizes it at
// 16 bits a key and rebuilds it twice as large once it holds 8 bits a key,
// which keeps false positives below about 4%.
type presence struct {
	words []uint64
	mask  uint64
}

const (
	presenceMinWords   = 512 // 4 KiB
	presenceBitsPerKey = 16
)

// reset empties the filter, sized for n keys.
func (f *presence) reset(n int) {
	w := max(presenceMinWords, n*presenceBitsPerKey/64)
	w = 1 << bits.Len(uint(w-1)) // a power of two
	f.words = make([]uint64, w)
	f.mask = uint64(w - 1)
}

// full reports whether n keys would exceed half the filter's design load.
func (f *presence) full(n int) bool {
	return n*presenceBitsPerKey/2 > len(f.words)*64
}

func (f *presence) add(h uint64) {
	f.words[(h>>32)&f.mask] |= 1<<(h&63) | 1<<((h>>6)&63)
}

func (f *presence) has(h uint64) bool {
	b := uint64(1)<<(h&63) | uint64(1)<<((h>>6)&63)
	return f.words[(h>>32)&f.mask]&b == b
}

var keySeed = maphash.MakeSeed()

// mix64 is the finalizer of SplitMix64: every input bit affects every
// output bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// strHash is the key of string s in string index ix, in the presence
// filter and in the index itself (never 0, which marks an empty slot).
func strHash(ix uint8, s string) uint64 {
	if h := mix64(maphash.String(keySeed, s) + uint64(ix+1)*0x9e3779b97f4a7c15); h != 0 {
		return h
	}
	return 1
}

// cellHash is the filter key of cell c in sky index ix.
func cellHash(ix uint8, c s2.CellID) uint64 {
	return mix64(uint64(c) + uint64(ix+1)*0x9e3779b97f4a7c15)
}
