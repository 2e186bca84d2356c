package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/astro/internal/astrotest"
)

// TestRegenerate rebuilds the tables from the shared reference data (beside
// the clone) and checks they are byte-identical to the committed ones.
func TestRegenerate(t *testing.T) {
	dir := astrotest.SharedPath(t, "reference", "data", "vsop87")
	for _, v := range []string{"B", "D"} {
		got, _, err := build(dir, v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "vsop87"+strings.ToLower(v)+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("VSOP87%s: regenerated table differs from the committed one", v)
		}
	}
}

// TestParseRejects checks that malformed input is refused with an error.
func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		" VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0      2 TERMS\n",
		"garbage line\n",
		" VSOP87 VERSION B1    EARTH     VARIABLE 9 (LBR)       *T**0      1 TERMS\n",
		" VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0     -1 TERMS\n",
		" VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0      0 TERMS\n",
		" VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0 999999999 TERMS\n",
	} {
		if _, err := parse("test", []byte(in), "B"); err == nil {
			t.Errorf("no error for %q", in)
		}
	}
}

// TestParseHugeCount checks that a corrupt term count is not taken as an
// allocation size (the fuzzer found 10⁸ terms exhausting memory).
func TestParseHugeCount(t *testing.T) {
	in := []byte(" VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0 100000000 TERMS\n")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := parse("test", in, "B")
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Error("no error for a block that ends 10⁸ terms early")
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("parsing a 1-line header allocated %d bytes", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(" VSOP87 VERSION B1    EARTH     VARIABLE 1 (LBR)       *T**0      1 TERMS\n 2310    1  0  0  0  0  0  0  0  0  0  0  0  0  0.00000000000     1.75347045673     1.75347045673 0.00000000000       0.00000000000\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parse("fuzz", b, "B")
	})
}
