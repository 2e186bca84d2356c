package fits

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Column describes a field of a binary table (the TxxxxN cards of
// column N).
type Column struct {
	// Index is the column's position, from 0 (column Index+1 in the
	// header's numbering).
	Index int
	// Name is TTYPEn, Unit TUNITn, Form TFORMn, Dim TDIMn as written.
	Name, Unit, Form, DimText string
	// Type is the TFORMn data type letter: L X B I J K A E D C M (P and Q
	// are recognised and refused).
	Type byte
	// Repeat is the number of elements (bits for X, characters for A).
	Repeat int
	// Dim is TDIMn parsed (first index fastest), or nil.
	Dim []int
	// Offset and Width place the column in a row, in bytes.
	Offset, Width int
	// Scale and Zero are TSCALn and TZEROn (1 and 0 by default): a
	// physical value is Zero + Scale × stored value.
	Scale, Zero float64
	// Null is TNULLn, for integer columns, when HasNull.
	Null    int64
	HasNull bool
}

// Key returns the column's name, or "col<N>" (N from 1) when TTYPEn is
// absent.
func (c *Column) Key() string {
	if c.Name != "" {
		return c.Name
	}
	return "col" + strconv.Itoa(c.Index+1)
}

func (c *Column) scaled() bool { return c.Scale != 1 || c.Zero != 0 }

// integral reports whether scaled values of an integer column are
// integers that int64 holds (no scaling, or TSCAL 1 with an integer TZERO
// of at most 2^63 in size).
func (c *Column) integral() bool {
	return c.Scale == 1 && c.Zero == math.Trunc(c.Zero) && math.Abs(c.Zero) <= 1<<63
}

// IsInt reports an integer column (B, I, J, K).
func (c *Column) IsInt() bool {
	return c.Type == 'B' || c.Type == 'I' || c.Type == 'J' || c.Type == 'K'
}

// IsFloat reports a floating-point column (E, D).
func (c *Column) IsFloat() bool { return c.Type == 'E' || c.Type == 'D' }

// IsComplex reports a complex column (C, M).
func (c *Column) IsComplex() bool { return c.Type == 'C' || c.Type == 'M' }

// elemSize is the size in bytes of one element (X: see width).
func elemSize(t byte) int {
	switch t {
	case 'L', 'B', 'A':
		return 1
	case 'I':
		return 2
	case 'J', 'E':
		return 4
	case 'K', 'D', 'C':
		return 8
	case 'M', 'Q':
		return 16
	case 'P':
		return 8
	}
	return 0
}

const maxRepeat = 1 << 31

// parseTForm parses a TFORMn value: an optional repeat count, a type
// letter, and (for P and Q, or A's rAw) a suffix that is not used here.
func parseTForm(s string) (repeat int, t byte, width int, err error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	repeat = 1
	if i > 0 {
		n, perr := strconv.Atoi(s[:i])
		if perr != nil || n > maxRepeat {
			return 0, 0, 0, fmt.Errorf("TFORM %q: repeat count out of range", s)
		}
		repeat = n
	}
	if i >= len(s) {
		return 0, 0, 0, fmt.Errorf("TFORM %q has no data type letter", s)
	}
	t = s[i]
	switch t {
	case 'X':
		width = (repeat + 7) / 8
	case 'L', 'B', 'I', 'J', 'K', 'A', 'E', 'D', 'C', 'M':
		width = repeat * elemSize(t)
	case 'P', 'Q':
		if repeat > 1 {
			return 0, 0, 0, fmt.Errorf("TFORM %q: a variable-length array descriptor has a repeat of 0 or 1", s)
		}
		width = repeat * elemSize(t)
	default:
		return 0, 0, 0, fmt.Errorf("TFORM %q: unknown data type %q", s, t)
	}
	return repeat, t, width, nil
}

// parseTDim parses a TDIMn value "(n1,n2,...)".
func parseTDim(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if len(s) < 3 || s[0] != '(' || s[len(s)-1] != ')' {
		return nil, fmt.Errorf("TDIM %q is not of the form (n1,n2,...)", s)
	}
	var dims []int
	for _, p := range strings.Split(s[1:len(s)-1], ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > maxRepeat {
			return nil, fmt.Errorf("TDIM %q: bad size %q", s, p)
		}
		dims = append(dims, n)
	}
	return dims, nil
}

// tableColumns reads the column cards of a BINTABLE header.
func tableColumns(h *Header, nfields, rowSize int64) ([]Column, error) {
	cols := make([]Column, nfields)
	off := 0
	for k := range cols {
		n := strconv.Itoa(k + 1)
		c := &cols[k]
		c.Index = k
		form, ok := h.String("TFORM" + n)
		if !ok {
			return nil, fmt.Errorf("TFORM%s is missing (TFIELDS = %d)", n, nfields)
		}
		c.Form = form
		var err error
		c.Repeat, c.Type, c.Width, err = parseTForm(form)
		if err != nil {
			return nil, fmt.Errorf("TFORM%s: %w", n, err)
		}
		c.Name, _ = h.String("TTYPE" + n)
		c.Unit, _ = h.String("TUNIT" + n)
		c.Scale, c.Zero = 1, 0
		if _, present := h.Card("TSCAL" + n); present {
			if c.Scale, ok = h.Float("TSCAL" + n); !ok {
				return nil, fmt.Errorf("TSCAL%s is not a number", n)
			}
		}
		if _, present := h.Card("TZERO" + n); present {
			if c.Zero, ok = h.Float("TZERO" + n); !ok {
				return nil, fmt.Errorf("TZERO%s is not a number", n)
			}
		}
		if c.scaled() && (c.Type == 'L' || c.Type == 'X' || c.Type == 'A') {
			return nil, fmt.Errorf("TSCAL%s/TZERO%s on a column of type %c, which cannot be scaled", n, n, c.Type)
		}
		if _, present := h.Card("TNULL" + n); present && c.IsInt() {
			if c.Null, ok = h.Int("TNULL" + n); !ok {
				return nil, fmt.Errorf("TNULL%s is not an integer", n)
			}
			c.HasNull = true
		}
		if d, present := h.String("TDIM" + n); present {
			c.DimText = d
			if c.Dim, err = parseTDim(d); err != nil {
				return nil, fmt.Errorf("TDIM%s: %w", n, err)
			}
			prod := 1
			for _, x := range c.Dim {
				prod *= x
				if prod > maxRepeat {
					break
				}
			}
			if prod > c.Repeat {
				return nil, fmt.Errorf("TDIM%s %s holds %d elements, more than the repeat count %d of TFORM%s", n, d, prod, c.Repeat, n)
			}
		}
		c.Offset = off
		off += c.Width
		if int64(off) > rowSize {
			return nil, fmt.Errorf("the columns up to %d take %d bytes, more than NAXIS1 = %d", k+1, off, rowSize)
		}
	}
	if int64(off) != rowSize {
		return nil, fmt.Errorf("the columns take %d bytes, NAXIS1 says %d", off, rowSize)
	}
	return cols, nil
}
