package votable

import "fmt"

type binDecoder struct{}

func (r *Reader) startBinary(t *Table, binary2 bool) error {
	return r.errHere("", ErrUnsupported, "table %d: %s not implemented yet", t.Index, t.Serialization)
}

func (r *Reader) nextBinaryRow() (bool, error) { return false, fmt.Errorf("not implemented") }
