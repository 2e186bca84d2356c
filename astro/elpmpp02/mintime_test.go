package elpmpp02

import (
	"testing"
	"time"
)

// minTimer records the fastest batch of batchSize iterations inside a
// benchmark loop. On a shared, loaded machine the fastest batch (one that ran
// without being preempted) approximates the unloaded cost; it is reported as
// min-ns/op beside the usual mean. bench/astro/bench.mjs measures the Node
// peers the same way.
type minTimer struct {
	b     *testing.B
	n     int
	start time.Time
	best  time.Duration
}

const batchSize = 64

func newMinTimer(b *testing.B) *minTimer { return &minTimer{b: b, best: 1<<63 - 1} }

// tick is called once per iteration.
func (m *minTimer) tick() {
	if m.n%batchSize == 0 {
		now := time.Now()
		if m.n > 0 {
			m.best = min(m.best, now.Sub(m.start))
		}
		m.start = now
	}
	m.n++
}

func (m *minTimer) report() {
	if m.n > batchSize {
		m.b.ReportMetric(float64(m.best.Nanoseconds())/batchSize, "min-ns/op")
	}
}
