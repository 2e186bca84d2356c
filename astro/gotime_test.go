package astro

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// exactMJDToGo is the reference: the exact rational value of mjd, scaled
// to microseconds and rounded half away from zero.
func exactMJDToGo(mjd float64) time.Time {
	r := new(big.Rat).SetFloat64(mjd)
	r.Mul(r, big.NewRat(86400e6, 1))
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // truncated toward zero
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	if twice.Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	us := q.Int64()
	day := us / 86400e6
	rem := us % 86400e6
	if rem < 0 {
		day--
		rem += 86400e6
	}
	return time.Date(1858, 11, 17+int(day), 0, 0, 0, 0, time.UTC).Add(time.Duration(rem) * time.Microsecond)
}

func TestMJDToGoBoundaries(t *testing.T) {
	for _, c := range []struct {
		mjd  float64
		want time.Time
	}{
		{0, time.Date(1858, 11, 17, 0, 0, 0, 0, time.UTC)},
		{UnixEpochMJD, time.Unix(0, 0).UTC()},
		{51544.5, time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)},
		{-0.25, time.Date(1858, 11, 16, 18, 0, 0, 0, time.UTC)},
		{-1, time.Date(1858, 11, 16, 0, 0, 0, 0, time.UTC)},
		// One ulp (0.63 µs) either side of midnight rounds to the nearest
		// microsecond, not onto midnight.
		{math.Nextafter(60001, 0), time.Date(2023, 2, 25, 23, 59, 59, 999999000, time.UTC)},
		{math.Nextafter(60000, 1e9), time.Date(2023, 2, 25, 0, 0, 0, 1000, time.UTC)},
		// A quarter of a microsecond (below one ulp at MJD 60000, so
		// near MJD 0 where it is representable) rounds to midnight.
		{math.Nextafter(1, 0), time.Date(1858, 11, 18, 0, 0, 0, 0, time.UTC)},
		{0.25 / 86400e6, time.Date(1858, 11, 17, 0, 0, 0, 0, time.UTC)},
		{0.75 / 86400e6, time.Date(1858, 11, 17, 0, 0, 0, 1000, time.UTC)},
		{60000.25, time.Date(2023, 2, 25, 6, 0, 0, 0, time.UTC)},
		// Before 1858 and after 2262 (where UnixNano overflows).
		{-100000, time.Date(1585, 2, 1, 0, 0, 0, 0, time.UTC)},
		{150000.5, time.Date(2269, 7, 25, 12, 0, 0, 0, time.UTC)},
	} {
		got, err := MJDToGo(c.mjd)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("MJDToGo(%v) = %v, %v; want %v", c.mjd, got, err, c.want)
		}
		if ref := exactMJDToGo(c.mjd); !ref.Equal(c.want) {
			t.Errorf("reference for %v is %v; the table is wrong", c.mjd, ref)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e7 + 1, -2e7} {
		if _, err := MJDToGo(bad); err == nil {
			t.Errorf("MJDToGo(%v): no error", bad)
		}
	}
	if jd, err := JDToGo(2451545.0); err != nil || !jd.Equal(time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("JDToGo(J2000) = %v, %v", jd, err)
	}
}

// Against the exact rounding, at random MJDs and at fractions that put
// the exact value within a few ulps of a half microsecond (where the
// former copies, scaling the whole MJD at once, went wrong).
func TestMJDToGoExactRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(mjd float64) {
		got, err := MJDToGo(mjd)
		if want := exactMJDToGo(mjd); err != nil || !got.Equal(want) {
			t.Fatalf("MJDToGo(%v) = %v, %v; exact rounding gives %v", mjd, got, err, want)
		}
	}
	for range 20000 {
		check(r.Float64()*200000 - 20000)
	}
	for range 20000 {
		day := float64(r.IntN(100000))
		half := (float64(r.Int64N(86400e6)) + 0.5) / 86400e6
		x := day + half
		for range 3 {
			check(x)
			x = math.Nextafter(x, math.Inf(1))
		}
	}
}

func TestGoToMJDRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Date(1858, 11, 17, 0, 0, 0, 0, time.UTC)
	for range 20000 {
		tm := start.Add(time.Duration(r.Int64N(65535*86400e6)) * time.Microsecond)
		back, err := MJDToGo(GoToMJD(tm))
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%v → MJD %v → %v, %v", tm, GoToMJD(tm), back, err)
		}
	}
	if m := GoToMJD(time.Date(1600, 1, 1, 6, 0, 0, 0, time.UTC)); m != -94552.75 {
		t.Errorf("GoToMJD(1600-01-01T06:00) = %v, want -94552.75", m)
	}
	if jd := GoToJD(time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)); jd != 2451545 {
		t.Errorf("GoToJD(J2000) = %v", jd)
	}
	// FromGo shares the split: its MJD is GoToMJD's.
	tm := time.Date(2026, 12, 7, 14, 30, 15, 250_000_000, time.UTC)
	if a, b := FromGo(tm).MJD(), GoToMJD(tm); math.Abs(a-b) > 1e-11 {
		t.Errorf("FromGo MJD %v, GoToMJD %v", a, b)
	}
}

func TestParseTimestamp(t *testing.T) {
	want := time.Date(2013, 8, 27, 1, 5, 24, 327_000_000, time.UTC)
	for _, s := range []string{
		"2013-08-27T01:05:24.327Z", "2013-08-27T01:05:24.327", "2013-08-27 01:05:24.327",
		" 2013-08-27T01:05:24.327Z ", "2013-08-27T03:05:24.327+02:00", "2013-08-27T03:05:24.327+0200",
		"2013-08-27 03:05:24.327+02:00", "2013-08-26T22:05:24.327-03:00",
	} {
		if got, err := ParseTimestamp(s); err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v", s, got, err)
		}
	}
	for s, w := range map[string]time.Time{
		"2013-08-27":        time.Date(2013, 8, 27, 0, 0, 0, 0, time.UTC),
		"2013-08-27Z":       time.Date(2013, 8, 27, 0, 0, 0, 0, time.UTC),
		"2013-08-27T01:05":  time.Date(2013, 8, 27, 1, 5, 0, 0, time.UTC),
		"2013-08-27T01:05Z": time.Date(2013, 8, 27, 1, 5, 0, 0, time.UTC),
		"1500-01-01":        time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, err := ParseTimestamp(s); err != nil || !got.Equal(w) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", s, got, err, w)
		}
	}
	for _, s := range []string{"", "2013", "2013-13-01", "2013-08-27T25:00", "2016-12-31T23:59:60Z", "yesterday", "2013-08-27TZ"} {
		if _, err := ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q): no error", s)
		}
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2013-08-27T01:05:24.327Z", "2013-08-27 01:05", "2013-08-27+0200", "2013-08-27T01:05:24+0100", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("ParseTimestamp(%q) = %v, not in UTC", s, got)
		}
		again, err := ParseTimestamp(got.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q → %v does not survive its own RFC 3339 form: %v, %v", s, got, again, err)
		}
	})
}

func FuzzMJDToGo(f *testing.F) {
	for _, m := range []float64{0, 60000.5, -0.25, math.Nextafter(60001, 0), 1e7} {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, mjd float64) {
		got, err := MJDToGo(mjd)
		if err != nil {
			if !math.IsNaN(mjd) && !math.IsInf(mjd, 0) && math.Abs(mjd) <= 1e7 {
				t.Fatalf("MJDToGo(%v): %v", mjd, err)
			}
			return
		}
		if want := exactMJDToGo(mjd); !got.Equal(want) {
			t.Fatalf("MJDToGo(%v) = %v, exact %v", mjd, got, want)
		}
	})
}

func TestTimeAddDuration(t *testing.T) {
	t0 := MustTime(TT, 2460000.5, 0.25)
	for _, d := range []time.Duration{time.Hour, -90 * time.Minute, 1500 * time.Millisecond, 30 * Day, 100 * 365 * Day, time.Nanosecond} {
		if got := t0.Add(d).Sub(t0); math.Abs(got-d.Seconds()) > 1e-6*math.Max(1, math.Abs(d.Seconds()))*1e-3 && math.Abs(got-d.Seconds()) > 2e-7 {
			t.Errorf("Add(%v).Sub = %v s, want %v s", d, got, d.Seconds())
		}
	}
	n, err := Night(Site{Lon: Deg(-70.4045), Lat: Deg(-24.6272), Height: 2635}, 2025, 6, 21)
	if err != nil || n.Dark < 10*time.Hour || n.Dark > 11*time.Hour {
		t.Errorf("Night.Dark = %v, %v; want 10.7 h", n.Dark, err)
	}
	if _, err := RiseTransitSetWith(Sun, Site{}, t0, RiseSetOptions{Window: 41 * Day}); err == nil {
		t.Error("a 41-day window: no error")
	}
	if _, err := RiseTransitSetWith(Sun, Site{}, t0, RiseSetOptions{Window: -time.Hour}); err == nil {
		t.Error("a negative window: no error")
	}
}
