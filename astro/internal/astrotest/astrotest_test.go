package astrotest

import (
	"math"
	"testing"
	"time"
)

func TestMeterBatches(t *testing.T) {
	m := &Meter{best: 1<<63 - 1}
	for i := 0; i < 3*BatchSize+1; i++ {
		m.Tick()
		if i%BatchSize == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	if m.n != 3*BatchSize+1 {
		t.Fatalf("n = %d, want %d", m.n, 3*BatchSize+1)
	}
	if m.best <= 0 || m.best == 1<<63-1 {
		t.Errorf("best batch = %v, want a positive measured duration", m.best)
	}
}

func TestCPUNanos(t *testing.T) {
	c0 := cpuNanos()
	x := 0.0
	for i := 0; i < 10_000_000; i++ {
		x += float64(i)
	}
	if c1 := cpuNanos(); c1 < c0 || x < 0 {
		t.Errorf("cpuNanos went backwards: %d then %d", c0, c1)
	}
}

func TestSharedPathSkips(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	t.Setenv("CI", "")
	ok := t.Run("missing", func(t *testing.T) {
		SharedPath(t, "no-such-folder-for-astrotest")
		t.Error("SharedPath returned for a missing path instead of skipping")
	})
	if !ok {
		t.Error("missing shared path should skip the subtest, not fail it")
	}
}

func BenchmarkMeter(b *testing.B) {
	m := NewMeter(b)
	defer m.Report()
	for b.Loop() {
		m.Tick()
	}
}

func TestVec(t *testing.T) {
	x, y := Sphere(0, 0), Sphere(90, 0)
	if d := x.Cross(y).Sub(Sphere(0, 90)); d.Dot(d) > 1e-30 {
		t.Errorf("x × y = %v, want z", x.Cross(y))
	}
	if got := x.Add(y).Scale(2).Dot(y); math.Abs(got-2) > 1e-15 {
		t.Errorf("(x+y)·2·y = %v, want 2", got)
	}
	// 1e-4 rad of aberration perpendicular to the direction.
	a := Aberrate(x, Vec{0, 1e-4, 0})
	if ang := math.Acos(a.Dot(x)); math.Abs(ang-1e-4) > 1e-12 {
		t.Errorf("aberration angle %v, want 1e-4", ang)
	}
}
