package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// ActivityListOptions select the activities of ListActivities; zero
// fields select everything.
type ActivityListOptions struct {
	Source, Facility, Instrument string
	Kind                         activities.Kind
	// Start and End bound the observing window.
	Start, End time.Time
	// Cone, when set, keeps the activities whose target lies in it.
	Cone *activities.Cone
	// Limit is the page size (1 to 1000; zero: the node's default).
	Limit int
	// Cursor is the Next of the previous page.
	Cursor string
}

func (o *ActivityListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("source", o.Source)
	set("facility", o.Facility)
	set("instrument", o.Instrument)
	set("kind", string(o.Kind))
	if !o.Start.IsZero() {
		q.Set("start", o.Start.UTC().Format(time.RFC3339))
	}
	if !o.End.IsZero() {
		q.Set("end", o.End.UTC().Format(time.RFC3339))
	}
	if c := o.Cone; c != nil {
		f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
		q.Set("ra", f(c.RA))
		q.Set("dec", f(c.Dec))
		q.Set("radius", f(c.Radius))
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	set("cursor", o.Cursor)
	return q
}

// ActivityPage is one page of activities.
type ActivityPage struct {
	Activities []activities.Activity `json:"activities"`
	// Next is the cursor of the following page; empty on the last.
	Next string `json:"next"`
	opts ActivityListOptions
}

// ListActivities returns the first page (newest start first) of the activities opts select
// (opts.Cursor set: the page after it).
func (c *Client) ListActivities(ctx context.Context, opts *ActivityListOptions) (*ActivityPage, error) {
	var p ActivityPage
	if err := c.do(ctx, "GET", "/api/activities", opts.values(), "", nil, &p); err != nil {
		return nil, err
	}
	if opts != nil {
		p.opts = *opts
	}
	return &p, nil
}

// NextActivities returns the page after p, nil (and no error) when p is
// the last.
func (c *Client) NextActivities(ctx context.Context, p *ActivityPage) (*ActivityPage, error) {
	if p == nil || p.Next == "" {
		return nil, nil
	}
	o := p.opts
	o.Cursor = p.Next
	return c.ListActivities(ctx, &o)
}

// GetActivity returns one activity.
func (c *Client) GetActivity(ctx context.Context, id string) (*activities.Activity, error) {
	var a activities.Activity
	if err := c.do(ctx, "GET", "/api/activities/"+url.PathEscape(id), nil, "", nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Source is a source of the node and its health.
type Source struct {
	Name                string    `json:"name"`
	State               string    `json:"state"`
	LastPoll            time.Time `json:"last_poll"`
	LastSuccess         time.Time `json:"last_success"`
	NextPoll            time.Time `json:"next_poll"`
	LastError           string    `json:"last_error"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	Polls               uint64    `json:"polls"`
	Failures            uint64    `json:"failures"`
	Listed              uint64    `json:"listed"`
	Announced           uint64    `json:"announced"`
	Invalid             uint64    `json:"invalid"`
}

// ListSources returns the node's sources.
func (c *Client) ListSources(ctx context.Context) ([]Source, error) {
	var v struct{ Sources []Source }
	if err := c.do(ctx, "GET", "/api/sources", nil, "", nil, &v); err != nil {
		return nil, err
	}
	return v.Sources, nil
}

// Subscription is a subscription as the node shows it: the subscription,
// and whether it is paused.
type Subscription struct {
	subscribe.Subscription
	// Paused: the subscription matches nothing, and nothing is delivered
	// for it, until it is resumed (PauseSubscription, ResumeSubscription).
	Paused bool `json:"paused,omitempty"`
}

// SubscriptionListOptions page ListSubscriptionsPage.
type SubscriptionListOptions struct {
	// Limit is the page size (1 to 1000; zero: the node's default, 100).
	Limit int
	// Cursor is the Next of the previous page.
	Cursor string
}

// SubscriptionPage is one page of subscriptions, in creation order.
type SubscriptionPage struct {
	Subscriptions []*Subscription `json:"subscriptions"`
	// Next is the cursor of the following page; empty on the last.
	Next string `json:"next"`
	opts SubscriptionListOptions
}

// ListSubscriptionsPage returns the first page of the caller's
// subscriptions (an admin's: every owner's, each with its Owner; ForOwner
// does not narrow it), or with opts.Cursor set the page after it.
func (c *Client) ListSubscriptionsPage(ctx context.Context, opts *SubscriptionListOptions) (*SubscriptionPage, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		}
		if opts.Cursor != "" {
			q.Set("cursor", opts.Cursor)
		}
	}
	var p SubscriptionPage
	if err := c.do(ctx, "GET", "/api/subscriptions", q, "", nil, &p); err != nil {
		return nil, err
	}
	if opts != nil {
		p.opts = *opts
	}
	return &p, nil
}

// NextSubscriptions returns the page after p, nil (and no error) when p is
// the last.
func (c *Client) NextSubscriptions(ctx context.Context, p *SubscriptionPage) (*SubscriptionPage, error) {
	if p == nil || p.Next == "" {
		return nil, nil
	}
	o := p.opts
	o.Cursor = p.Next
	return c.ListSubscriptionsPage(ctx, &o)
}

// ListSubscriptions returns all the caller's subscriptions (an admin's:
// every owner's), following the pages of ListSubscriptionsPage.
func (c *Client) ListSubscriptions(ctx context.Context) ([]*Subscription, error) {
	var all []*Subscription
	page, err := c.ListSubscriptionsPage(ctx, &SubscriptionListOptions{Limit: 1000})
	for page != nil && err == nil {
		all = append(all, page.Subscriptions...)
		page, err = c.NextSubscriptions(ctx, page)
	}
	return all, err
}

// ForOwner returns a client that, with an admin's key, acts on the
// subscriptions of owner: the methods naming a subscription by ID (Get,
// Update, Delete, Pause, Resume, Test, ListMatches) address owner's
// (?owner= on the request), and CreateSubscription creates for owner a
// subscription that names no owner. Listing is not narrowed (the node's
// GET /api/subscriptions takes no owner). With a user's key, naming
// another owner answers 404.
func (c *Client) ForOwner(owner string) *Client {
	c2 := *c
	c2.owner = owner
	return &c2
}

// subDo sends a request about the subscription id, at its path followed
// by suffix, with ?owner= when the client is ForOwner's.
func (c *Client) subDo(ctx context.Context, method, id, suffix string, q url.Values, body []byte, out any) error {
	if c.owner != "" {
		if q == nil {
			q = url.Values{}
		}
		q.Set("owner", c.owner)
	}
	ctype := ""
	if body != nil {
		ctype = "application/json"
	}
	return c.do(ctx, method, "/api/subscriptions/"+url.PathEscape(id)+suffix, q, ctype, body, out)
}

// GetSubscription returns one of the caller's subscriptions.
func (c *Client) GetSubscription(ctx context.Context, id string) (*Subscription, error) {
	var s Subscription
	if err := c.subDo(ctx, "GET", id, "", nil, nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// CreateSubscription creates sub, owned by the caller, and returns it as
// stored (with a webhook's new secret, shown only here). An admin may
// create one for another owner by setting sub.Owner (or with ForOwner).
func (c *Client) CreateSubscription(ctx context.Context, sub *subscribe.Subscription) (*Subscription, error) {
	if c.owner != "" && sub.Owner == "" {
		cp := *sub
		cp.Owner = c.owner
		sub = &cp
	}
	b, err := json.Marshal(sub)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	var s Subscription
	if err := c.do(ctx, "POST", "/api/subscriptions", nil, "application/json", b, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// DeleteSubscription deletes one of the caller's subscriptions.
func (c *Client) DeleteSubscription(ctx context.Context, id string) error {
	return c.subDo(ctx, "DELETE", id, "", nil, nil, nil)
}

// UpdateSubscription replaces the caller's subscription sub.ID with sub in
// one step (validated as by CreateSubscription; sub.Owner is ignored). A
// webhook given without secrets keeps the old one's. It returns the
// subscription as stored (secrets redacted, unless a new webhook got a new
// secret); a paused subscription stays paused.
func (c *Client) UpdateSubscription(ctx context.Context, sub *subscribe.Subscription) (*Subscription, error) {
	b, err := json.Marshal(sub)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	var s Subscription
	if err := c.subDo(ctx, "PUT", sub.ID, "", nil, b, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// PauseSubscription pauses one of the caller's subscriptions: it matches
// nothing, and nothing is delivered for it, until ResumeSubscription. It
// returns the subscription.
func (c *Client) PauseSubscription(ctx context.Context, id string) (*Subscription, error) {
	var s Subscription
	if err := c.subDo(ctx, "POST", id, "/pause", nil, nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// ResumeSubscription resumes a paused subscription: it matches the
// activities that arrive from then on. It returns the subscription.
func (c *Client) ResumeSubscription(ctx context.Context, id string) (*Subscription, error) {
	var s Subscription
	if err := c.subDo(ctx, "POST", id, "/resume", nil, nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// TestDelivery is the outcome of a test notification on one channel.
type TestDelivery struct {
	Channel string `json:"channel"` // "webhook" or "email"
	Target  string `json:"target"`
	OK      bool   `json:"ok"`
	Status  int    `json:"status,omitempty"` // the receiver's HTTP status (webhooks)
	Reason  string `json:"reason,omitempty"` // why it failed, a fixed text
}

// TestSubscription sends a signed test notification (type
// "subscription.test") to the subscription's webhook and e-mail address
// now and returns each channel's outcome. The node rate-limits it per
// subscription (a *Error with status 429 then).
func (c *Client) TestSubscription(ctx context.Context, id string) ([]TestDelivery, error) {
	var v struct{ Deliveries []TestDelivery }
	if err := c.subDo(ctx, "POST", id, "/test", nil, nil, &v); err != nil {
		return nil, err
	}
	return v.Deliveries, nil
}

// Match is one entry of a subscription's match history.
type Match struct {
	Activity   string             `json:"activity"`
	Revision   int64              `json:"revision"`
	At         time.Time          `json:"at"`
	Reasons    []subscribe.Reason `json:"reasons"`
	Deliveries []Delivery         `json:"deliveries"`
}

// Delivery is the state of one notification of a match.
type Delivery struct {
	Channel   string `json:"channel"`
	Target    string `json:"target"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
}

// ListMatches returns up to limit matches of a subscription, newest first
// (limit 0: the node's default).
func (c *Client) ListMatches(ctx context.Context, id string, limit int) ([]Match, error) {
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var v struct{ Matches []Match }
	if err := c.subDo(ctx, "GET", id, "/matches", q, nil, &v); err != nil {
		return nil, err
	}
	return v.Matches, nil
}

// PublishResult is the node's answer to Publish.
type PublishResult struct {
	Received  int `json:"received"`
	Announced int `json:"announced"`
}

// Publish sends activities of the caller's source (a publisher key) as
// JSON Lines; the node records all of them or none.
func (c *Client) Publish(ctx context.Context, acts []activities.Activity) (*PublishResult, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range acts {
		if err := enc.Encode(&acts[i]); err != nil {
			return nil, fmt.Errorf("client: activity %d: %w", i, err)
		}
	}
	var r PublishResult
	if err := c.do(ctx, "POST", "/api/activities", nil, "application/x-ndjson", buf.Bytes(), &r); err != nil {
		return nil, err
	}
	return &r, nil
}
