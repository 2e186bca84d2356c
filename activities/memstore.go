package activities

import (
	"context"
	"slices"
	"sync"
)

// MemoryStore is a Store that keeps everything in memory. Its zero value is
// not usable; call NewMemoryStore.
type MemoryStore struct {
	mu      sync.RWMutex
	byID    map[string]*Entry
	journal []*Entry // in Seq order; entries superseded by a later change are skipped
	stale   int
	seq     uint64
	closed  bool
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{byID: map[string]*Entry{}}
}

var errClosed = ErrClosed

// Put implements Store.
func (s *MemoryStore) Put(ctx context.Context, acts []Activity) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	var out []Entry
	for i := range acts {
		a := &acts[i]
		old, ok := s.byID[a.ID]
		if ok && old.Activity.Revision >= a.Revision {
			continue
		}
		s.seq++
		e := &Entry{Seq: s.seq, Activity: *a}
		if ok {
			s.stale++
		}
		s.byID[a.ID] = e
		s.journal = append(s.journal, e)
		out = append(out, *e)
	}
	if s.stale > 1024 && s.stale > len(s.journal)/2 {
		s.compact()
	}
	return out, nil
}

// compact drops superseded journal entries.
func (s *MemoryStore) compact() {
	live := s.journal[:0]
	for _, e := range s.journal {
		if s.byID[e.Activity.ID] == e {
			live = append(live, e)
		}
	}
	clear(s.journal[len(live):])
	s.journal = live
	s.stale = 0
}

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, id string) (Activity, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if e, ok := s.byID[id]; ok {
		return e.Activity, nil
	}
	return Activity{}, ErrNotFound
}

// Since implements Store.
func (s *MemoryStore) Since(ctx context.Context, after uint64, limit int) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 1000
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, _ := slices.BinarySearchFunc(s.journal, after+1, func(e *Entry, seq uint64) int {
		switch {
		case e.Seq < seq:
			return -1
		case e.Seq > seq:
			return 1
		}
		return 0
	})
	var out []Entry
	for ; i < len(s.journal) && len(out) < limit; i++ {
		e := s.journal[i]
		if s.byID[e.Activity.ID] != e {
			continue
		}
		out = append(out, *e)
	}
	return out, nil
}

// LastSeq implements Store.
func (s *MemoryStore) LastSeq(ctx context.Context) (uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.seq, nil
}

// Find implements Store.
func (s *MemoryStore) Find(ctx context.Context, q Query) (Page, error) {
	if err := checkQuery(&q); err != nil {
		return Page{}, err
	}
	var after *findKey
	if q.Cursor != "" {
		k, err := parseCursor(q.Cursor)
		if err != nil {
			return Page{}, err
		}
		after = &k
	}
	s.mu.RLock()
	var hits []*Activity
	for _, e := range s.byID {
		a := &e.Activity
		if after != nil && !after.before(keyOf(a)) {
			continue
		}
		if q.Match(a) {
			hits = append(hits, a)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(hits, func(a, b *Activity) int {
		ka, kb := keyOf(a), keyOf(b)
		switch {
		case ka.before(kb):
			return -1
		case kb.before(ka):
			return 1
		}
		return 0
	})
	var p Page
	n := q.limit()
	for i, a := range hits {
		if i == n {
			p.Next = keyOf(hits[i-1]).cursor()
			break
		}
		p.Activities = append(p.Activities, *a)
	}
	return p, nil
}

// Close implements Store.
func (s *MemoryStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
