package loadavg

import (
	"os"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		if s := String(); s != "unknown" {
			t.Fatalf("String() = %q without /proc/loadavg, want unknown", s)
		}
		t.Skip("no /proc/loadavg on this system")
	}
	l, err := Read()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range l {
		if v < 0 {
			t.Errorf("load average %d is %v", i, v)
		}
	}
	if f := strings.Fields(String()); len(f) != 3 {
		t.Errorf("String() = %q, want three figures", String())
	}
}
