package astro

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Scale is a time scale.
type Scale uint8

const (
	// UTC is Coordinated Universal Time (with leap seconds; before 1961 it is
	// taken equal to UT1).
	UTC Scale = iota + 1
	// TAI is International Atomic Time.
	TAI
	// TT is Terrestrial Time, TT = TAI + 32.184 s.
	TT
	// TDB is Barycentric Dynamical Time; TDB − TT is periodic with an
	// amplitude of 1.7 ms (see Time.TDB for the model).
	TDB
	// UT1 is the rotation angle of the Earth expressed as a time.
	UT1
)

func (s Scale) String() string {
	switch s {
	case UTC:
		return "UTC"
	case TAI:
		return "TAI"
	case TT:
		return "TT"
	case TDB:
		return "TDB"
	case UT1:
		return "UT1"
	}
	return "Scale(" + strconv.Itoa(int(s)) + ")"
}

// Time is an instant with its time scale, held as a two-part Julian date
// (jd1 + jd2, the split is free; typically the day and the fraction) so that
// sub-microsecond precision is kept over millennia. UTC Julian dates follow
// the ERFA convention: on a day with a leap second the fraction of day is
// scaled by 86400/86401.
//
// A Time optionally carries UT1−UTC (DUT1) and polar motion (see WithEOP);
// without them DUT1 = 0 and the pole is the CIP.
//
// The zero Time is invalid; build one with NewTime, FromGo, NewUTC or
// ParseTime.
type Time struct {
	jd1, jd2 float64
	scale    Scale
	eop      EOP
}

// EOP holds the Earth orientation parameters of an instant: DUT1 = UT1−UTC
// and the polar motion coordinates xp, yp.
type EOP struct {
	DUT1   time.Duration // UT1 − UTC (|DUT1| < 0.9 s since 1972)
	XP, YP Angle         // polar motion
}

// NewTime returns the instant jd1 + jd2 (Julian date, any split) in scale.
func NewTime(scale Scale, jd1, jd2 float64) (Time, error) {
	if scale < UTC || scale > UT1 {
		return Time{}, fmt.Errorf("astro: unknown time scale %d", scale)
	}
	if !finite(jd1, jd2) || math.Abs(jd1+jd2) > 1e9 {
		return Time{}, fmt.Errorf("astro: Julian date %v + %v out of range", jd1, jd2)
	}
	return Time{jd1: jd1, jd2: jd2, scale: scale}, nil
}

// MustTime is NewTime for constants: it panics on an invalid input.
func MustTime(scale Scale, jd1, jd2 float64) Time {
	t, err := NewTime(scale, jd1, jd2)
	if err != nil {
		panic(err)
	}
	return t
}

// FromJD returns the instant at Julian date jd in scale. Prefer NewTime with
// two parts for sub-millisecond work.
func FromJD(scale Scale, jd float64) (Time, error) { return NewTime(scale, jd, 0) }

// FromMJD returns the instant at modified Julian date mjd in scale.
func FromMJD(scale Scale, mjd float64) (Time, error) { return NewTime(scale, djm0, mjd) }

// FromGo converts a Go time (which has no leap seconds) to a UTC Time.
func FromGo(t time.Time) Time {
	day, sec := unixDay(t)
	return Time{jd1: djm0 + UnixEpochMJD + float64(day), jd2: sec / daysec, scale: UTC}
}

// NewUTC returns the UTC instant of a Gregorian calendar date and time; sec
// may reach 60.999… on a day that ends with a leap second.
func NewUTC(year, month, day, hour, min int, sec float64) (Time, error) {
	jd, err := CalendarToJD(year, month, float64(day), Gregorian)
	if err != nil {
		return Time{}, err
	}
	if hour < 0 || hour > 23 || min < 0 || min > 59 || !finite(sec) || sec < 0 || sec >= 61 {
		return Time{}, fmt.Errorf("astro: time of day %02d:%02d:%v out of range", hour, min, sec)
	}
	mjd := jd - djm0
	daylen := daysec
	if mjd >= firstUTCMJD {
		t := CurrentLeapSeconds()
		a, _ := t.TAIMinusUTC(mjd, 0)
		b, _ := t.TAIMinusUTC(mjd+1, 0)
		if d := math.Round((b-a)*1e3) / 1e3; math.Abs(d) == 1 {
			daylen += d
		}
	}
	s := float64(hour*3600+min*60) + sec
	if s >= daylen {
		return Time{}, fmt.Errorf("astro: %04d-%02d-%02d has no second %v of the day (its length is %v s)", year, month, day, s, daylen)
	}
	return Time{jd1: jd, jd2: s / daylen, scale: UTC}, nil
}

