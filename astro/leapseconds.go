package astro

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/internal/lazy"
)

// leapEntry is one step of TAI−UTC: from MJD mjd (0h UTC),
// TAI−UTC = offset + (MJD − mjdRef)·rate seconds.
type leapEntry struct {
	mjd, offset, mjdRef, rate float64
}

// LeapSecondTable is a table of TAI−UTC steps since 1961 and the date up to
// which it is known to be valid.
type LeapSecondTable struct {
	entries []leapEntry
	// Expires is the MJD (UTC) up to which the table is valid (0 if unknown).
	Expires float64
}

var (
	leapMu    sync.RWMutex
	leapTable *LeapSecondTable // set by LoadLeapSeconds; nil: the embedded table
)

// builtinLeapSeconds is the embedded table, parsed on first use.
var builtinLeapSecondsValue lazy.Value[*LeapSecondTable]

func builtinLeapSeconds() *LeapSecondTable {
	return builtinLeapSecondsValue.MustGet(loadBuiltinLeapSeconds)
}

func loadBuiltinLeapSeconds() *LeapSecondTable {
	t, err := ParseLeapSecondFile(strings.NewReader(builtinLeapSecondFile))
	if err != nil {
		panic("astro: embedded leap-second table: " + err.Error())
	}
	return t
}

var expiresReValue lazy.Value[*regexp.Regexp]

func expiresRe() *regexp.Regexp { return expiresReValue.MustGet(loadExpiresRe) }

func loadExpiresRe() *regexp.Regexp {
	return regexp.MustCompile(`(?i)expires on\s+(\d{1,2})\s+(\w+)\s+(\d{4})`)
}

var monthNames = [...]string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// ParseLeapSecondFile reads a leap-second table in the format of the IERS
// Leap_Second.dat (lines "MJD day month year TAI−UTC", '#' comments, an
// optional "File expires on 28 June 2027" line). The 1961-1971 rate terms
// (USNO tai-utc.dat) are always prepended.
func ParseLeapSecondFile(r io.Reader) (*LeapSecondTable, error) {
	t := &LeapSecondTable{entries: append([]leapEntry(nil), builtinDrift...)}
	sc := bufio.NewScanner(r)
	n := 0
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if m := expiresRe().FindStringSubmatch(s); m != nil {
			d, _ := strconv.Atoi(m[1])
			mo := 1 + slices.Index(monthNames[:], strings.ToLower(m[2])) // 0 if unknown
			y, _ := strconv.Atoi(m[3])
			if mo > 0 {
				if jd, err := CalendarToJD(y, mo, float64(d), Gregorian); err == nil {
					t.Expires = jd - djm0
				}
			}
		}
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 5 {
			return nil, fmt.Errorf("astro: leap-second file line %d: want 5 fields (MJD day month year TAI-UTC), got %q", line, s)
		}
		mjd, err1 := strconv.ParseFloat(f[0], 64)
		off, err2 := strconv.ParseFloat(f[4], 64)
		if err1 != nil || err2 != nil || !finite(mjd, off) || mjd < 41317 || mjd > 1e6 || off < 0 || off > 1000 {
			return nil, fmt.Errorf("astro: leap-second file line %d: bad MJD or offset in %q", line, s)
		}
		if k := len(t.entries); k > 0 && mjd <= t.entries[k-1].mjd {
			return nil, fmt.Errorf("astro: leap-second file line %d: MJD %v not after the previous entry", line, mjd)
		}
		t.entries = append(t.entries, leapEntry{mjd: mjd, offset: off, mjdRef: mjd})
		n++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("astro: reading leap-second file: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("astro: leap-second file has no entries")
	}
	return t, nil
}

// LoadLeapSeconds installs a newer leap-second table (IERS Leap_Second.dat
// format) for all later conversions. The embedded table is Bulletin C,
// valid to 2027-06-28.
func LoadLeapSeconds(r io.Reader) error {
	t, err := ParseLeapSecondFile(r)
	if err != nil {
		return err
	}
	leapMu.Lock()
	leapTable = t
	leapMu.Unlock()
	return nil
}

// CurrentLeapSeconds returns the table in use.
func CurrentLeapSeconds() *LeapSecondTable {
	leapMu.RLock()
	t := leapTable
	leapMu.RUnlock()
	if t == nil {
		return builtinLeapSeconds()
	}
	return t
}

// firstUTCMJD is 1961 January 1, the start of UTC's TAI−UTC table.
const firstUTCMJD = 37300.0

// TAIMinusUTC returns TAI−UTC in seconds at the UTC instant mjd (integer
// day) + fd (fraction of day, 0 to 1). Before 1961 UTC did not exist: it
// returns ok = false. After the table's last entry the last value is kept.
func (t *LeapSecondTable) TAIMinusUTC(mjd, fd float64) (sec float64, ok bool) {
	if !(mjd >= firstUTCMJD) {
		return 0, false
	}
	e := t.entries
	i := sort.Search(len(e), func(i int) bool { return e[i].mjd > mjd }) - 1
	if i < 0 {
		return 0, false
	}
	return e[i].offset + (mjd+fd-e[i].mjdRef)*e[i].rate, true
}

// TAIMinusUTC returns TAI−UTC in seconds for a UTC calendar date and time
// of day with the table in use (see LeapSecondTable.TAIMinusUTC).
func TAIMinusUTC(t Time) (float64, error) {
	u := t.UTC()
	mjd, fd := splitMJD(u.jd1, u.jd2)
	s, ok := CurrentLeapSeconds().TAIMinusUTC(mjd, fd)
	if !ok {
		return 0, fmt.Errorf("astro: UTC is not defined before 1961 (MJD %v)", mjd)
	}
	return s, nil
}

// splitMJD returns the integer MJD and day fraction of a two-part JD.
func splitMJD(jd1, jd2 float64) (mjd, fd float64) {
	a := jd1 - djm0
	ia := math.Floor(a)
	ib := math.Floor(jd2)
	f := (a - ia) + (jd2 - ib)
	ic := math.Floor(f)
	return ia + ib + ic, f - ic
}
