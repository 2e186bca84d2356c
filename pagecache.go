package arcsecond

import (
	"bytes"
	"hash/maphash"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// pageCache keeps encoded answers of GET /api/activities until the feed
// records anything new: dashboards and pollers ask the same few questions.
// It is keyed on the parsed query (so that parameters the API ignores, their
// order and their spelling do not make new entries) and bounded by the bytes
// of the pages it holds, forgetting the oldest first.
//
// A page is admitted the second time its query is asked (among the last
// seenQueries distinct ones): a query asked once — a crawler's, a scan's —
// is streamed to its client without the whole page being held in memory,
// and does not evict the pages that are being asked again.
type pageCache struct {
	mu    sync.Mutex
	max   int // bytes; 0 is defaultPageCacheBytes
	seq   uint64
	pages map[string][]byte
	order []string            // keys, oldest first
	bytes int                 // of keys and pages held
	seen  map[uint64]struct{} // hashes of the keys asked recently
	seed  maphash.Seed
}

// seenQueries bounds pageCache.seen: when full, it starts again empty.
const seenQueries = 4096

// defaultPageCacheBytes bounds the page cache: a page of 1000 activities
// is about 400 kB.
const defaultPageCacheBytes = 8 << 20

func (c *pageCache) limit() int {
	if c.max > 0 {
		return c.max
	}
	return defaultPageCacheBytes
}

// reset empties the cache for the feed's sequence seq. (Called with mu held.)
func (c *pageCache) reset(seq uint64) {
	c.seq, c.pages, c.order, c.bytes = seq, nil, nil, 0
}

func (c *pageCache) get(seq uint64, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq {
		c.reset(seq)
	}
	b, ok := c.pages[key]
	return b, ok
}

// admit reports whether the page of key is worth building whole to
// cache: whether key has been asked before (see pageCache). It records
// that key was asked.
func (c *pageCache) admit(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max < 0 {
		return false
	}
	if c.seen == nil {
		c.seen, c.seed = map[uint64]struct{}{}, maphash.MakeSeed()
	}
	h := maphash.String(c.seed, key)
	if _, ok := c.seen[h]; ok {
		return true
	}
	if len(c.seen) >= seenQueries {
		clear(c.seen)
	}
	c.seen[h] = struct{}{}
	return false
}

func (c *pageCache) put(seq uint64, key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq {
		return
	}
	size := len(key) + len(b)
	if _, ok := c.pages[key]; ok || c.max < 0 || size > c.limit()/4 {
		return // a page that large would evict too much to earn its place
	}
	if cap(b) > len(b) {
		b = bytes.Clone(b) // the encoder's buffer may be twice the page
	}
	for c.bytes+size > c.limit() && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= len(old) + len(c.pages[old])
		delete(c.pages, old)
	}
	if c.pages == nil {
		c.pages = map[string][]byte{}
	}
	c.pages[key] = b
	c.order = append(c.order, key)
	c.bytes += size
}

// size returns the bytes and the number of pages held.
func (c *pageCache) size() (bytes, pages int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes, len(c.pages)
}

// pageKey is the cache key of a query: its parsed fields, in a fixed
// order, so that ?limit=5&source=eso and ?source=eso&limit=5&junk=1 share
// an entry.
func pageKey(q activities.Query) string {
	var b strings.Builder
	for _, s := range []string{q.Source, q.Facility, q.Instrument, string(q.Kind), q.Cursor} {
		b.WriteString(strconv.Quote(s))
	}
	for _, t := range []time.Time{q.Window.Start, q.Window.End} {
		if !t.IsZero() {
			b.WriteString(t.UTC().Format(time.RFC3339Nano))
		}
		b.WriteByte('|')
	}
	b.WriteString(strconv.Itoa(q.Limit))
	// Each optional filter behind its own tag, so that no two differ only
	// in which filter a number belongs to.
	add := func(tag byte, fs ...float64) {
		b.WriteByte('|')
		b.WriteByte(tag)
		for _, f := range fs {
			b.WriteByte(' ')
			b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	if c := q.Cone; c != nil {
		add('c', c.RA, c.Dec, c.Radius)
	}
	if bp := q.Band; bp != nil {
		add('b', float64(bp.Min), float64(bp.Max))
	}
	if p := q.Point; p != nil {
		add('p', p.RA, p.Dec)
	}
	return b.String()
}
