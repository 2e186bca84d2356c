package subscribe

import "github.com/golang/geo/s2"

// cellTable maps S2 cells to posting lists: an open-addressing hash table
// with linear probing, a power-of-two size and a load of at most 3/4.
// Key and list share one 32-byte slot, so a lookup costs one cache line
// where a Go map costs a control word and a slot, and it grows by a single
// pass instead of splitting tables. A deletion shifts the following
// entries back, so there are no tombstones. CellID 0 is not a valid cell;
// it marks an empty slot.
type cellTable struct {
	slots []cellSlot
	n     int // keys held
}

type cellSlot struct {
	key  s2.CellID
	list []skyPost
}

const cellTableMin = 64

func (t *cellTable) home(c s2.CellID) int {
	return int(mix64(uint64(c)) & uint64(len(t.slots)-1))
}

// get returns the list of c, or nil.
func (t *cellTable) get(c s2.CellID) []skyPost {
	if len(t.slots) == 0 || c == 0 {
		return nil
	}
	mask := len(t.slots) - 1
	for i := t.home(c); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == c {
			return s.list
		}
		if s.key == 0 {
			return nil
		}
	}
}

// ref returns a pointer to the list of c, adding c with an empty list if
// it is absent (added reports that). The pointer is valid until the next
// call of ref or del. c must be a valid cell (not 0).
func (t *cellTable) ref(c s2.CellID) (list *[]skyPost, added bool) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	mask := len(t.slots) - 1
	for i := t.home(c); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == c {
			return &s.list, false
		}
		if s.key == 0 {
			s.key = c
			t.n++
			return &s.list, true
		}
	}
}

// set replaces the list of c; it does nothing when c is absent.
func (t *cellTable) set(c s2.CellID, list []skyPost) {
	if len(t.slots) == 0 || c == 0 {
		return
	}
	mask := len(t.slots) - 1
	for i := t.home(c); t.slots[i].key != 0; i = (i + 1) & mask {
		if t.slots[i].key == c {
			t.slots[i].list = list
			return
		}
	}
}

func (t *cellTable) grow() {
	old := t.slots
	t.slots = make([]cellSlot, max(cellTableMin, 2*len(old)))
	mask := len(t.slots) - 1
	for k := range old {
		if old[k].key == 0 {
			continue
		}
		i := t.home(old[k].key)
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = old[k]
	}
}

// del removes c and reports whether it was there.
func (t *cellTable) del(c s2.CellID) bool {
	if len(t.slots) == 0 || c == 0 {
		return false
	}
	mask := len(t.slots) - 1
	i := t.home(c)
	for t.slots[i].key != c {
		if t.slots[i].key == 0 {
			return false
		}
		i = (i + 1) & mask
	}
	// Shift back each following entry whose home is not between the hole
	// and its slot (cyclically), until an empty slot.
	for j := (i + 1) & mask; t.slots[j].key != 0; j = (j + 1) & mask {
		h := t.home(t.slots[j].key)
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = cellSlot{}
	t.n--
	return true
}

// len is the number of keys.
func (t *cellTable) len() int { return t.n }

// each calls f for each key and its list.
func (t *cellTable) each(f func(s2.CellID, []skyPost)) {
	for i := range t.slots {
		if t.slots[i].key != 0 {
			f(t.slots[i].key, t.slots[i].list)
		}
	}
}
