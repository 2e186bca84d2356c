package arcsecond

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/arcsecond-go/arcsecond/auth"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// Subscription IDs are scoped per owner, so that an ID tells nothing about
// other owners' subscriptions: alice and bob may each have "x". Inside the
// node (store, matcher, match history, outbox, dispatcher) a subscription
// is known by its key, which qualifies the ID with the owner:
//
//   - on a node without AuthOptions, and for subscriptions without an
//     owner, the key is the ID (":" + ID when the ID holds a ":");
//   - otherwise it is the owner, query-escaped (so it holds no ":"),
//     then ":" and the ID.
//
// The key is the ID the dispatcher and the outbox know (notifications, the
// unsubscribe link of e-mails, the subject of e-mail digests), so the
// idempotency keys of alice's "x" and bob's "x" differ; webhook payloads
// (data.subscription) name the ID the owner gave (DispatcherOptions.Name).
// What the API shows is the ID; a caller addresses its own subscriptions by
// ID, and an admin addresses another owner's with ?owner=NAME.

// subKey is the node's key of the subscription id of owner.
func (n *Node) subKey(owner, id string) string {
	switch {
	case n.auth == nil || owner == "":
		if strings.Contains(id, ":") {
			return ":" + id
		}
		return id
	default:
		return url.QueryEscape(owner) + ":" + id
	}
}

// keyed is the copy of sub the matcher holds: its ID is its key.
func (n *Node) keyed(sub *subscribe.Subscription) *subscribe.Subscription {
	c := *sub
	c.ID = n.subKey(sub.Owner, sub.ID)
	return &c
}

// public is sub (as the matcher holds it) with its ID as its owner gave it.
func (n *Node) public(sub *subscribe.Subscription) *subscribe.Subscription {
	c := *sub
	c.ID = n.publicID(sub.Owner, sub.ID)
	return &c
}

// publicID is the ID of the subscription of owner whose key is key.
func (n *Node) publicID(owner, key string) string {
	if n.auth == nil || owner == "" {
		if strings.HasPrefix(key, ":") {
			return key[1:]
		}
		return key
	}
	return strings.TrimPrefix(key, url.QueryEscape(owner)+":")
}

// addressed is the key of the subscription a request names: {id} of the
// caller's own, or, for an admin giving ?owner=NAME, of NAME's. A user
// naming another owner gets a key that matches nothing of theirs, hence
// a 404.
func (n *Node) addressed(r *http.Request) string {
	id := r.PathValue("id")
	if n.auth == nil {
		return n.subKey("", id)
	}
	owner := ""
	if c := auth.FromContext(r.Context()); c != nil {
		owner = c.Owner
	}
	if o, ok := r.URL.Query()["owner"]; ok && len(o) > 0 {
		owner = o[0]
	}
	return n.subKey(owner, id)
}
