package subscribe

// postTable maps 64-bit keys to posting lists: an open-addressing hash
// table with linear probing, a power-of-two size and a load of at most
// 3/4. Key and list share one 32-byte slot, so a lookup costs one cache
// line where a Go map costs a control word and a slot, and it grows by a
// single pass instead of splitting tables. A deletion shifts the following
// entries back, so there are no tombstones. Key 0 marks an empty slot.
//
// The sky index keys it by S2 cell ID (0 is not a valid cell). The string
// indexes key it by a 64-bit hash of the index and the string, without
// keeping the string: two strings with the same hash would share a list,
// which only adds candidates, and every candidate is checked in full.
type postTable[P any] struct {
	slots []tableSlot[P]
	n     int // keys held
}

type tableSlot[P any] struct {
	key  uint64
	list []P
}

const postTableMin = 64

func (t *postTable[P]) home(k uint64) int {
	return int(mix64(k) & uint64(len(t.slots)-1))
}

// get returns the list of k, or nil.
func (t *postTable[P]) get(k uint64) []P {
	if len(t.slots) == 0 || k == 0 {
		return nil
	}
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == k {
			return s.list
		}
		if s.key == 0 {
			return nil
		}
	}
}

// ref returns a pointer to the list of k, adding k with an empty list if
// it is absent (added reports that). The pointer is valid until the next
// call of ref or del. k must not be 0.
func (t *postTable[P]) ref(k uint64) (list *[]P, added bool) {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == k {
			return &s.list, false
		}
		if s.key == 0 {
			s.key = k
			t.n++
			return &s.list, true
		}
	}
}

// set replaces the list of k; it does nothing when k is absent.
func (t *postTable[P]) set(k uint64, list []P) {
	if len(t.slots) == 0 || k == 0 {
		return
	}
	mask := len(t.slots) - 1
	for i := t.home(k); t.slots[i].key != 0; i = (i + 1) & mask {
		if t.slots[i].key == k {
			t.slots[i].list = list
			return
		}
	}
}

func (t *postTable[P]) grow() {
	t.slots = t.rehash(max(postTableMin, 2*len(t.slots)))
}

// grown returns, when n more keys would take the table past its load
// limit, its slots rehashed into a large enough array, for the caller to
// install in place of t.slots; otherwise nil. It only reads the table, so
// it may run while others read it too.
func (t *postTable[P]) grown(n int) []tableSlot[P] {
	size := max(postTableMin, len(t.slots))
	for (t.n+n)*4 > size*3 {
		size *= 2
	}
	if size == len(t.slots) {
		return nil
	}
	return t.rehash(size)
}

// rehash returns the entries of t in a new array of size slots (a power of
// two).
func (t *postTable[P]) rehash(size int) []tableSlot[P] {
	slots := make([]tableSlot[P], size)
	mask := size - 1
	for k := range t.slots {
		if t.slots[k].key == 0 {
			continue
		}
		i := int(mix64(t.slots[k].key) & uint64(mask))
		for slots[i].key != 0 {
			i = (i + 1) & mask
		}
		slots[i] = t.slots[k]
	}
	return slots
}

// del removes k and reports whether it was there.
func (t *postTable[P]) del(k uint64) bool {
	if len(t.slots) == 0 || k == 0 {
		return false
	}
	mask := len(t.slots) - 1
	i := t.home(k)
	for t.slots[i].key != k {
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
	t.slots[i] = tableSlot[P]{}
	t.n--
	return true
}

// len is the number of keys.
func (t *postTable[P]) len() int { return t.n }

// each calls f for each key and its list.
func (t *postTable[P]) each(f func(uint64, []P)) {
	for i := range t.slots {
		if t.slots[i].key != 0 {
			f(t.slots[i].key, t.slots[i].list)
		}
	}
}
