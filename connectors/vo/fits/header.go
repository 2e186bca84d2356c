package fits

import (
	"fmt"
	"strconv"
	"strings"
)

// BlockSize is the size of a FITS logical record: headers and data are
// written in blocks of this many bytes.
const BlockSize = 2880

// CardSize is the size of one header card.
const CardSize = 80

// Card is one header card (keyword record).
type Card struct {
	// Keyword is the name in columns 1 to 8, without trailing spaces ("" for
	// a blank card).
	Keyword string
	// HasValue is true when columns 9 and 10 hold the value indicator "= ".
	HasValue bool
	// Value is the value as written, without surrounding spaces; for a
	// string, the decoded text (quotes removed, '' read as ', trailing
	// spaces removed). It is "" for an undefined value.
	Value string
	// IsString reports a quoted string value.
	IsString bool
	// Comment is what follows the value's '/', or the text of a card
	// without a value (COMMENT, HISTORY, ...), trailing spaces removed.
	Comment string
}

// String returns the card as it would be written, in short form.
func (c Card) String() string {
	switch {
	case !c.HasValue:
		return strings.TrimRight(fmt.Sprintf("%-8s%s", c.Keyword, c.Comment), " ")
	case c.IsString:
		return fmt.Sprintf("%-8s= '%s'", c.Keyword, strings.ReplaceAll(c.Value, "'", "''"))
	}
	return fmt.Sprintf("%-8s= %s", c.Keyword, c.Value)
}

// Header is the list of cards of an HDU, END excluded.
type Header struct {
	Cards []Card

	index map[string]int // first valued card of each keyword
	nidx  int            // len(Cards) when index was built
}

// Card returns the first card with the keyword that has a value.
func (h *Header) Card(keyword string) (Card, bool) {
	if h.index == nil || h.nidx != len(h.Cards) {
		h.index = make(map[string]int, len(h.Cards))
		for i := len(h.Cards) - 1; i >= 0; i-- {
			if h.Cards[i].HasValue {
				h.index[h.Cards[i].Keyword] = i
			}
		}
		h.nidx = len(h.Cards)
	}
	i, ok := h.index[keyword]
	if !ok {
		return Card{}, false
	}
	return h.Cards[i], true
}

// String returns the value of a string-valued card.
func (h *Header) String(keyword string) (string, bool) {
	c, ok := h.Card(keyword)
	if !ok || !c.IsString {
		return "", false
	}
	return c.Value, true
}

// Int returns the value of an integer-valued card.
func (h *Header) Int(keyword string) (int64, bool) {
	c, ok := h.Card(keyword)
	if !ok || c.IsString {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimPrefix(c.Value, "+"), 10, 64)
	return v, err == nil
}

// Float returns the value of a numeric card (integers included; a D
// exponent is read as E).
func (h *Header) Float(keyword string) (float64, bool) {
	c, ok := h.Card(keyword)
	if !ok || c.IsString {
		return 0, false
	}
	return parseFloat(c.Value)
}

func parseFloat(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == 'D' || r == 'd' {
			return 'E'
		}
		return r
	}, s)
	if s == "" || strings.ContainsAny(s, "_xXpPnNiI") {
		return 0, false // only decimal numbers
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// Bool returns the value of a logical card (T or F).
func (h *Header) Bool(keyword string) (bool, bool) {
	c, ok := h.Card(keyword)
	if !ok || c.IsString {
		return false, false
	}
	switch c.Value {
	case "T":
		return true, true
	case "F":
		return false, true
	}
	return false, false
}

// parseCard decodes one 80-byte card.
func parseCard(b []byte) (Card, error) {
	for i, ch := range b {
		if ch < 0x20 || ch > 0x7e {
			return Card{}, fmt.Errorf("byte %d is 0x%02x, not printable ASCII", i+1, ch)
		}
	}
	kw := strings.TrimRight(string(b[:8]), " ")
	for i := 0; i < len(kw); i++ {
		ch := kw[i]
		if !(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			return Card{}, fmt.Errorf("keyword %q has a character outside A-Z, 0-9, - and _", kw)
		}
	}
	c := Card{Keyword: kw}
	if kw == "" || kw == "COMMENT" || kw == "HISTORY" || kw == "CONTINUE" || string(b[8:10]) != "= " {
		c.Comment = strings.TrimRight(string(b[8:]), " ")
		return c, nil
	}
	c.HasValue = true
	rest := string(b[10:])
	t := strings.TrimLeft(rest, " ")
	if strings.HasPrefix(t, "'") {
		var sb strings.Builder
		i := 1
		for {
			j := strings.IndexByte(t[i:], '\'')
			if j < 0 {
				return Card{}, fmt.Errorf("%s: string value has no closing quote", kw)
			}
			sb.WriteString(t[i : i+j])
			i += j + 1
			if i < len(t) && t[i] == '\'' {
				sb.WriteByte('\'')
				i++
				continue
			}
			break
		}
		c.Value, c.IsString = strings.TrimRight(sb.String(), " "), true
		after := strings.TrimLeft(t[i:], " ")
		switch {
		case after == "":
		case after[0] == '/':
			c.Comment = strings.TrimSpace(after[1:])
		default:
			return Card{}, fmt.Errorf("%s: %q after the string value", kw, after)
		}
		return c, nil
	}
	val, comment, _ := strings.Cut(t, "/")
	c.Value = strings.TrimSpace(val)
	c.Comment = strings.TrimSpace(comment)
	if strings.ContainsAny(c.Value, "'") {
		return Card{}, fmt.Errorf("%s: value %q is not a number, a logical or a string", kw, c.Value)
	}
	return c, nil
}
