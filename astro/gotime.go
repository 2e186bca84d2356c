package astro

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Conversions between Julian dates and Go times, and the parsing of ISO
// 8601 timestamps: the one implementation the SDK's connectors use.
//
// Go's time line has no leap seconds: every day has 86400 s. These
// functions read a modified Julian date the same way, as archives write the
// MJD of a UTC instant (MJD = Unix seconds / 86400 + 40587). On the 27 days
// that ended with a leap second, an MJD written with the ERFA convention
// (that day's fraction scaled by 86401 s) differs by at most one second
// towards the end of the day; use FromMJD and Time.Go for that convention.

const (
	// MJDZeroJD is the Julian date of MJD 0, 1858-11-17T00:00 UTC.
	MJDZeroJD = djm0
	// UnixEpochMJD is the modified Julian date of the Unix epoch,
	// 1970-01-01T00:00 UTC.
	UnixEpochMJD = 40587
	// Day is the length of a day on Go's time line.
	Day = 24 * time.Hour
	// MJDResolution is the rounding of MJDToGo and JDToGo: a float64 MJD
	// of our era (MJD 32768 to 65535, years 1948 to 2038) is resolved to
	// 0.63 µs, so a finer result would be noise.
	MJDResolution = time.Microsecond
	// maxMJDDays bounds the MJDs converted (about ±27,000 years).
	maxMJDDays = 1e7
)

// MJDToGo returns the instant of modified Julian date mjd as a Go time in
// UTC, rounded to the nearest microsecond (halves away from zero), with
// days of 86400 s. The day and its exact fraction are split before
// scaling, so the result is the exact value of mjd correctly rounded
// (scaling the whole MJD at once, to microseconds or nanoseconds, first
// rounds the product and can land a microsecond off). An MJD that is not
// finite or is beyond ±10⁷ days is an error.
func MJDToGo(mjd float64) (time.Time, error) {
	if math.IsNaN(mjd) || math.IsInf(mjd, 0) || math.Abs(mjd) > maxMJDDays {
		return time.Time{}, fmt.Errorf("astro: MJD %v is not a date (finite, within ±%g days)", mjd, float64(maxMJDDays))
	}
	day := math.Floor(mjd)
	frac := mjd - day // exact: the fractional part of a float64 is a float64
	us := math.Round(frac * 86400e6)
	return time.Date(1858, time.November, 17+int(day), 0, 0, 0, 0, time.UTC).Add(time.Duration(us) * time.Microsecond), nil
}

// seconds converts a float64 count of seconds to a Duration, rounded to the
// nanosecond.
func seconds(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

// JDToGo is MJDToGo for a Julian date.
func JDToGo(jd float64) (time.Time, error) {
	if math.IsNaN(jd) || math.IsInf(jd, 0) {
		return time.Time{}, fmt.Errorf("astro: JD %v is not a date", jd)
	}
	return MJDToGo(jd - djm0)
}

// unixDay splits t into whole days since the Unix epoch and seconds into
// that day (in [0, 86400)), for any year Go can hold.
func unixDay(t time.Time) (day int64, sec float64) {
	s := t.Unix()
	day = s / 86400
	rem := s - day*86400
	if rem < 0 {
		day--
		rem += 86400
	}
	return day, float64(rem) + float64(t.Nanosecond())*1e-9
}

// GoToMJD returns the modified Julian date of t with days of 86400 s, the
// inverse of MJDToGo: for times at whole microseconds from 1858 to 2038
// (MJD 0 to 65535) MJDToGo(GoToMJD(t)) is t; later, the float64 carries
// 1.3 µs (to 2217) then 2.5 µs.
func GoToMJD(t time.Time) float64 {
	day, sec := unixDay(t)
	return float64(day+UnixEpochMJD) + sec/86400
}

// GoToJD returns the Julian date of t (days of 86400 s); a single float64
// JD resolves about 40 µs, so prefer GoToMJD or FromGo where that matters.
func GoToJD(t time.Time) float64 { return GoToMJD(t) + djm0 }

// timestampLayouts are the ISO 8601 forms that archives, TAP services
// (DALI timestamps) and UWS documents (xs:dateTime) write.
var timestampLayouts = [...]string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseTimestamp parses an ISO 8601 timestamp as archives and VO services
// write them and returns it in UTC: "2013-08-27T01:05:24.327Z", with a
// numeric zone ("+01:00" or "+0100"), without a zone (taken as UTC), with
// a space for the T, to the minute ("2013-08-27T01:05") or a date alone.
// A trailing "Z" is accepted on every form; surrounding spaces are
// ignored. A leap second (":60") cannot be held by a Go time and is an
// error, as is anything else, naming the input.
func ParseTimestamp(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	utc := strings.TrimSuffix(t, "Z")
	for _, l := range timestampLayouts {
		in := t
		if !strings.HasSuffix(l, "07:00") && !strings.HasSuffix(l, "0700") {
			in = utc
		}
		if v, err := time.Parse(l, in); err == nil {
			return v.UTC(), nil
		}
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return time.Time{}, fmt.Errorf("astro: %q is not an ISO 8601 timestamp", s)
}
