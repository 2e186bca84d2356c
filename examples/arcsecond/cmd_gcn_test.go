package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

const gcnClassic = "../../connectors/gcn/testdata/classic/"

func TestGCNDecode(t *testing.T) {
	out, errOut, code := runCLI(t, "gcn", "decode", gcnClassic+"SWIFT_POINTDIR/example.bin", gcnClassic+"SWIFT_TOO_SC_SLEW/example.bin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out)
	}
	var n struct {
		Format     string `json:"format"`
		Type       string `json:"type"`
		Activities []struct {
			ID, Kind string
		} `json:"activities"`
		Note string `json:"note"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &n); err != nil {
		t.Fatal(err)
	}
	if n.Format != "classic" || n.Type != "SWIFT_POINTDIR" || len(n.Activities) != 1 || n.Activities[0].ID != "swift:00097317002" || n.Activities[0].Kind != "planned" {
		t.Errorf("%s", lines[0])
	}
	if !strings.Contains(lines[1], "will not be executed") {
		t.Errorf("declined slew: %s", lines[1])
	}
	// A JSON notice becomes an alert; an undecoded type is a clear error.
	dir := t.TempDir()
	js := dir + "/maxi.json"
	os.WriteFile(js, []byte(`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","trigger_time":"2023-02-20T08:56:01Z","id":"9995289617","ra":346.56,"dec":18.61,"ra_dec_error":1.5}`), 0o644)
	out, errOut, code = runCLI(t, "gcn", "decode", js, gcnClassic+"SWIFT_XRT_LC/example.bin")
	if code != 1 || !strings.Contains(out, `"id":"gcn:maxi.gsc.unknown:9995289617"`) || !strings.Contains(errOut, "SWIFT_XRT_LC") || !strings.Contains(errOut, "not decoded") {
		t.Errorf("exit %d\nout %s\nerr %s", code, out, errOut)
	}
	if _, _, code := runCLI(t, "gcn", "decode", dir+"/missing.bin"); code != exitNotFound {
		t.Errorf("missing file: exit %d", code)
	}
}

func TestActivitiesParseGCN(t *testing.T) {
	out, errOut, code := runCLI(t, "activities", "parse", "--source", "gcn",
		gcnClassic+"SWIFT_ACTUAL_POINTDIR/example.bin", gcnClassic+"FERMI_POINTDIR/example.bin", gcnClassic+"INTEGRAL_POINTDIR/example.bin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"kind":"started"`) || !strings.Contains(lines[1], `"facility":"Fermi"`) {
		t.Errorf("got %q", out)
	}
	if !strings.Contains(errOut, "test notice") {
		t.Errorf("the INTEGRAL test packet was not reported skipped: %s", errOut)
	}
}

// lockedBuffer is a goroutine-safe output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestGCNListen(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "gcn.classic.binary.SWIFT_POINTDIR", "gcn.heartbeat"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pkt, _ := os.ReadFile(gcnClassic + "SWIFT_POINTDIR/example.bin")
	prod, _ := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...))
	defer prod.Close()
	if err := prod.ProduceSync(t.Context(),
		&kgo.Record{Topic: "gcn.classic.binary.SWIFT_POINTDIR", Value: pkt},
		&kgo.Record{Topic: "gcn.classic.binary.SWIFT_POINTDIR", Value: []byte("not a notice")},
		&kgo.Record{Topic: "gcn.heartbeat", Value: []byte(`{"alert_datetime":"2026-01-01T00:00:00Z"}`)},
	).FirstErr(); err != nil {
		t.Fatal(err)
	}
	root := newRoot()
	var out, errb lockedBuffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs([]string{"gcn", "listen", "--topic", "gcn.classic.binary.SWIFT_POINTDIR", "--broker", c.ListenAddrs()[0], "--no-auth", "--plaintext", "--group", "cli-test"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "swift:00097317002") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("listen: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), `"topic":"gcn.classic.binary.SWIFT_POINTDIR"`) || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("output %q", out.String())
	}
	if !strings.Contains(errb.String(), "1 notices, 1 poison skipped, 1 heartbeats") {
		t.Errorf("stderr %q", errb.String())
	}
	if _, errOut, code := runCLI(t, "gcn", "listen"); code != exitUsage || !strings.Contains(errOut, "--topic") {
		t.Errorf("no topic: exit %d %s", code, errOut)
	}
}
