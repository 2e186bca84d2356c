package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLimiterEntries bounds the callers a Limiter tracks.
const maxLimiterEntries = 10000

// Limiter is a token bucket per caller (an API key or an IP address).
type Limiter struct {
	r     rate.Limit
	burst int
	mu    sync.Mutex
	m     map[string]*rate.Limiter
}

// NewLimiter allows each caller perSecond requests a second on average,
// burst at once.
func NewLimiter(perSecond float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{r: rate.Limit(perSecond), burst: burst, m: map[string]*rate.Limiter{}}
}

// Allow reports whether caller may make a request now, and if not, how
// long it should wait.
func (l *Limiter) Allow(caller string) (bool, time.Duration) {
	l.mu.Lock()
	lim, ok := l.m[caller]
	if !ok {
		if len(l.m) >= maxLimiterEntries {
			l.evict()
		}
		lim = rate.NewLimiter(l.r, l.burst)
		l.m[caller] = lim
	}
	l.mu.Unlock()
	now := time.Now()
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Minute
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// evict forgets the callers whose bucket is full (they lose nothing), or
// every caller if none is.
func (l *Limiter) evict() {
	now := time.Now()
	for k, lim := range l.m {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.m, k)
		}
	}
	if len(l.m) >= maxLimiterEntries {
		clear(l.m)
	}
}

// Gauge counts what each caller holds (live connections) up to a cap.
type Gauge struct {
	max int
	mu  sync.Mutex
	m   map[string]int
}

// NewGauge lets each caller hold at most max.
func NewGauge(max int) *Gauge { return &Gauge{max: max, m: map[string]int{}} }

// Acquire takes one for caller, reporting false at the cap.
func (g *Gauge) Acquire(caller string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m[caller] >= g.max {
		return false
	}
	g.m[caller]++
	return true
}

// Release gives back one of caller's.
func (g *Gauge) Release(caller string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m[caller]--; g.m[caller] <= 0 {
		delete(g.m, caller)
	}
}
