package cluster_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/internal/cluster"
)

// Two instances on one embedded server share the activity stream: an
// activity published once reaches both instances' stores.
func ExampleStart() {
	dir, _ := os.MkdirTemp("", "cluster")
	defer os.RemoveAll(dir)
	srv, err := cluster.StartServer(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown()
	ctx := context.Background()
	var nodes []*cluster.Node
	for _, name := range []string{"node-1", "node-2"} {
		n, err := cluster.Start(ctx, cluster.Config{URL: srv.ClientURL(), Name: name, NoPoll: true})
		if err != nil {
			fmt.Println(err)
			return
		}
		defer n.Stop()
		nodes = append(nodes, n)
	}
	a := activities.Activity{ID: "eso:1", Source: "eso", Kind: activities.KindStarted, Facility: "VLT UT4", Revision: 1}
	if err := nodes[0].Cluster().Bus().Publish(ctx, []activities.Activity{a}); err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range nodes {
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			if _, err := n.Feed().Store().Get(ctx, "eso:1"); err == nil {
				fmt.Println(n.Name(), "has eso:1")
				break
			}
		}
	}
	// Output:
	// node-1 has eso:1
	// node-2 has eso:1
}
