package auth

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// MemoryStore keeps keys in memory. The zero value is ready to use.
type MemoryStore struct {
	mu    sync.Mutex
	keys  map[string]Key
	order []string
}

// Create implements Store.
func (s *MemoryStore) Create(_ context.Context, k Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		s.keys = map[string]Key{}
	}
	if _, ok := s.keys[k.ID]; ok {
		return fmt.Errorf("auth: key %s exists", k.ID)
	}
	k.Hash = slices.Clone(k.Hash)
	s.keys[k.ID] = k
	s.order = append(s.order, k.ID)
	return nil
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, id string) (Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return Key{}, ErrNotFound
	}
	return k, nil
}

// List implements Store.
func (s *MemoryStore) List(context.Context) ([]Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Key, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.keys[id])
	}
	return out, nil
}

// Revoke implements Store.
func (s *MemoryStore) Revoke(_ context.Context, id string, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return ErrNotFound
	}
	if k.Revoked.IsZero() {
		k.Revoked = t
		s.keys[id] = k
	}
	return nil
}
