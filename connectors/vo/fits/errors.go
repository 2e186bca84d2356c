package fits

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnsupported is wrapped by errors for valid FITS features this package
// does not decode (variable-length array columns).
var ErrUnsupported = errors.New("unsupported")

// Error is a problem found in a FITS file. It says where: the HDU (from 0,
// the primary HDU), the card (from 1) or the column and row (from 0) when
// they are known, else -1 or "".
type Error struct {
	HDU    int
	Card   int
	Row    int64
	Column string
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("fits: ")
	if e.HDU >= 0 {
		fmt.Fprintf(&b, "HDU %d: ", e.HDU)
	}
	if e.Card > 0 {
		fmt.Fprintf(&b, "card %d: ", e.Card)
	}
	if e.Row >= 0 {
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %s: ", e.Column)
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		if e.Msg != "" {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
