package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/arcsecond-go/arcsecond/astro/internal/astrotest"
)

// TestRegenerate rebuilds the table from the shared reference data (beside
// the clone) and checks it is byte-identical to the committed one.
func TestRegenerate(t *testing.T) {
	dir := astrotest.SharedPath(t, "reference", "data", "elpmpp02")
	got, err := build(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "elpmpp02.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("regenerated table differs from the committed one")
	}
}

func TestFieldRejects(t *testing.T) {
	if _, err := field("x", 1, "  1.5", 0, 10, false); err == nil {
		t.Error("short line: no error")
	}
	if _, err := field("x", 1, "   abc    ", 0, 10, false); err == nil {
		t.Error("bad number: no error")
	}
	if _, err := multiplier("x", 1, "999", 0); err == nil {
		t.Error("multiplier out of range: no error")
	}
	if v, err := field("x", 1, "-0.1274921554086D+02", 0, 20, true); err != nil || v != -12.74921554086 {
		t.Errorf("Fortran D exponent: %v %v", v, err)
	}
}
