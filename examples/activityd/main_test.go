package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/auth"
)

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"--speed", "0"}, {"--speed", "-1"}, {"--speed", "NaN"}, {"extra"}, {"--nope"}, {"--log-level", "LOUD"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	c, err := parseFlags(nil, io.Discard)
	if err != nil || c.addr != "127.0.0.1:8080" || c.db != "activityd.db" {
		t.Errorf("defaults: %+v %v", c, err)
	}
	if err := run(context.Background(), []string{"--replay", "--replay-dir", t.TempDir(), "--db", ":memory:"}, io.Discard, nil); err == nil ||
		!strings.Contains(err.Error(), "no recorded activities") {
		t.Errorf("empty replay dir: %v", err)
	}
}

func TestTokenCommand(t *testing.T) {
	db := t.TempDir() + "/node.db"
	if err := run(context.Background(), []string{"token", "create", "--db", db, "--owner", "alice", "--expires", "30d"}, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"token", "revoke", "--db", db, "nope"}, io.Discard, nil); err == nil {
		t.Error("revoking an unknown key: no error")
	}
	if err := run(context.Background(), []string{"token", "frobnicate"}, io.Discard, nil); !errors.Is(err, auth.ErrUsage) {
		t.Errorf("unknown token command: %v", err)
	}
}

// serve runs activityd with args (and --addr 127.0.0.1:0) until the test
// ends, and returns the address it listens on.
func serve(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "--addr", "127.0.0.1:0"), io.Discard, ready) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		done <- nil // for the cleanup
		t.Fatalf("run: %v", err)
		return ""
	}
}
