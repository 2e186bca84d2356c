package astro

import (
	"fmt"
	"math"
)

// Calendar selects the calendar used to read or write a date.
type Calendar uint8

const (
	// Gregorian is the proleptic Gregorian calendar (ISO 8601, ERFA cal2jd).
	Gregorian Calendar = iota
	// Julian is the proleptic Julian calendar.
	Julian
	// MeeusCalendar is Meeus's convention (Astronomical Algorithms, ch. 7):
	// the Julian calendar up to 1582 October 4 and the Gregorian calendar
	// from 1582 October 15. Years are astronomical (year 0 = 1 BC).
	MeeusCalendar
)

// gregorianStartJDN is the Julian day number of 1582 October 15 (Gregorian).
const gregorianStartJDN = 2299161

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// jdnGregorian returns the Julian day number (at noon) of a Gregorian date.
func jdnGregorian(y, m, d int64) int64 {
	a := floorDiv(14-m, 12)
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + floorDiv(153*mm+2, 5) + 365*yy + floorDiv(yy, 4) - floorDiv(yy, 100) + floorDiv(yy, 400) - 32045
}

// jdnJulian returns the Julian day number (at noon) of a Julian-calendar date.
func jdnJulian(y, m, d int64) int64 {
	a := floorDiv(14-m, 12)
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + floorDiv(153*mm+2, 5) + 365*yy + floorDiv(yy, 4) - 32083
}

func gregorianFromJDN(j int64) (y, m, d int64) {
	a := j + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	dd := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*dd, 4)
	mm := floorDiv(5*e+2, 153)
	d = e - floorDiv(153*mm+2, 5) + 1
	m = mm + 3 - 12*floorDiv(mm, 10)
	y = 100*b + dd - 4800 + floorDiv(mm, 10)
	return
}

func julianFromJDN(j int64) (y, m, d int64) {
	c := j + 32082
	dd := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*dd, 4)
	mm := floorDiv(5*e+2, 153)
	d = e - floorDiv(153*mm+2, 5) + 1
	m = mm + 3 - 12*floorDiv(mm, 10)
	y = dd - 4800 + floorDiv(mm, 10)
	return
}

