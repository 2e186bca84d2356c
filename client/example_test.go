package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/client"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

func Example() {
	ctx := context.Background()
	// A node with accounts, served in process; a real program points
	// client.New at a running activityd.
	node, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{Auth: &arcsecond.AuthOptions{}})
	if err != nil {
		panic(err)
	}
	defer node.Close()
	hs := httptest.NewServer(node.Handler())
	defer hs.Close()
	key, _, _ := node.Keys().Create(ctx, auth.KeyOptions{Owner: "obs", Role: auth.RolePublisher, Source: "myobs"})

	c, err := client.New(hs.URL, client.Options{APIKey: key})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 11, 20, 22, 0, 0, 0, time.UTC)
	res, err := c.Publish(ctx, []activities.Activity{
		{ID: "myobs:1", Source: "myobs", Kind: activities.KindPlanned, Facility: "Obs 1m", Start: t, End: t.Add(time.Hour), Revision: 1},
		{ID: "myobs:2", Source: "myobs", Kind: activities.KindPlanned, Facility: "Obs 1m", Start: t.Add(time.Hour), End: t.Add(2 * time.Hour), Revision: 1},
	})
	fmt.Println(res.Announced, err)

	page, err := c.ListActivities(ctx, &client.ActivityListOptions{Source: "myobs", Limit: 1})
	for page != nil && err == nil {
		for _, a := range page.Activities {
			fmt.Println(a.ID, a.Start.Format(time.Kitchen))
		}
		page, err = c.NextActivities(ctx, page)
	}
	fmt.Println(err)
	// Output:
	// 2 <nil>
	// myobs:2 11:00PM
	// myobs:1 10:00PM
	// <nil>
}

// An admin pauses another owner's subscription.
func ExampleClient_ForOwner() {
	ctx := context.Background()
	node, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{Auth: &arcsecond.AuthOptions{}})
	if err != nil {
		panic(err)
	}
	defer node.Close()
	hs := httptest.NewServer(node.Handler())
	defer hs.Close()
	bobKey, _, _ := node.Keys().Create(ctx, auth.KeyOptions{Owner: "bob"})
	adminKey, _, _ := node.Keys().Create(ctx, auth.KeyOptions{Owner: "ops", Role: auth.RoleAdmin})
	bob, _ := client.New(hs.URL, client.Options{APIKey: bobKey})
	admin, _ := client.New(hs.URL, client.Options{APIKey: adminKey})

	if _, err := bob.CreateSubscription(ctx, &subscribe.Subscription{ID: "eso", Criteria: subscribe.Criteria{Sources: []string{"eso"}}}); err != nil {
		panic(err)
	}
	s, err := admin.ForOwner("bob").PauseSubscription(ctx, "eso")
	fmt.Println(s.Owner, s.ID, s.Paused, err)
	subs, err := bob.ListSubscriptions(ctx)
	fmt.Println(len(subs), subs[0].Paused, err)
	// Output:
	// bob eso true <nil>
	// 1 true <nil>
}
