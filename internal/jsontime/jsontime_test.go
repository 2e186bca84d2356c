package jsontime

import (
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	if Encode(time.Time{}) != nil {
		t.Error("the zero time encodes as a string")
	}
	in := time.Date(2026, 12, 7, 18, 0, 0, 123456789, time.FixedZone("x", 3600))
	s := Encode(in)
	if s == nil || *s != "2026-12-07T17:00:00.123456789Z" {
		t.Fatalf("Encode = %v", s)
	}
	out, err := Decode(s)
	if err != nil || !out.Equal(in) || out.Location() != time.UTC {
		t.Fatalf("Decode(%q) = %v, %v", *s, out, err)
	}
	for _, bad := range []string{"yesterday", "2026-12-07"} {
		if _, err := Decode(&bad); err == nil || err.Error() != `not an RFC 3339 time: "`+bad+`"` {
			t.Errorf("Decode(%q): %v", bad, err)
		}
	}
	if out, err := Decode(nil); err != nil || !out.IsZero() {
		t.Errorf("Decode(nil) = %v, %v", out, err)
	}
}