// IsLeapYear reports whether the (astronomical) year is a leap year in the
// calendar. For MeeusCalendar, years before 1583 follow the Julian rule.
func IsLeapYear(year int, cal Calendar) bool {
	if cal == Julian || (cal == MeeusCalendar && year < 1583) {
		return year%4 == 0
	}
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

// DaysInMonth returns the number of days of a month (1-12) of a year in the
// calendar, or 0 for an invalid month. October 1582 has 21 days in MeeusCalendar.
func DaysInMonth(year, month int, cal Calendar) int {
	switch month {
	case 1, 3, 5, 7, 8, 10, 12:
		return 31
	case 4, 6, 9, 11:
		return 30
	case 2:
		if IsLeapYear(year, cal) {
			return 29
		}
		return 28
	}
	return 0
}

const maxCalendarYear = 1000000

// CalendarToJD returns the Julian date (UT-like: the scale is the caller's)
// of a calendar date; day may carry a fraction (1957 Oct 4.81 → day 4.81).
// Years are astronomical (0 = 1 BC, −1 = 2 BC) within ±1,000,000. In
// MeeusCalendar the dates 1582 Oct 5–14 do not exist and give an error.
// Exact to the float64 resolution of the result (about 0.04 ms near JD 2.4e6).
func CalendarToJD(year, month int, day float64, cal Calendar) (float64, error) {
	if year < -maxCalendarYear || year > maxCalendarYear {
		return 0, fmt.Errorf("astro: year %d out of range ±%d", year, maxCalendarYear)
	}
	if month < 1 || month > 12 {
		return 0, fmt.Errorf("astro: month %d out of range 1-12", month)
	}
	if !finite(day) || day < 1 || day >= float64(DaysInMonth(year, month, cal)+1) {
		return 0, fmt.Errorf("astro: day %v out of range for %04d-%02d", day, year, month)
	}
	id := math.Floor(day)
	frac := day - id
	var jdn int64
	switch cal {
	case Julian:
		jdn = jdnJulian(int64(year), int64(month), int64(id))
	case MeeusCalendar:
		jdn = jdnGregorian(int64(year), int64(month), int64(id))
		if jdn < gregorianStartJDN {
			jdn = jdnJulian(int64(year), int64(month), int64(id))
			if jdn >= gregorianStartJDN-10 {
				return 0, fmt.Errorf("astro: %04d-%02d-%02d does not exist (the Gregorian reform skipped 1582 Oct 5-14)", year, month, int(id))
			}
		}
	default:
		jdn = jdnGregorian(int64(year), int64(month), int64(id))
	}
	return float64(jdn) - 0.5 + frac, nil
}

// JDToCalendar returns the calendar date of a Julian date: year
// (astronomical), month 1-12 and day with its fraction.
func JDToCalendar(jd float64, cal Calendar) (year, month int, day float64, err error) {
	if !finite(jd) || math.Abs(jd) > 1e9 {
		return 0, 0, 0, fmt.Errorf("astro: Julian date %v out of range", jd)
	}
	jdn := math.Floor(jd + 0.5)
	frac := jd + 0.5 - jdn
	y, m, d := jdToYMD(int64(jdn), cal)
	return int(y), int(m), float64(d) + frac, nil
}

func jdToYMD(jdn int64, cal Calendar) (y, m, d int64) {
	if cal == Julian || (cal == MeeusCalendar && jdn < gregorianStartJDN) {
		return julianFromJDN(jdn)
	}
	return gregorianFromJDN(jdn)
}

// Weekday returns the day of the week of a Julian date: 0 = Sunday … 6 = Saturday
// (Meeus ch. 7). The day is the civil day containing jd in the same scale.
func Weekday(jd float64) int {
	j := int64(math.Floor(jd + 0.5))
	w := (j + 1) % 7
	if w < 0 {
		w += 7
	}
	return int(w)
}

// DayOfYear returns the ordinal day (1 = January 1) of a calendar date.
func DayOfYear(year, month, day int, cal Calendar) (int, error) {
	j1, err := CalendarToJD(year, 1, 1, cal)
	if err != nil {
		return 0, err
	}
	j2, err := CalendarToJD(year, month, float64(day), cal)
	if err != nil {
		return 0, err
	}
	return int(j2-j1) + 1, nil
}

// Easter returns the month and day of Easter Sunday of a year: in the
// Gregorian calendar (Meeus ch. 8, after Butcher) for Gregorian and for
// MeeusCalendar from 1583, otherwise the Julian-calendar rule.
func Easter(year int, cal Calendar) (month, day int) {
	if cal == Julian || (cal == MeeusCalendar && year < 1583) {
		a := mod(year, 4)
		b := mod(year, 7)
		c := mod(year, 19)
		d := mod(19*c+15, 30)
		e := mod(2*a+4*b-d+34, 7)
		f := d + e + 114
		return f / 31, f%31 + 1
	}
	a := mod(year, 19)
	b := floorInt(year, 100)
	c := mod(year, 100)
	d := floorInt(b, 4)
	e := mod(b, 4)
	f := floorInt(b+8, 25)
	g := floorInt(b-f+1, 3)
	h := mod(19*a+b-d-g+15, 30)
	i := floorInt(c, 4)
	k := mod(c, 4)
	l := mod(32+2*e+2*i-h-k, 7)
	m := floorInt(a+11*h+22*l, 451)
	n := h + l - 7*m + 114
	return n / 31, n%31 + 1
}

func mod(a, b int) int {
	r := a % b
	if r < 0 {
		r += b
	}
	return r
}

func floorInt(a, b int) int { return int(floorDiv(int64(a), int64(b))) }
