package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// The archive commands run offline on the connectors' cassettes: each
// replays the request the command makes and the archive's recorded reply.
var archiveReplays = []struct {
	name, cassette string
	args           []string
	min            int
	want           string
}{
	{"gemini", "../../connectors/gemini/testdata/m101", []string{"archive", "gemini", "--object", "m101", "--no-program-info"}, 10, "Gemini"},
	{"hst", "../../connectors/hst/testdata/caom", []string{"archive", "hst", "--date", "1995-02-08"}, 3, "WFPC2"},
	{"swift", "../../connectors/swift/testdata/swift", []string{"archive", "swift", "--date", "2025-07-01", "--timeline", "planned"}, 5, "Swift"},
	{"eso", "../../connectors/eso/testdata/eso_raw_sgra", []string{"archive", "eso", "--date", "2013-08-01", "--until", "2014-05-01", "--format", "csv",
		"--adql", "select * from dbo.raw where target = 'SGR A' and object = 'SGR A'"}, 10, "SGR A"},
}

// archiveReplay replays an archive's cassette, as often as it is asked.
func archiveReplay(t *testing.T, cassette string) http.RoundTripper {
	t.Helper()
	return vcrtest.Replay(t, cassette, vcrtest.Repeatable())
}

func withArchiveReplay(t *testing.T, cassette string) {
	t.Helper()
	archiveTransport = archiveReplay(t, cassette)
	t.Cleanup(func() { archiveTransport = nil })
}

func TestArchiveReplays(t *testing.T) {
	for _, r := range archiveReplays {
		t.Run(r.name, func(t *testing.T) {
			withArchiveReplay(t, r.cassette)
			out, errs, code := runCLI(t, r.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines)-1 < r.min || !strings.HasPrefix(lines[0], "START (UTC)") || !strings.Contains(out, r.want) {
				t.Errorf("%d rows:\n%s", len(lines)-1, out)
			}
			jout, _, code := runCLI(t, append(r.args, "--json", "--limit", "3")...)
			if code != 0 {
				t.Fatalf("--json: exit %d", code)
			}
			n := 0
			for _, l := range strings.Split(strings.TrimSpace(jout), "\n") {
				var a map[string]any
				if err := json.Unmarshal([]byte(l), &a); err != nil {
					t.Fatalf("line %q: %v", l, err)
				}
				if a["id"] == nil || a["source"] == nil {
					t.Errorf("activity without id/source: %s", l)
				}
				n++
			}
			if n != 3 {
				t.Errorf("--limit 3 gave %d lines", n)
			}
		})
	}
}

func TestArchiveErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"archive", "gemini", "--instrument", "GMOS-N"}, exitUsage},
		{[]string{"archive", "gemini", "--date", "2026-02-30"}, exitUsage},
		{[]string{"archive", "hst", "--date", "2026-11-20", "--until", "2026-11-19"}, exitUsage},
		{[]string{"archive", "swift", "--date", "2026-11-20", "--timeline", "sometimes"}, exitUsage},
		{[]string{"archive", "eso", "--date", "2026-11-20", "--products", "cooked"}, exitUsage},
		{[]string{"archive", "eso", "--cone", "10,20"}, exitUsage},
		{[]string{"archive", "gemini", "--date", "2026-11-20", "--limit", "-1"}, exitUsage},
		// Unreachable service: network exit code.
		{[]string{"archive", "gemini", "--date", "2026-11-20", "--base-url", "http://127.0.0.1:1", "--retries", "-1", "--timeout", "2s"}, exitNetwork},
		{[]string{"archive", "hst", "--date", "2026-11-20", "--base-url", "http://127.0.0.1:1/invoke", "--retries", "-1", "--timeout", "2s"}, exitNetwork},
	}
	for _, c := range cases {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errs)
		}
	}
}

func TestRowProgress(t *testing.T) {
	var buf bytes.Buffer
	// Not a terminal: silent.
	p := newRowProgress(&buf, "x")
	p.Add(5)
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a non-terminal", buf.String())
	}
	progressForce, progressDelay = true, 0
	defer func() { progressForce, progressDelay = false, time.Second }()
	var sb syncBuffer
	p = newRowProgress(&sb, "archive gemini")
	p.Add(42)
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(sb.String(), "42 rows") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	p.Done()
	p.Done()
	s := sb.String()
	if !strings.Contains(s, "archive gemini: 42 rows") || !strings.HasSuffix(s, "\r\033[K") {
		t.Errorf("progress output %q", s)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func FuzzArchiveParseCone(f *testing.F) {
	for _, s := range []string{"10,20,0.5", "00:42:44,+41:16:09,1", "10,20", "10,20,0", "10,20,NaN", "400,0,1", "a,b,c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ra, dec, r, err := archiveParseCone(s)
		if err != nil {
			return
		}
		if !(ra >= 0 && ra < 360) || !(dec >= -90 && dec <= 90) || !(r > 0 && r <= 180) {
			t.Errorf("%q: accepted ra %v dec %v r %v", s, ra, dec, r)
		}
	})
}
