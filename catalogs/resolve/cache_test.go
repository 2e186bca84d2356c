package resolve

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// countingResolver answers from a table and counts the questions.
type countingResolver struct {
	mu    sync.Mutex
	asked map[string]int
	known map[string]Target
	down  bool
}

func (r *countingResolver) Resolve(_ context.Context, name string) (Target, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked[name]++
	if r.down {
		return Target{}, &Error{Kind: ErrUnreachable, Service: "test", Name: name, Detail: "down"}
	}
	if t, ok := r.known[name]; ok {
		return t, nil
	}
	return Target{}, &Error{Kind: ErrNotFound, Service: "test", Name: name, Detail: "unknown"}
}

func TestCache(t *testing.T) {
	r := &countingResolver{asked: map[string]int{}, known: map[string]Target{
		"M 31": {Name: "M 31", RA: 10.68, Dec: 41.27, Service: "test"},
		"M 77": {Name: "M 77", RA: 40.67, Dec: -0.01, Service: "test"},
		"M 42": {Name: "M 42", RA: 83.82, Dec: -5.39, Service: "test"},
	}}
	c := NewCache(r, 2, time.Hour)
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	ctx := context.Background()

	for _, name := range []string{"M 31", "m  31", "M 31"} {
		got, err := c.Resolve(ctx, name)
		if err != nil || got.RA != 10.68 || got.Name != name {
			t.Errorf("%q: %+v %v", name, got, err)
		}
	}
	if r.asked["M 31"] != 1 || r.asked["m  31"] != 0 {
		t.Errorf("asked %v, want M 31 once (case and spaces folded)", r.asked)
	}
	// Not found is kept too.
	for range 2 {
		if _, err := c.Resolve(ctx, "nothing"); !errors.Is(err, ErrNotFound) {
			t.Errorf("nothing: %v", err)
		}
	}
	if r.asked["nothing"] != 1 || c.Len() != 2 {
		t.Errorf("asked %v, len %d", r.asked, c.Len())
	}
	// Bounded: a third name drops the least recently used (M 31).
	c.Resolve(ctx, "M 77")
	c.Resolve(ctx, "M 31")
	if r.asked["M 31"] != 2 || c.Len() != 2 {
		t.Errorf("after eviction: asked %v, len %d", r.asked, c.Len())
	}
	// Expiry.
	now = now.Add(2 * time.Hour)
	c.Resolve(ctx, "M 31")
	if r.asked["M 31"] != 3 {
		t.Errorf("after the TTL: asked %v", r.asked)
	}
	// Failures to reach the service are not kept.
	r.down = true
	for range 2 {
		if _, err := c.Resolve(ctx, "M 42"); !errors.Is(err, ErrUnreachable) {
			t.Errorf("down: %v", err)
		}
	}
	if r.asked["M 42"] != 2 {
		t.Errorf("down: asked %v, want M 42 twice", r.asked)
	}
}

func TestCacheConcurrent(t *testing.T) {
	r := &countingResolver{asked: map[string]int{}, known: map[string]Target{}}
	for i := range 50 {
		n := fmt.Sprint("obj ", i)
		r.known[n] = Target{Name: n, RA: float64(i)}
	}
	c := NewCache(r, 10, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				n := fmt.Sprint("obj ", (i*7+g)%50)
				if got, err := c.Resolve(context.Background(), n); err != nil || got.Name != n {
					t.Errorf("%s: %+v %v", n, got, err)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() > 10 {
		t.Errorf("len %d beyond the bound 10", c.Len())
	}
}
