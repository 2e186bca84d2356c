package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond"
)

// readmeAddr is where the README says the main job serves.
const readmeAddr = "127.0.0.1:8080"

// syncBuffer collects a process's output.
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

// buildBinary builds activityd into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "activityd")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// requireFreePort fails (under CI=true) or skips when addr is taken,
// naming the process that holds it.
func requireFreePort(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		ln.Close()
		return
	}
	msg := fmt.Sprintf("%s is taken (%v): %s; the README's main job serves there, so free it first", addr, err, portHolder(addr))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// proc is a started binary.
type proc struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{} // closed once Wait has returned; then state is set
	state  *os.ProcessState
}

// exitCode returns the process's exit status, or -1 while it runs.
func (p *proc) exitCode() int {
	select {
	case <-p.exited:
		return p.state.ExitCode()
	default:
		return -1
	}
}

// startBinary runs bin with args in dir, with no environment but PATH and
// HOME, as a user following the README would.
func startBinary(t *testing.T, bin, dir string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), out: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		p.state = p.cmd.ProcessState
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("activityd output:\n%s", p.out)
		}
	})
	return p
}

// stop sends SIGTERM and checks that the process exits with status 0.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("activityd did not exit within 30 s of SIGTERM")
	}
	if code := p.state.ExitCode(); code != 0 {
		t.Fatalf("activityd exited with status %d after SIGTERM, want 0", code)
	}
}

// get polls url until it answers 200, failing when the process exits
// first.
func (p *proc) get(t *testing.T, url string) []byte {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if code := p.exitCode(); code >= 0 {
			t.Fatalf("activityd exited with status %d before serving %s", code, url)
		}
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return b
			}
			t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v after 60 s", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestREADMEMainJob starts the binary exactly as the README's main job
// does — `activityd`, no flags, no environment, in an empty folder — and
// checks that the dashboard and /api/sources answer on 127.0.0.1:8080,
// that the sources needing configuration are shown as not configured,
// and that SIGTERM stops it cleanly.
func TestREADMEMainJob(t *testing.T) {
	bin := buildBinary(t)
	requireFreePort(t, readmeAddr)
	dir := t.TempDir()
	p := startBinary(t, bin, dir)
	page := p.get(t, "http://"+readmeAddr+"/")
	if !strings.Contains(string(page), "<html") {
		t.Errorf("GET /: not the dashboard: %.200s", page)
	}
	var srcs struct {
		Sources []struct {
			Name, State string
			LastError   string `json:"last_error"`
		}
	}
	if err := json.Unmarshal(p.get(t, "http://"+readmeAddr+"/api/sources"), &srcs); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range srcs.Sources {
		if s.Name != "obscore" {
			continue
		}
		found = true
		if s.State != arcsecond.StateNotConfigured || !strings.Contains(s.LastError, "ARCSECOND_OBSCORE_URL") {
			t.Errorf("obscore: state %q, error %q; want %q naming ARCSECOND_OBSCORE_URL", s.State, s.LastError, arcsecond.StateNotConfigured)
		}
	}
	if !found || len(srcs.Sources) < 2 {
		t.Errorf("/api/sources: %+v; want obscore (not configured) and the other sources", srcs.Sources)
	}
	p.stop(t)
	if _, err := os.Stat(filepath.Join(dir, "activityd.db")); err != nil {
		t.Errorf("no activityd.db in the working folder: %v", err)
	}
}

// portHolder names the process listening on addr (host:port, IPv4), from
// /proc/net/tcp{,6} and the processes' socket descriptors, or says why it
// cannot.
func portHolder(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	var p int
	fmt.Sscan(port, &p)
	want := fmt.Sprintf(":%04X", p)
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(line)
			// sl local_address rem_address st ... inode (field 9)
			if len(fs) > 9 && strings.HasSuffix(fs[1], want) && fs[3] == "0A" {
				inodes[fs[9]] = true
			}
		}
	}
	if len(inodes) == 0 {
		return "no listening socket found in /proc/net/tcp"
	}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	var found []string
	for _, dir := range procs {
		fds, err := os.ReadDir(filepath.Join(dir, "fd"))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(dir, "fd", fd.Name()))
			if err != nil || !strings.HasPrefix(link, "socket:[") {
				continue
			}
			if inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
				cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
				c := strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))
				found = append(found, fmt.Sprintf("pid %s (%s)", filepath.Base(dir), c))
				break
			}
		}
	}
	if len(found) == 0 {
		return "held by a process this user cannot inspect (socket inode " + strings.Join(keys(inodes), ",") + ")"
	}
	return "held by " + strings.Join(found, ", ")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestInstalledReplay runs the built binary with --replay from an empty
// folder outside the repository: the recorded replies are embedded, so it
// serves activities there.
func TestInstalledReplay(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	p := startBinary(t, bin, dir, "--replay", "--speed", "1000", "--addr", "127.0.0.1:0")
	var base string
	deadline := time.Now().Add(60 * time.Second)
	for base == "" {
		if code := p.exitCode(); code >= 0 {
			t.Fatalf("activityd --replay exited with status %d", code)
		}
		if time.Now().After(deadline) {
			t.Fatal("activityd --replay logged no listening address within 60 s")
		}
		out := p.out.String()
		if i := strings.Index(out, "addr=http://"); i >= 0 {
			rest := out[i+len("addr="):]
			if j := strings.IndexAny(rest, " \n"); j >= 0 {
				base = rest[:j]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	var page struct{ Activities []json.RawMessage }
	for {
		if err := json.Unmarshal(p.get(t, base+"/api/activities?limit=1000"), &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Activities) >= 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d activities after 60 s, want at least 100", len(page.Activities))
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.stop(t)
}
