package natstest_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/internal/natsx/natstest"
)

func TestStartServerHasJetStream(t *testing.T) {
	srv := natstest.StartServer(t)
	nc, js := natstest.Connect(t, srv.ClientURL())
	if !nc.IsConnected() {
		t.Fatal("not connected")
	}
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "S", Subjects: []string{"s.>"}}); err != nil {
		t.Fatalf("JetStream not enabled: %v", err)
	}
	nc.Close() // closing before the cleanup does is fine
}

func TestWaitFor(t *testing.T) {
	n := 0
	natstest.WaitFor(t, time.Second, func() bool { n++; return n == 3 }, "the third check")
	if n != 3 {
		t.Fatalf("cond checked %d times, want 3", n)
	}
}
