// Package natstest starts embedded NATS servers with JetStream for the tests
// of the packages built on NATS (activities/jetstream, subscribe/jetstream,
// internal/natsx), so that each does not carry its own copy of the set-up.
package natstest

import (
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StartServer runs an embedded NATS server with JetStream on a free local
// port, storing in a temporary directory of tb; it is shut down when tb's
// test ends. Its ClientURL is what clients connect to.
func StartServer(tb testing.TB) *server.Server {
	tb.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: tb.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		tb.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		tb.Fatal("NATS server did not start")
	}
	tb.Cleanup(s.Shutdown)
	return s
}

// Connect opens a connection to url and a JetStream context on it, failing
// tb when either fails. The connection is closed when tb's test ends (the
// test may close it earlier, as a crash would: closing twice is harmless).
func Connect(tb testing.TB, url string) (*nats.Conn, jetstream.JetStream) {
	tb.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatal(err)
	}
	return nc, js
}

// WaitFor checks cond every 20 ms until it holds, and fails tb with what it
// was waiting for when it still does not after d: for what a JetStream
// server does on its own time (a lease or claim expiring, a message
// redelivered, a stream reaching every instance).
func WaitFor(tb testing.TB, d time.Duration, cond func() bool, what string) {
	tb.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	tb.Fatalf("timed out waiting for %s", what)
}
