// Package archivetest holds what the archive connectors' tests share
// besides the fault scenarios of faulttest: reading a recorded body, the
// normalization-rate benchmarks (records normalized per second, beside a
// plain encoding/json decode of the same body) and the check every fuzz
// target makes of a parse result: each record became a valid activity or
// a skip counted under a named reason. A panic is left to the fuzzing
// engine, which reports it with the input that caused it.
package archivetest

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// Read returns the file at path (a recorded reply under testdata), failing
// t when it cannot be read.
func Read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Rate runs b over body: parse once per iteration, returning how many
// records the body held (an error fails b). It reports the records per
// second as the metric "records/s". It sets no byte count: a benchmark
// that also reports MB/s calls b.SetBytes first, and one that must warm a
// cache does so before Rate (b.Loop starts the timer afresh).
func Rate(b *testing.B, body []byte, parse func([]byte) (int, error)) {
	b.Helper()
	records := 0
	for b.Loop() {
		n, err := parse(body)
		if err != nil {
			b.Fatal(err)
		}
		records += n
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// Normalize is [Rate] for a connector's parser: the records counted are
// the Result's Records.
func Normalize(b *testing.B, body []byte, parse func([]byte) (*connectors.Reply, error)) {
	b.Helper()
	Rate(b, body, func(body []byte) (int, error) {
		res, err := parse(body)
		if err != nil {
			return 0, err
		}
		if res == nil {
			b.Fatal("parser returned no result and no error")
		}
		return res.Records, nil
	})
}

// DecodeJSON is the decode-only peer of [Normalize]: body decoded by
// encoding/json into a value of type T (generic maps, no normalization),
// the floor of any JSON-based connector; records counts the records in it.
func DecodeJSON[T any](b *testing.B, body []byte, records func(T) int) {
	b.Helper()
	Rate(b, body, func(body []byte) (int, error) {
		var v T
		if err := json.Unmarshal(body, &v); err != nil {
			return 0, err
		}
		return records(v), nil
	})
}

// Check fails t unless what a parser made of fuzzed input is an error or a
// Result in which every record is accounted for: Records equals the
// activities plus the skipped records, every activity passes
// activities.Activity.Validate, and every skip is counted under a
// non-empty reason.
func Check(t testing.TB, res *connectors.Reply, err error) {
	t.Helper()
	if err != nil {
		return
	}
	if res == nil {
		t.Fatal("no result and no error")
	}
	if len(res.Activities)+res.SkippedTotal() != res.Records {
		t.Fatalf("records %d != %d activities + %d skipped", res.Records, len(res.Activities), res.SkippedTotal())
	}
	for reason, n := range res.Skipped {
		if reason == "" || n <= 0 {
			t.Fatalf("skip reason %q counted %d times: want a named reason counted at least once", reason, n)
		}
	}
	for _, a := range res.Activities {
		if err := a.Validate(); err != nil {
			t.Fatalf("invalid activity %+v: %v", a, err)
		}
	}
}

// Absent handles a service or fixture an integration test needs and does
// not have: the test fails under CI=true (CI must provide it) and is
// skipped otherwise, with why.
func Absent(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (required under CI=true)", why)
	}
	t.Skip(why)
}

// TAPURL returns the DaCHS TAP service that .ci/setup.d/40-dachs.sh starts
// (ARCSECOND_TAP_URL), or handles its absence with Absent.
func TAPURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("ARCSECOND_TAP_URL")
	if u == "" {
		Absent(t, "ARCSECOND_TAP_URL is not set: run .ci/setup.d/40-dachs.sh for a local DaCHS TAP service")
	}
	return u
}

// Row is one row of a connector's contract test: a request parameter or
// response field, the upstream source it comes from (owner/repo@commit:path
// or a documentation URL), and the check that the connector honours it.
type Row struct {
	Name, Cite string
	Check      func(t *testing.T)
}

// RunContract runs each row as a subtest that logs its citation.
func RunContract(t *testing.T, rows []Row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.Name, func(t *testing.T) {
			t.Logf("source: %s", r.Cite)
			r.Check(t)
		})
	}
}
