// Package astrotest holds test helpers shared by the astro packages (vsop87,
// elpmpp02 and their table generators): locating the read-only reference
// data beside the clone, and benchmark metrics that stay meaningful on a
// shared, loaded machine (CPU time and the fastest batch per operation).
//
// A benchmark reports cpu-ns/op and min-ns/op beside the usual ns/op:
//
//	func BenchmarkX(b *testing.B) {
//		m := astrotest.NewMeter(b)
//		defer m.Report()
//		for b.Loop() {
//			m.Tick()
//			work()
//		}
//	}
//
// It is imported only by _test.go files.
package astrotest

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// SharedPath returns the path of ../shared/<elem...> beside the repository
// clone (the read-only reference data, kept out of the repository). When it
// does not exist the test is skipped, or fails when CI=true (CI has ../shared
// beside the clone).
func SharedPath(t testing.TB, elem ...string) string {
	t.Helper()
	rel := path.Join(append([]string{"..", "shared"}, elem...)...)
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found beside the clone (required under CI=true)", rel)
	}
	t.Skipf("%s not found beside the clone", rel)
	return ""
}

// Meter reports, at the end of a benchmark, the CPU time per operation
// (cpu-ns/op: user + system time of the process, which on a loaded machine
// measures the benchmark rather than the other tenants) and the fastest batch
// of BatchSize iterations (min-ns/op: a batch that ran without being
// preempted approximates the unloaded cost; bench/astro/bench.mjs measures
// the Node peers the same way).
type Meter struct {
	b     *testing.B
	cpu0  int64
	n     int
	start time.Time
	best  time.Duration
}

// BatchSize is the number of iterations per min-ns/op batch.
const BatchSize = 64

// NewMeter starts measuring b.
func NewMeter(b *testing.B) *Meter {
	return &Meter{b: b, cpu0: cpuNanos(), best: 1<<63 - 1}
}

// Tick is called once per iteration, first thing in the loop.
func (m *Meter) Tick() {
	if m.n%BatchSize == 0 {
		now := time.Now()
		if m.n > 0 {
			m.best = min(m.best, now.Sub(m.start))
		}
		m.start = now
	}
	m.n++
}

// Report records cpu-ns/op and, after more than one batch, min-ns/op. Call
// it (deferred) once the benchmark loop has ended.
func (m *Meter) Report() {
	if m.b.N > 0 {
		m.b.ReportMetric(float64(cpuNanos()-m.cpu0)/float64(m.b.N), "cpu-ns/op")
	}
	if m.n > BatchSize {
		m.b.ReportMetric(float64(m.best.Nanoseconds())/BatchSize, "min-ns/op")
	}
}

// ReadCSV returns every record of the CSV file at path, header included,
// failing the test when the file cannot be opened or parsed.
func ReadCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}
