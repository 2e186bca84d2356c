package client_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond"
	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/client"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// TestClient drives a real node with accounts through the client.
func TestClient(t *testing.T) {
	ctx := context.Background()
	n, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{Auth: &arcsecond.AuthOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	hs := httptest.NewServer(n.Handler())
	defer hs.Close()
	key := func(o auth.KeyOptions) string {
		s, _, err := n.Keys().Create(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mk := func(k string) *client.Client {
		c, err := client.New(hs.URL+"/", client.Options{APIKey: k})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pub := mk(key(auth.KeyOptions{Owner: "obs", Role: auth.RolePublisher, Source: "myobs"}))
	alice := mk(key(auth.KeyOptions{Owner: "alice"}))
	anon := mk("")

	var acts []activities.Activity
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"myobs:a/1", "myobs:b", "myobs:c"} {
		acts = append(acts, activities.Activity{ID: id, Source: "myobs", Kind: activities.KindPlanned, Facility: "Obs 1m",
			Start: start.Add(time.Duration(i) * time.Hour), End: start.Add(time.Duration(i)*time.Hour + 10*time.Minute), Revision: 1})
	}
	res, err := pub.Publish(ctx, acts)
	if err != nil || res.Received != 3 || res.Announced != 3 {
		t.Fatalf("Publish = %+v, %v", res, err)
	}
	if _, err := alice.Publish(ctx, acts); err == nil {
		t.Fatal("a user published")
	} else if e := (*client.Error)(nil); !errors.As(err, &e) || e.StatusCode != 403 {
		t.Fatalf("user publish: %v", err)
	}

	// Explicit pagination, two at a time.
	var ids []string
	page, err := anon.ListActivities(ctx, &client.ActivityListOptions{Source: "myobs", Limit: 2})
	for page != nil && err == nil {
		for _, a := range page.Activities {
			ids = append(ids, a.ID)
		}
		page, err = anon.NextActivities(ctx, page)
	}
	if err != nil || len(ids) != 3 {
		t.Fatalf("paged %v, %v", ids, err)
	}
	a, err := anon.GetActivity(ctx, "myobs:a/1")
	if err != nil || a.Facility != "Obs 1m" {
		t.Fatalf("GetActivity = %+v, %v", a, err)
	}
	if _, err := anon.GetActivity(ctx, "myobs:zzz"); !client.IsNotFound(err) {
		t.Fatalf("missing activity: %v", err)
	}
	if _, err := anon.ListSources(ctx); err != nil {
		t.Fatal(err)
	}

	// Subscriptions.
	if _, err := anon.CreateSubscription(ctx, &subscribe.Subscription{ID: "x", MatchAll: true}); err == nil {
		t.Fatal("anonymous create")
	}
	s, err := alice.CreateSubscription(ctx, &subscribe.Subscription{ID: "mine/1", Criteria: subscribe.Criteria{Sources: []string{"myobs"}}})
	if err != nil || s.Owner != "alice" {
		t.Fatalf("CreateSubscription = %+v, %v", s, err)
	}
	subs, err := alice.ListSubscriptions(ctx)
	if err != nil || len(subs) != 1 || subs[0].ID != "mine/1" {
		t.Fatalf("ListSubscriptions = %v, %v", subs, err)
	}
	if got, err := alice.GetSubscription(ctx, "mine/1"); err != nil || got.ID != "mine/1" {
		t.Fatalf("GetSubscription = %+v, %v", got, err)
	}
	if _, err := alice.ListMatches(ctx, "mine/1", 10); err != nil {
		t.Fatal(err)
	}
	up, err := alice.UpdateSubscription(ctx, &subscribe.Subscription{ID: "mine/1", Criteria: subscribe.Criteria{Sources: []string{"otherobs"}}})
	if err != nil || up.Owner != "alice" || len(up.Criteria.Sources) != 1 || up.Criteria.Sources[0] != "otherobs" {
		t.Fatalf("UpdateSubscription = %+v, %v", up, err)
	}
	if _, err := alice.UpdateSubscription(ctx, &subscribe.Subscription{ID: "none", MatchAll: true}); !client.IsNotFound(err) {
		t.Fatalf("UpdateSubscription of none: %v", err)
	}
	if err := alice.PauseSubscription(ctx, "mine/1"); err != nil {
		t.Fatal(err)
	}
	if err := alice.ResumeSubscription(ctx, "mine/1"); err != nil {
		t.Fatal(err)
	}
	// Without a webhook or e-mail address there is nothing to test: 409.
	var ce *client.Error
	if _, err := alice.TestSubscription(ctx, "mine/1"); !errors.As(err, &ce) || ce.StatusCode != 409 {
		t.Fatalf("TestSubscription without a target: %v", err)
	}
	if _, err := alice.TestSubscription(ctx, "none"); !client.IsNotFound(err) {
		t.Fatalf("TestSubscription of none: %v", err)
	}
	if err := alice.PauseSubscription(ctx, "none"); !client.IsNotFound(err) {
		t.Fatalf("PauseSubscription of none: %v", err)
	}
	if err := alice.DeleteSubscription(ctx, "mine/1"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.GetSubscription(ctx, "mine/1"); !client.IsNotFound(err) {
		t.Fatalf("deleted: %v", err)
	}
	if _, err := client.New("ftp://x", client.Options{}); err == nil {
		t.Fatal("ftp base URL accepted")
	}
}
