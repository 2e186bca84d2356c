package subscribe

import (
	"math"
	"sync/atomic"
)

// keyStats estimates how often the activities a Matcher matches have each
// key: a count-min sketch (two rows) of the keys of one activity in
// statEvery, and the mean radius of their fields of view. Match updates it
// with atomic additions under the read lock; Add reads it to choose where
// to file a group.
type keyStats struct {
	n       atomic.Uint64 // activities matched
	sampled atomic.Uint64 // activities recorded
	fovN    atomic.Uint64
	fovSum  atomic.Uint64 // in nanoradians
	rows    [2][statWidth]atomic.Uint32
}

const (
	statWidth = 1 << 14
	statEvery = 8
	// statPriorWeight is the weight of the prior, in activities.
	statPriorWeight = 16
)

// sample reports whether the keys of the activity being matched are to be
// recorded, and counts it if so.
func (k *keyStats) sample() bool {
	if k.n.Add(1)%statEvery != 0 {
		return false
	}
	k.sampled.Add(1)
	return true
}

// add records key h of a sampled activity.
func (k *keyStats) add(h uint64) {
	k.rows[0][h&(statWidth-1)].Add(1)
	k.rows[1][(h>>32)&(statWidth-1)].Add(1)
}

func (k *keyStats) addFOV(rad float64) {
	if rad > 0 && rad <= math.Pi {
		k.fovN.Add(1)
		k.fovSum.Add(uint64(rad * 1e9))
	}
}

// prob is the estimated probability that an activity has key h, starting
// from prior p before any activity is recorded.
func (k *keyStats) prob(h uint64, p float64) float64 {
	c := min(k.rows[0][h&(statWidth-1)].Load(), k.rows[1][(h>>32)&(statWidth-1)].Load())
	return (float64(c) + p*statPriorWeight) / (float64(k.sampled.Load()) + statPriorWeight)
}

// meanFOV is the mean radius in radians of the fields of view recorded,
// 0.1° before any.
func (k *keyStats) meanFOV() float64 {
	n := k.fovN.Load()
	if n == 0 {
		return 0.1 * deg
	}
	return float64(k.fovSum.Load()) / 1e9 / float64(n)
}
