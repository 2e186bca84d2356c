package resolve

import (
	"container/list"
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// Cache keeps the answers of a Resolver: positions found and names not
// found (not the failures to reach the service), at most Size of them,
// the least recently used dropped first, each for TTL. Its zero value is
// not usable: build it with [NewCache].
type Cache struct {
	r    Resolver
	size int
	ttl  time.Duration
	now  func() time.Time

	mu    sync.Mutex
	order *list.List               // of *cacheEntry, most recent first
	byKey map[string]*list.Element // normalized name → element
}

type cacheEntry struct {
	key     string
	target  Target
	err     error // nil or an ErrNotFound error
	expires time.Time
}

// Default cache bounds.
const (
	DefaultCacheSize = 1000
	DefaultCacheTTL  = 24 * time.Hour
)

// NewCache puts a cache of at most size answers, each kept for ttl, in
// front of r (size ≤ 0: DefaultCacheSize; ttl ≤ 0: DefaultCacheTTL).
func NewCache(r Resolver, size int, ttl time.Duration) *Cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	return &Cache{r: r, size: size, ttl: ttl, now: time.Now, order: list.New(), byKey: map[string]*list.Element{}}
}

// cacheKey folds case and runs of spaces: "m  31" and "M 31" are one name
// for a resolver.
func cacheKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// Resolve answers from the cache, or asks the resolver and keeps its
// answer unless it is a failure to reach the service or a bad reply.
func (c *Cache) Resolve(ctx context.Context, name string) (Target, error) {
	key := cacheKey(name)
	now := c.now()
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		e := el.Value.(*cacheEntry)
		if now.Before(e.expires) {
			c.order.MoveToFront(el)
			c.mu.Unlock()
			t := e.target
			t.Name = strings.TrimSpace(name)
			return t, e.err
		}
		c.order.Remove(el)
		delete(c.byKey, key)
	}
	c.mu.Unlock()

	t, err := c.r.Resolve(ctx, name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return t, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok { // another caller filled it meanwhile
		c.order.Remove(el)
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, target: t, err: err, expires: now.Add(c.ttl)})
	for c.order.Len() > c.size {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*cacheEntry).key)
	}
	return t, err
}

// Len is the number of answers held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
