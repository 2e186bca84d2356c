package arcsecond_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/activities"
)

// A program embeds a node and serves its handler beside its own routes.
// This node keeps everything in memory and has no source: the program
// gives it one activity itself, then reads it back through the REST API.
func ExampleNode() {
	ctx, stop := context.WithCancel(context.Background())
	node, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{}) // or {Connectors: []string{"gemini"}, DBPath: "node.db"}
	if err != nil {
		panic(err)
	}
	defer node.Close()
	ran := make(chan error)
	go func() { ran <- node.Run(ctx) }() // until stop(); then it drains the deliveries
	mux := http.NewServeMux()            // the program's own routes, and:
	mux.Handle("/", node.Handler())      // REST API, WebSocket, SSE, metrics, dashboard
	srv := httptest.NewServer(mux)       // or http.ListenAndServe("127.0.0.1:8080", mux)
	defer srv.Close()
	node.Feed().Ingest(ctx, activities.Activity{ID: "eso:1", Source: "eso", Kind: activities.KindStarted, Facility: "VLT UT4", Revision: 1})
	var page struct{ Activities []activities.Activity }
	if resp, err := http.Get(srv.URL + "/api/activities?facility=vlt+ut4"); err == nil {
		defer resp.Body.Close()
		fmt.Println(json.NewDecoder(resp.Body).Decode(&page), page.Activities)
	}
	stop()
	fmt.Println("stopped:", <-ran)
	// Output:
	// <nil> [eso:1 started VLT UT4]
	// stopped: <nil>
}