// ParseTime parses an ISO 8601 UTC instant "YYYY-MM-DDThh:mm:ss[.fff][Z]"
// (a space may replace T; seconds may be 60 on a leap-second day) into a
// Time. For a Go time.Time, and for the zoned forms services write, use
// ParseTimestamp.
func ParseTime(s string) (Time, error) {
	orig := s
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "Z"), "z")
	bad := func(why string) (Time, error) {
		return Time{}, fmt.Errorf("astro: cannot parse time %q: %s", orig, why)
	}
	neg := false
	if strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	date, clock, hasClock := strings.Cut(s, "T")
	if !hasClock {
		date, clock, hasClock = strings.Cut(s, " ")
	}
	dp := strings.Split(date, "-")
	if len(dp) != 3 {
		return bad("want YYYY-MM-DD")
	}
	num := func(x string, n int) (int, bool) {
		if len(x) < n || len(x) > 9 {
			return 0, false
		}
		v := 0
		for _, c := range x {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(dp[0], 4)
	mo, ok2 := num(dp[1], 2)
	d, ok3 := num(dp[2], 2)
	if !ok1 || !ok2 || !ok3 || len(dp[1]) != 2 || len(dp[2]) != 2 {
		return bad("want YYYY-MM-DD")
	}
	if neg {
		y = -y
	}
	h, mi, sec := 0, 0, 0.0
	if hasClock {
		cp := strings.Split(clock, ":")
		if len(cp) < 2 || len(cp) > 3 {
			return bad("want hh:mm[:ss[.fff]]")
		}
		var ok bool
		if h, ok = num(cp[0], 2); !ok || len(cp[0]) != 2 {
			return bad("bad hour")
		}
		if mi, ok = num(cp[1], 2); !ok || len(cp[1]) != 2 {
			return bad("bad minute")
		}
		if len(cp) == 3 {
			ip, fp, hasFrac := strings.Cut(cp[2], ".")
			si, ok := num(ip, 2)
			if !ok || len(ip) != 2 {
				return bad("bad seconds")
			}
			sec = float64(si)
			if hasFrac {
				if len(fp) == 0 || len(fp) > 12 {
					return bad("bad fraction of second")
				}
				for _, c := range fp {
					if c < '0' || c > '9' {
						return bad("bad fraction of second")
					}
				}
				f, err := strconv.ParseFloat("0."+fp, 64)
				if err != nil {
					return bad("bad fraction of second")
				}
				sec += f
			}
		}
	}
	t, err := NewUTC(y, mo, d, h, mi, sec)
	if err != nil {
		return Time{}, fmt.Errorf("astro: cannot parse time %q: %w", orig, err)
	}
	return t, nil
}

// WithEOP returns t carrying Earth orientation parameters (UT1−UTC and polar
// motion) used by UT1 conversions, sidereal time and observed places.
func (t Time) WithEOP(e EOP) Time { t.eop = e; return t }

// WithDUT1 returns t carrying UT1−UTC = dut1.
func (t Time) WithDUT1(dut1 time.Duration) Time { t.eop.DUT1 = dut1; return t }

// EOP returns the Earth orientation parameters carried by t.
func (t Time) EOP() EOP { return t.eop }

// Scale returns the time scale of t.
func (t Time) Scale() Scale { return t.scale }

// IsZero reports whether t is the zero (invalid) Time.
func (t Time) IsZero() bool { return t.scale == 0 }

// JD returns the two-part Julian date of t in its own scale.
func (t Time) JD() (jd1, jd2 float64) { return t.jd1, t.jd2 }

// JDValue returns the Julian date as one float64 (resolution ~40 µs).
func (t Time) JDValue() float64 { return t.jd1 + t.jd2 }

// MJD returns the modified Julian date (JD − 2400000.5) in t's scale.
func (t Time) MJD() float64 { return (t.jd1 - djm0) + t.jd2 }

// centuries returns Julian centuries since J2000 in t's own scale.
func (t Time) centuries() float64 { return ((t.jd1 - dj00) + t.jd2) / djc }

// JulianEpoch returns the Julian epoch (e.g. 2000.0 at J2000) in t's scale
// (use a TT or TDB Time for catalogue epochs).
func (t Time) JulianEpoch() float64 { return 2000 + ((t.jd1-dj00)+t.jd2)/djy }

// BesselianEpoch returns the Besselian epoch (e.g. 1950.0) in t's scale.
func (t Time) BesselianEpoch() float64 {
	return 1900 + ((t.jd1-2415020.31352)+t.jd2)/365.242198781
}

// FromJulianEpoch returns the instant of Julian epoch e in scale.
func FromJulianEpoch(scale Scale, e float64) (Time, error) {
	return NewTime(scale, dj00, (e-2000)*djy)
}

// FromBesselianEpoch returns the instant of Besselian epoch e in scale.
func FromBesselianEpoch(scale Scale, e float64) (Time, error) {
	return NewTime(scale, 2415020.31352, (e-1900)*365.242198781)
}

// Add returns t + d in t's scale (SI seconds; for UTC and UT1 the duration
// is counted in days of 86400 s).
func (t Time) Add(d time.Duration) Time {
	return t.addSec(float64(d/time.Second) + float64(d%time.Second)*1e-9)
}

func (t Time) addSec(sec float64) Time {
	t.jd2 += sec / daysec
	return t
}

// Sub returns t − u in seconds of TT, as a float64 rather than a
// time.Duration: spans between astronomical epochs exceed a Duration's
// ±292 years, and sub-nanosecond differences matter to the models.
func (t Time) Sub(u Time) float64 {
	a, b := t.TT(), u.TT()
	return ((a.jd1 - b.jd1) + (a.jd2 - b.jd2)) * daysec
}

// To returns t converted to scale s. Conversions never fail: before 1961
// UTC is taken equal to UT1 and TT − UT1 comes from DeltaT; after the end
// of the leap-second table TAI − UTC keeps its last value.
func (t Time) To(s Scale) Time {
	if t.scale == s || t.scale == 0 {
		return t
	}
	// Go through TAI.
	var a1, a2 float64
	switch t.scale {
	case TAI:
		a1, a2 = t.jd1, t.jd2
	case TT:
		a1, a2 = t.jd1, t.jd2-ttMinTAI/daysec
	case TDB:
		// TT = TDB − (TDB−TT)(TDB); the correction varies slowly, one pass suffices.
		a1, a2 = t.jd1, t.jd2-tdbMinusTT(t.jd1, t.jd2)/daysec-ttMinTAI/daysec
	case UTC:
		a1, a2 = utcToTAI(t.jd1, t.jd2, t.eop.DUT1.Seconds())
	case UT1:
		a1, a2 = ut1ToTAI(t.jd1, t.jd2, t.eop.DUT1.Seconds())
	}
	r := Time{scale: s, eop: t.eop}
	switch s {
	case TAI:
		r.jd1, r.jd2 = a1, a2
	case TT:
		r.jd1, r.jd2 = a1, a2+ttMinTAI/daysec
	case TDB:
		r.jd1, r.jd2 = a1, a2+ttMinTAI/daysec
		r.jd2 += tdbMinusTT(r.jd1, r.jd2) / daysec
	case UTC:
		r.jd1, r.jd2 = taiToUTC(a1, a2, t.eop.DUT1.Seconds())
	case UT1:
		r.jd1, r.jd2 = taiToUT1(a1, a2, t.eop.DUT1.Seconds())
	}
	return r
}

// UTC returns t in UTC.
func (t Time) UTC() Time { return t.To(UTC) }

// TAI returns t in TAI.
func (t Time) TAI() Time { return t.To(TAI) }

// TT returns t in TT.
func (t Time) TT() Time { return t.To(TT) }

// TDB returns t in TDB, with TDB − TT from the two leading periodic terms
// (0.001657 s sin g + 0.000014 s sin 2g, g the Sun's mean anomaly;
// accurate to about 30 µs). The IAU 2006 geocentric definition is assumed.
func (t Time) TDB() Time { return t.To(TDB) }

// UT1 returns t in UT1 (UT1 = UTC + DUT1 within the UTC era). UT1 has no
// leap seconds, so converting a UT1 instant that falls inside a leap second
// back to UTC gives the equivalent instant of the following second.
func (t Time) UT1() Time { return t.To(UT1) }

func tdbMinusTT(jd1, jd2 float64) float64 {
	g := (357.53 + 0.98560028*((jd1-dj00)+jd2)) * d2r
	return 0.001657*math.Sin(g) + 0.000014*math.Sin(2*g)
}

// utcDayTAIUTC returns, for the UTC day containing the quasi-JD u1+u2, the
// MJD of 0h, the fraction fd, TAI−UTC at 0h, and the length of the day in s.
func utcDay(u1, u2 float64) (mjd, fd, dat0, dlod, dleap float64, ok bool) {
	mjd, fd = splitMJD(u1, u2)
	lt := CurrentLeapSeconds()
	dat0, ok = lt.TAIMinusUTC(mjd, 0)
	if !ok {
		return
	}
	dat12, _ := lt.TAIMinusUTC(mjd, 0.5)
	dat24, _ := lt.TAIMinusUTC(mjd+1, 0)
	dlod = 2 * (dat12 - dat0)
	dleap = dat24 - (2*dat12 - dat0)
	return
}

func utcToTAI(u1, u2, dut1 float64) (float64, float64) {
	mjd, fd, dat0, dlod, dleap, ok := utcDay(u1, u2)
	if !ok {
		// No UTC before 1961: UTC is UT1.
		return ut1ToTAI(u1, u2, dut1)
	}
	fd *= (daysec + dleap) / daysec
	fd *= (daysec + dlod) / daysec
	// Keep the caller's split: u1 + (mjd + djm0 − u1 + fd + dat0/86400).
	return u1, (djm0 - u1) + mjd + fd + dat0/daysec
}

func taiToUTC(a1, a2, dut1 float64) (float64, float64) {
	u1, u2 := a1, a2
	for i := 0; i < 3; i++ {
		g1, g2 := utcToTAI(u1, u2, dut1)
		u2 += a1 - g1
		u2 += a2 - g2
	}
	return u1, u2
}

// UT1 and TAI: within the UTC era UT1 = TAI − (TAI−UTC) + DUT1, with
// TAI−UTC taken at the UTC date (as ERFA utcut1/taiut1; on a leap-second
// day UT1 runs continuously while the UTC quasi-JD is stretched).
func ut1ToTAI(u1, u2, dut1 float64) (float64, float64) {
	mjd := (u1 - djm0) + u2
	if mjd >= firstUTCMJD+1 {
		m, fd := splitMJD(u1, u2-dut1/daysec)
		dat, _ := CurrentLeapSeconds().TAIMinusUTC(m, fd)
		return u1, u2 + (dat-dut1)/daysec
	}
	dt, _ := DeltaT(2000 + ((u1-dj00)+u2)/djy)
	return u1, u2 + (dt-ttMinTAI)/daysec
}

func taiToUT1(a1, a2, dut1 float64) (float64, float64) {
	mjd := (a1 - djm0) + a2
	if mjd >= firstUTCMJD+1 {
		c1, c2 := taiToUTC(a1, a2, dut1)
		m, fd := splitMJD(c1, c2)
		dat, _ := CurrentLeapSeconds().TAIMinusUTC(m, fd)
		return a1, a2 + (dut1-dat)/daysec
	}
	u1, u2 := a1, a2
	for i := 0; i < 4; i++ {
		g1, g2 := ut1ToTAI(u1, u2, dut1)
		u2 += a1 - g1
		u2 += a2 - g2
	}
	return u1, u2
}

// Date returns the Gregorian calendar date and time of day of t in its own
// scale. For UTC on a leap-second day sec may reach 60.999….
func (t Time) Date() (year, month, day, hour, min int, sec float64) {
	mjd, fd := splitMJD(t.jd1, t.jd2)
	y, m, d := gregorianFromJDN(int64(mjd) + 2400001)
	daylen := daysec
	if t.scale == UTC {
		if _, _, _, dlod, dleap, ok := utcDay(t.jd1, t.jd2); ok {
			daylen += dleap
			_ = dlod
		}
	}
	s := fd * daylen
	// Round to the microsecond to avoid 59.9999999 artefacts.
	s = math.Round(s*1e6) / 1e6
	if s >= daylen {
		s = daylen - 1e-6
	}
	hour = int(s / 3600)
	if hour > 23 {
		hour = 23
	}
	s -= float64(hour) * 3600
	min = int(s / 60)
	if min > 59 {
		min = 59
	}
	sec = s - float64(min)*60
	return int(y), int(m), int(d), hour, min, sec
}

// String formats t as ISO 8601 with microseconds and its scale,
// e.g. "2016-12-31T23:59:60.500000 UTC".
func (t Time) String() string {
	if t.scale == 0 {
		return "invalid time"
	}
	y, mo, d, h, mi, s := t.Date()
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%09.6f %s", y, mo, d, h, mi, s, t.scale)
}

// Go returns t as a Go time.Time in UTC (a leap second maps onto the next
// second's start, as Go has no leap seconds).
func (t Time) Go() time.Time {
	u := t.UTC()
	y, mo, d, h, mi, s := u.Date()
	ns := int(math.Round((s - math.Floor(s)) * 1e9))
	return time.Date(y, time.Month(mo), d, h, mi, int(s), ns, time.UTC)
}
