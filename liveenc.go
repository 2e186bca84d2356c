package arcsecond

import (
	"encoding/json"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
)

// liveEncodings encodes each entry of the live streams once, however many
// clients it goes to: with a thousand clients, encoding per client made a
// thousand copies of every activity for the collector.
type liveEncodings struct {
	mu   sync.Mutex
	ring [1024]liveEncoding // by Seq modulo its size
}

type liveEncoding struct {
	seq uint64
	b   []byte
}

// encode returns the JSON encoding of e's activity (shared: do not modify).
func (l *liveEncodings) encode(e activities.Entry) ([]byte, error) {
	slot := &l.ring[e.Seq%uint64(len(l.ring))]
	l.mu.Lock()
	if slot.b != nil && slot.seq == e.Seq {
		b := slot.b
		l.mu.Unlock()
		return b, nil
	}
	l.mu.Unlock()
	b, err := json.Marshal(e.Activity)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	slot.seq, slot.b = e.Seq, b
	l.mu.Unlock()
	return b, nil
}
