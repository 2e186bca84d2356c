package astro

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// EOPTable is a daily series of Earth orientation parameters (UT1−UTC and
// polar motion), read from an IERS finals2000A file (finals2000A.all,
// .data or .daily: the Bulletin A columns, with predictions).
type EOPTable struct {
	mjd          []float64
	dut1, xp, yp []float64 // s, arcsec, arcsec
	lastFinal    float64   // last MJD with IERS (non-predicted) UT1
}

// ParseFinals2000A reads an IERS finals2000A file. Lines without UT1−UTC
// (beyond the predictions) end the table.
func ParseFinals2000A(r io.Reader) (*EOPTable, error) {
	t := &EOPTable{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), 1<<16)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if strings.TrimSpace(s) == "" {
			continue
		}
		if len(s) < 68 {
			if len(s) >= 15 && len(t.mjd) > 0 {
				break // no UT1 value: end of the predictions
			}
			return nil, fmt.Errorf("astro: finals2000A line %d: too short (%d bytes)", line, len(s))
		}
		field := func(a, b int) (float64, error) {
			return strconv.ParseFloat(strings.TrimSpace(s[a-1:b]), 64)
		}
		mjd, err := field(8, 15)
		if err != nil {
			return nil, fmt.Errorf("astro: finals2000A line %d: MJD: %w", line, err)
		}
		if strings.TrimSpace(s[58:68]) == "" {
			break
		}
		dut1, err1 := field(59, 68)
		xp, err2 := field(19, 27)
		yp, err3 := field(38, 46)
		if err1 != nil || err2 != nil || err3 != nil || !finite(mjd, dut1, xp, yp) || math.Abs(dut1) > 1.5 || math.Abs(xp) > 2 || math.Abs(yp) > 2 {
			return nil, fmt.Errorf("astro: finals2000A line %d: bad UT1−UTC or polar motion in %q", line, s[:68])
		}
		if n := len(t.mjd); n > 0 && mjd <= t.mjd[n-1] {
			return nil, fmt.Errorf("astro: finals2000A line %d: MJD %v not after %v", line, mjd, t.mjd[n-1])
		}
		t.mjd = append(t.mjd, mjd)
		t.dut1 = append(t.dut1, dut1)
		t.xp = append(t.xp, xp)
		t.yp = append(t.yp, yp)
		if s[57] == 'I' {
			t.lastFinal = mjd
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("astro: reading finals2000A: %w", err)
	}
	if len(t.mjd) < 2 {
		return nil, fmt.Errorf("astro: finals2000A: fewer than two usable lines")
	}
	return t, nil
}

// Range returns the first and last MJD (UTC) covered and the last MJD with
// final (non-predicted) UT1.
func (t *EOPTable) Range() (first, last, lastFinal float64) {
	return t.mjd[0], t.mjd[len(t.mjd)-1], t.lastFinal
}

// At returns the EOP at UTC instant u, interpolated linearly between the
// daily values (the 1 s step of UT1−UTC at a leap second is removed before
// interpolating). ok is false outside the table.
func (t *EOPTable) At(u Time) (e EOP, ok bool) {
	c := u.UTC()
	mjd := c.MJD()
	n := len(t.mjd)
	if !(mjd >= t.mjd[0] && mjd <= t.mjd[n-1]) {
		return EOP{}, false
	}
	i := sort.SearchFloat64s(t.mjd, mjd)
	if i == 0 {
		i = 1
	}
	a, b := i-1, i
	f := (mjd - t.mjd[a]) / (t.mjd[b] - t.mjd[a])
	d0, d1 := t.dut1[a], t.dut1[b]
	if d1-d0 > 0.5 { // leap second between the samples
		d1--
	} else if d0-d1 > 0.5 {
		d1++
	}
	dut := d0 + f*(d1-d0)
	return EOP{
		DUT1: seconds(dut),
		XP:   Arcsec(t.xp[a] + f*(t.xp[b]-t.xp[a])),
		YP:   Arcsec(t.yp[a] + f*(t.yp[b]-t.yp[a])),
	}, true
}

// WithEOPFrom returns t carrying the EOP interpolated from the table (t
// unchanged and ok false outside it).
func (t Time) WithEOPFrom(tab *EOPTable) (Time, bool) {
	e, ok := tab.At(t)
	if !ok {
		return t, false
	}
	return t.WithEOP(e), true
}
