package astro

import (
	"math"
	"strings"
	"testing"
)

func TestParseSexagesimal(t *testing.T) {
	hours := []struct {
		in   string
		want float64 // hours
	}{
		{"12h34m56.7s", 12 + 34.0/60 + 56.7/3600},
		{"12:34:56.7", 12 + 34.0/60 + 56.7/3600},
		{"12 34 56.7", 12 + 34.0/60 + 56.7/3600},
		{" 12h34.5m ", 12 + 34.5/60},
		{"12.5h", 12.5},
		{"12.5", 12.5},
		{"-01:00:00", -1},
		{"7h45m18.946s", 7 + 45.0/60 + 18.946/3600},
		{"0h0m0s", 0},
		{"24h", 24},
	}
	for _, c := range hours {
		a, err := ParseHours(c.in)
		if err != nil {
			t.Errorf("ParseHours(%q): %v", c.in, err)
			continue
		}
		if math.Abs(a.Hours()-c.want) > 1e-12 {
			t.Errorf("ParseHours(%q) = %v h, want %v", c.in, a.Hours(), c.want)
		}
	}
	degs := []struct {
		in   string
		want float64
	}{
		{"-00 30 00", -0.5},
		{"-0:30:00", -0.5},
		{"+12°34′56.7″", 12 + 34.0/60 + 56.7/3600},
		{"12d34m56.7s", 12 + 34.0/60 + 56.7/3600},
		{"12°34'56\"", 12 + 34.0/60 + 56.0/3600},
		{"12°34'56''", 12 + 34.0/60 + 56.0/3600},
		{"−16°42′57.99″", -(16 + 42.0/60 + 57.99/3600)},
		{"-0.5", -0.5},
		{"12.5°", 12.5},
		{"30′", 0.5},
		{"-00°00′01″", -1.0 / 3600},
	}
	for _, c := range degs {
		a, err := ParseDegrees(c.in)
		if err != nil {
			t.Errorf("ParseDegrees(%q): %v", c.in, err)
			continue
		}
		if math.Abs(a.Deg()-c.want) > 1e-12 {
			t.Errorf("ParseDegrees(%q) = %v°, want %v", c.in, a.Deg(), c.want)
		}
	}
	bad := []struct{ in, why string }{
		{"", "empty"},
		{"abc", "unexpected"},
		{"12:60:00", "not below 60"},
		{"12:30:60", "not below 60"},
		{"12.5:30", "fraction"},
		{"12m30h", "out of order"},
		{"1:2:3:4", "more than three"},
		{"12::30", "empty component"},
		{"--12", "unexpected"},
		{"12 30 x", "unexpected"},
		{"400", "beyond"},
		{"12s30m", "out of order"},
		{"1e5", "unexpected"},
		{"NaN", "unexpected"},
	}
	for _, c := range bad {
		_, err := ParseDegrees(c.in)
		if c.in == "12m30h" {
			_, err = ParseHours(c.in)
		}
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("parse %q: err = %v, want one mentioning %q", c.in, err, c.why)
		}
	}
	if _, err := ParseHours("12d30m"); err == nil {
		t.Error("ParseHours accepted a degree marker")
	}
	if _, err := ParseDeclination("+91 00 00"); err == nil {
		t.Error("ParseDeclination accepted +91°")
	}
}

func TestFormatSexagesimal(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{FormatHMS(Hours(12+34.0/60+56.7/3600), 2), "12h34m56.70s"},
		{FormatHMSColon(Hours(23.9999999999), 1), "00:00:00.0"},
		{FormatDMS(Deg(-0.5), 1), "-00°30′00.0″"},
		{FormatDMSColon(Deg(12.999999999), 0), "+13:00:00"},
		{FormatDMS(Deg(28+1.0/60+34.26/3600), 2), "+28°01′34.26″"},
		{FormatDMS(Deg(0), 0), "+00°00′00″"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// Round trip.
	for _, s := range []string{"-00:30:00.0", "+45:12:33.5", "-89:59:59.9"} {
		a, err := ParseDegrees(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatDMSColon(a, 1); got != s {
			t.Errorf("round trip %q → %q", s, got)
		}
	}
}

func FuzzParseSexagesimal(f *testing.F) {
	for _, s := range []string{"12h34m56.7s", "12:34:56.7", "-00 30 00", "+12°34′56.7″", "12d", "1.5", "12 34", "−0°0′1″", "12''", ":", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, hours := range []bool{true, false} {
			var a Angle
			var err error
			if hours {
				a, err = ParseHours(s)
			} else {
				a, err = ParseDegrees(s)
			}
			if err != nil {
				if a != 0 {
					t.Fatalf("%q: error with non-zero value", s)
				}
				continue
			}
			if math.IsNaN(float64(a)) || math.IsInf(float64(a), 0) {
				t.Fatalf("%q: parsed to %v", s, a)
			}
			// Formatting must not fail and must re-parse close to the value.
			f := FormatDMSColon(a, 6)
			b, err := ParseDegrees(f)
			if err != nil {
				t.Fatalf("%q → %q does not re-parse: %v", s, f, err)
			}
			if math.Abs(b.Deg()-a.Deg()) > 1e-8 {
				t.Fatalf("%q → %q → %v, want %v", s, f, b.Deg(), a.Deg())
			}
		}
	})
}
