package subscribe

import (
	"math/rand/v2"
	"testing"

	"github.com/golang/geo/s2"
)

// TestPostTableAgainstMap applies random insertions, appends and deletions
// to a postTable and to a Go map, with keys drawn from a small pool so that
// probe chains collide and wrap around, and checks every key after each
// operation batch.
func TestPostTableAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	var pool []s2.CellID
	for range 3000 {
		ll := s2.LatLngFromDegrees(r.Float64()*180-90, r.Float64()*360)
		pool = append(pool, s2.CellIDFromLatLng(ll).Parent(r.IntN(31)))
	}
	var tab postTable[skyPost]
	ref := map[s2.CellID][]skyPost{}
	check := func(step int) {
		t.Helper()
		if tab.len() != len(ref) {
			t.Fatalf("step %d: %d keys, want %d", step, tab.len(), len(ref))
		}
		for _, c := range pool {
			got, want := tab.get(uint64(c)), ref[c]
			if len(got) != len(want) {
				t.Fatalf("step %d: cell %v: %d postings, want %d", step, c, len(got), len(want))
			}
			for i := range got {
				if got[i].slot != want[i].slot {
					t.Fatalf("step %d: cell %v: posting %d is slot %d, want %d", step, c, i, got[i].slot, want[i].slot)
				}
			}
		}
		n := 0
		tab.each(func(k uint64, l []skyPost) {
			c := s2.CellID(k)
			n++
			if len(ref[c]) != len(l) {
				t.Fatalf("step %d: each gave cell %v with %d postings, want %d", step, c, len(l), len(ref[c]))
			}
		})
		if n != len(ref) {
			t.Fatalf("step %d: each visited %d keys, want %d", step, n, len(ref))
		}
	}
	for step := range 60 {
		for range 500 {
			c := pool[r.IntN(len(pool))]
			if r.IntN(3) == 0 {
				_, had := ref[c]
				if tab.del(uint64(c)) != had {
					t.Fatalf("step %d: del(%v) disagrees with the map (had %v)", step, c, had)
				}
				delete(ref, c)
				continue
			}
			p := skyPost{slot: int32(r.IntN(1000))}
			l, added := tab.ref(uint64(c))
			if _, had := ref[c]; added == had {
				t.Fatalf("step %d: ref(%v) added=%v, the map had it: %v", step, c, added, had)
			}
			*l = append(*l, p)
			ref[c] = append(ref[c], p)
		}
		check(step)
	}
	if tab.get(0) != nil || tab.del(0) {
		t.Fatal("cell 0 (the empty marker) found")
	}
}
