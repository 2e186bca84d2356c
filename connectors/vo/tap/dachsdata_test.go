package tap

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDaCHSDataReproducible checks that testdata/dachs/obs.csv, the table
// the DaCHS test service publishes, is exactly what its documented
// generator writes.
func TestDaCHSDataReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	root := filepath.Join("..", "..", "..")
	want, err := os.ReadFile(filepath.Join(root, "testdata", "dachs", "obs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "obs.csv")
	cmd := exec.Command("go", "run", "./testdata/dachs/gen", "-o", out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("testdata/dachs/obs.csv differs from the generator's output (%d vs %d bytes)", len(want), len(got))
	}
}
