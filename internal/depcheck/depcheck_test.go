package depcheck

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/astro"
)

const module = "github.com/arcsecond-go/arcsecond"

// forbidden are the packages a connector (or the light core: activities,
// astro, catalogs) must not link, and why.
var forbidden = []struct{ pattern, why string }{
	{`^modernc\.org/sqlite$`, "SQLite belongs in sqlitedb and the stores built on it"},
	{`^modernc\.org/libc$`, "SQLite's C runtime"},
	{`^github\.com/nats-io/`, "NATS belongs in the jetstream packages"},
	{`^` + module + `/astro/vsop87$`, "the planetary theory is linked by astro/ephemeris only"},
	{`^` + module + `/astro/elpmpp02$`, "the lunar theory is linked by astro/ephemeris only"},
	{`^` + module + `/astro/ephemeris$`, "the theories are linked by programs that ask for them"},
	{`^` + module + `$`, "the root package wires a whole node (stores, servers)"},
	{`^` + module + `/sqlitedb$`, "the SQLite opener"},
	{`^` + module + `/subscribe$`, "the matcher and delivery"},
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = moduleRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.Bytes())
	}
	return strings.Fields(string(out))
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return dir
}

// violations returns the forbidden packages in deps, with the reason.
func violations(deps []string) []string {
	var bad []string
	for _, d := range deps {
		for _, f := range forbidden {
			if regexp.MustCompile(f.pattern).MatchString(d) {
				bad = append(bad, d+" ("+f.why+")")
			}
		}
	}
	return bad
}

func TestViolationsDetects(t *testing.T) {
	got := violations([]string{"fmt", "modernc.org/sqlite", module + "/astro", module + "/astro/vsop87", module, "github.com/nats-io/nats.go"})
	if len(got) != 4 {
		t.Fatalf("violations = %v, want sqlite, vsop87, the root package and nats", got)
	}
}

// TestLightCore checks the imports of the tiny program and of every
// connector and light-core package.
func TestLightCore(t *testing.T) {
	roots := []string{"./internal/depcheck/testdata/geminiparse", "./activities", "./astro", "./catalogs"}
	for _, p := range goList(t, "./connectors/...") {
		if strings.HasSuffix(p, "/connectortest") {
			continue // a test helper, linked by tests only
		}
		roots = append(roots, p)
	}
	for _, r := range roots {
		if bad := violations(goList(t, "-deps", r)); len(bad) > 0 {
			t.Errorf("%s links:\n\t%s", r, strings.Join(bad, "\n\t"))
		}
	}
}

// TestTinyProgram builds the tiny program and checks its size and the
// memory the SDK's packages allocate in init (GODEBUG=inittrace=1).
func TestTinyProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program; not in -short")
	}
	root := moduleRoot(t)
	bin := filepath.Join(t.TempDir(), "geminiparse")
	build := exec.Command("go", "build", "-o", bin, "./internal/depcheck/testdata/geminiparse")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	const maxSize = 10_000_000
	if fi.Size() >= maxSize {
		t.Errorf("the tiny program is %d bytes, want under %d", fi.Size(), maxSize)
	}
	run := exec.Command(bin, filepath.Join(root, "connectors/gemini/testdata/m101.json"))
	run.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	run.Stderr = &stderr
	out, err := run.Output()
	if err != nil {
		t.Fatalf("running the tiny program: %v\n%s", err, stderr.Bytes())
	}
	if !bytes.Contains(out, []byte("gemini:GN-")) {
		t.Fatalf("the tiny program did not parse the reply: %.200s", out)
	}
	total, pkgs := sdkInitBytes(t, stderr.Bytes())
	if pkgs == 0 {
		t.Fatalf("no init line of the SDK in the trace:\n%s", stderr.Bytes())
	}
	const maxInit = 100_000
	if total >= maxInit {
		t.Errorf("the SDK's packages allocate %d bytes in init, want under %d:\n%s", total, maxInit, stderr.Bytes())
	}
	t.Logf("%d bytes; %d SDK packages allocate %d bytes in init", fi.Size(), pkgs, total)
}

// initLine is a line of GODEBUG=inittrace=1:
// "init pkg @0.5 ms, 0.003 ms clock, 216 bytes, 6 allocs".
var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, \d+ allocs$`)

func sdkInitBytes(t *testing.T, trace []byte) (total, pkgs int) {
	sc := bufio.NewScanner(bytes.NewReader(trace))
	for sc.Scan() {
		m := initLine.FindStringSubmatch(sc.Text())
		if m == nil || (m[1] != module && !strings.HasPrefix(m[1], module+"/")) {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil {
			t.Fatal(err)
		}
		total += n
		pkgs++
	}
	return total, pkgs
}

// TestBodiesWithoutEphemeris checks what a program that did not import
// astro/ephemeris gets from astro's solar-system functions: an error naming
// the import, not a panic or a wrong place. (This test binary does not
// link the theories: TestLightCore checks astro's imports.)
func TestBodiesWithoutEphemeris(t *testing.T) {
	from, err := astro.NewUTC(2026, 12, 7, 12, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	paranal := astro.Site{Lon: astro.Deg(-70.4045), Lat: astro.Deg(-24.6272), Height: 2635}
	if _, _, err := astro.Sunrise(paranal, from); err == nil || !strings.Contains(err.Error(), "astro/ephemeris") {
		t.Errorf("Sunrise without the ephemeris: %v, want an error naming astro/ephemeris", err)
	}
	if _, err := astro.ApparentPosition(astro.Mars, from); err == nil || !strings.Contains(err.Error(), "astro/ephemeris") {
		t.Errorf("ApparentPosition without the ephemeris: %v, want an error naming astro/ephemeris", err)
	}
	if _, err := astro.ApparentPositionFast(astro.Moon, from); err == nil || !strings.Contains(err.Error(), "astro/ephemeris") {
		t.Errorf("ApparentPositionFast without the ephemeris: %v, want an error naming astro/ephemeris", err)
	}
}
