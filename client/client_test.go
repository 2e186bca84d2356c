package client_test

import (
	"context"
	"errors"
	"fmt"
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
	if p, err := alice.PauseSubscription(ctx, "mine/1"); err != nil || !p.Paused {
		t.Fatalf("PauseSubscription = %+v, %v", p, err)
	}
	if got, err := alice.GetSubscription(ctx, "mine/1"); err != nil || !got.Paused {
		t.Fatalf("GetSubscription of a paused subscription = %+v, %v", got, err)
	}
	if subs, err := alice.ListSubscriptions(ctx); err != nil || len(subs) != 1 || !subs[0].Paused {
		t.Fatalf("ListSubscriptions with one paused = %+v, %v", subs, err)
	}
	if p, err := alice.ResumeSubscription(ctx, "mine/1"); err != nil || p.Paused {
		t.Fatalf("ResumeSubscription = %+v, %v", p, err)
	}
	if got, err := alice.GetSubscription(ctx, "mine/1"); err != nil || got.Paused {
		t.Fatalf("GetSubscription of a resumed subscription = %+v, %v", got, err)
	}
	// Without a webhook or e-mail address there is nothing to test: 409.
	var ce *client.Error
	if _, err := alice.TestSubscription(ctx, "mine/1"); !errors.As(err, &ce) || ce.StatusCode != 409 {
		t.Fatalf("TestSubscription without a target: %v", err)
	}
	if _, err := alice.TestSubscription(ctx, "none"); !client.IsNotFound(err) {
		t.Fatalf("TestSubscription of none: %v", err)
	}
	if _, err := alice.PauseSubscription(ctx, "none"); !client.IsNotFound(err) {
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

// served is a node with accounts (opts) behind a loopback server, and a
// function making a client with a new key of o.
func served(t *testing.T, opts arcsecond.AuthOptions) func(o auth.KeyOptions) *client.Client {
	t.Helper()
	ctx := context.Background()
	n, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{Auth: &opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	hs := httptest.NewServer(n.Handler())
	t.Cleanup(hs.Close)
	return func(o auth.KeyOptions) *client.Client {
		k, _, err := n.Keys().Create(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		c, err := client.New(hs.URL, client.Options{APIKey: k})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

// An admin acts on another owner's subscription with ForOwner (?owner=);
// a user naming another owner gets a 404, as for a subscription that does
// not exist.
func TestClientForOwner(t *testing.T) {
	ctx := context.Background()
	mk := served(t, arcsecond.AuthOptions{})
	admin := mk(auth.KeyOptions{Owner: "root", Role: auth.RoleAdmin})
	bob := mk(auth.KeyOptions{Owner: "bob"})
	alice := mk(auth.KeyOptions{Owner: "alice"})
	crit := subscribe.Criteria{Sources: []string{"eso"}}
	if _, err := bob.CreateSubscription(ctx, &subscribe.Subscription{ID: "x", Criteria: crit}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.GetSubscription(ctx, "x"); !client.IsNotFound(err) {
		t.Fatalf("an admin's own x: %v, want a 404 (x is bob's)", err)
	}
	asBob := admin.ForOwner("bob")
	if s, err := asBob.GetSubscription(ctx, "x"); err != nil || s.ID != "x" || s.Owner != "bob" {
		t.Fatalf("ForOwner(bob).GetSubscription = %+v, %v", s, err)
	}
	if s, err := asBob.PauseSubscription(ctx, "x"); err != nil || !s.Paused {
		t.Fatalf("ForOwner(bob).PauseSubscription = %+v, %v", s, err)
	}
	if s, err := bob.GetSubscription(ctx, "x"); err != nil || !s.Paused {
		t.Fatalf("bob's x after an admin paused it = %+v, %v", s, err)
	}
	if s, err := asBob.ResumeSubscription(ctx, "x"); err != nil || s.Paused {
		t.Fatalf("ForOwner(bob).ResumeSubscription = %+v, %v", s, err)
	}
	up, err := asBob.UpdateSubscription(ctx, &subscribe.Subscription{ID: "x", Criteria: subscribe.Criteria{Sources: []string{"gemini"}}})
	if err != nil || up.Owner != "bob" || up.Criteria.Sources[0] != "gemini" {
		t.Fatalf("ForOwner(bob).UpdateSubscription = %+v, %v", up, err)
	}
	if _, err := asBob.ListMatches(ctx, "x", 5); err != nil {
		t.Fatalf("ForOwner(bob).ListMatches: %v", err)
	}
	var ce *client.Error
	if _, err := asBob.TestSubscription(ctx, "x"); !errors.As(err, &ce) || ce.StatusCode != 409 {
		t.Fatalf("ForOwner(bob).TestSubscription without a target: %v, want a 409", err)
	}
	// A user cannot.
	aliceAsBob := alice.ForOwner("bob")
	if _, err := aliceAsBob.GetSubscription(ctx, "x"); !client.IsNotFound(err) {
		t.Fatalf("alice naming bob's x: %v, want a 404", err)
	}
	if _, err := aliceAsBob.PauseSubscription(ctx, "x"); !client.IsNotFound(err) {
		t.Fatalf("alice pausing bob's x: %v, want a 404", err)
	}
	if err := aliceAsBob.DeleteSubscription(ctx, "x"); !client.IsNotFound(err) {
		t.Fatalf("alice deleting bob's x: %v, want a 404", err)
	}
	// An admin creates for another owner.
	if s, err := admin.ForOwner("carol").CreateSubscription(ctx, &subscribe.Subscription{ID: "y", Criteria: crit}); err != nil || s.Owner != "carol" {
		t.Fatalf("ForOwner(carol).CreateSubscription = %+v, %v", s, err)
	}
	// and deletes.
	if err := asBob.DeleteSubscription(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.GetSubscription(ctx, "x"); !client.IsNotFound(err) {
		t.Fatalf("bob's x after an admin deleted it: %v", err)
	}
	// The listing takes no owner: an admin sees every owner's.
	all, err := admin.ForOwner("bob").ListSubscriptions(ctx)
	if err != nil || len(all) != 1 || all[0].Owner != "carol" {
		t.Fatalf("an admin's listing = %+v, %v, want carol's y", all, err)
	}
}

// ListSubscriptionsPage pages as the node does (limit, cursor, next);
// ListSubscriptions follows every page, beyond the node's default of 100.
func TestClientSubscriptionPages(t *testing.T) {
	ctx := context.Background()
	mk := served(t, arcsecond.AuthOptions{MaxSubscriptions: 200, KeyBurst: 1000})
	alice := mk(auth.KeyOptions{Owner: "alice"})
	const count = 130
	for i := range count {
		if _, err := alice.CreateSubscription(ctx, &subscribe.Subscription{ID: fmt.Sprintf("s%03d", i), MatchAll: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := alice.PauseSubscription(ctx, "s007"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	pages := 0
	page, err := alice.ListSubscriptionsPage(ctx, &client.SubscriptionListOptions{Limit: 50})
	for page != nil && err == nil {
		pages++
		for _, s := range page.Subscriptions {
			ids = append(ids, s.ID)
			if s.Paused != (s.ID == "s007") {
				t.Errorf("%s: paused %v", s.ID, s.Paused)
			}
		}
		page, err = alice.NextSubscriptions(ctx, page)
	}
	if err != nil || pages != 3 || len(ids) != count || ids[0] != "s000" || ids[count-1] != fmt.Sprintf("s%03d", count-1) {
		t.Fatalf("%d pages of 50: %d subscriptions (%v ... ), %v", pages, len(ids), ids[:min(3, len(ids))], err)
	}
	first, err := alice.ListSubscriptionsPage(ctx, nil)
	if err != nil || len(first.Subscriptions) != 100 || first.Next == "" {
		t.Fatalf("the first page by default: %d subscriptions, next %q, %v; want 100 and a cursor", len(first.Subscriptions), first.Next, err)
	}
	all, err := alice.ListSubscriptions(ctx)
	if err != nil || len(all) != count {
		t.Fatalf("ListSubscriptions: %d subscriptions, %v; want %d", len(all), err, count)
	}
	var ce *client.Error
	if _, err := alice.ListSubscriptionsPage(ctx, &client.SubscriptionListOptions{Limit: 5000}); !errors.As(err, &ce) || ce.StatusCode != 400 || ce.Field != "limit" {
		t.Fatalf("limit 5000: %v, want a 400 naming limit", err)
	}
	if _, err := alice.ListSubscriptionsPage(ctx, &client.SubscriptionListOptions{Cursor: "!!"}); !errors.As(err, &ce) || ce.StatusCode != 400 || ce.Field != "cursor" {
		t.Fatalf("a bad cursor: %v, want a 400 naming cursor", err)
	}
}
