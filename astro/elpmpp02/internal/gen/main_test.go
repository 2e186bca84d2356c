package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerate rebuilds the table from the shared reference data (beside
// the clone) and checks it is byte-identical to the committed one.
func TestRegenerate(t *testing.T) {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	var dir string
	if err == nil {
		dir = filepath.Join(strings.TrimSpace(string(out)), "..", "shared", "reference", "data", "elpmpp02")
	}
	if _, err := os.Stat(dir); dir == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("../shared/reference/data/elpmpp02 not found beside the clone (required under CI=true)")
		}
		t.Skip("../shared/reference/data/elpmpp02 not found beside the clone")
	}
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
