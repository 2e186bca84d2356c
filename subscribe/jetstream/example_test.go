package jetstream_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/arcsecond-go/arcsecond/subscribe"
	subjs "github.com/arcsecond-go/arcsecond/subscribe/jetstream"
)

// Two instances enqueue the notification of the same match: the server
// keeps one copy.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "nats")
	defer os.RemoveAll(dir)
	srv, _ := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	go srv.Start()
	defer srv.Shutdown()
	srv.ReadyForConnections(10 * time.Second)

	ctx := context.Background()
	n := subscribe.Notification{Key: subscribe.IdempotencyKey("s1", "eso:1", 1), Channel: subscribe.ChannelWebhook,
		Subscription: "s1", Target: "https://example.org/hook", ActivityID: "eso:1", Revision: 1,
		Payload: []byte(`{}`), NextAt: time.Now(), Created: time.Now()}
	for _, name := range []string{"node-1", "node-2"} {
		nc, _ := nats.Connect(srv.ClientURL())
		defer nc.Close()
		js, _ := jetstream.New(nc)
		out, err := subjs.Open(ctx, js, subjs.Options{Instance: name, Lease: time.Minute})
		if err != nil {
			fmt.Println(err)
			return
		}
		ids, _ := out.Enqueue(ctx, []subscribe.Notification{n}, 1)
		pending, _ := out.Pending(ctx)
		fmt.Printf("%s: stored=%v pending=%d\n", name, ids[0] != 0, pending)
	}
	// Output:
	// node-1: stored=true pending=1
	// node-2: stored=false pending=1
}
