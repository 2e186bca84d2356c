package arcsecond

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// readBody reads a JSON request body of at most maxBody bytes, answering
// 413 itself when it cannot.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("body larger than %d bytes", maxBody)})
		return nil, false
	}
	if timedOut(err) {
		w.Header().Set("Connection", "close")
		writeJSON(w, http.StatusRequestTimeout, apiError{Error: "the body did not arrive in time"})
		return nil, false
	}
	if err != nil {
		badRequest(w, "", "reading the body: %v", err)
		return nil, false
	}
	return b, true
}

// fieldOf names the first invalid field of a subscription error.
func fieldOf(err error) string {
	var fe *subscribe.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return ""
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	// Unknown fields: `json: unknown field "x"`.
	if i := strings.Index(err.Error(), `unknown field "`); i >= 0 {
		rest := err.Error()[i+len(`unknown field "`):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			return rest[:j]
		}
	}
	return ""
}

// addressable reports whether /api/subscriptions/{id} can name id: the
// mux routes on the unescaped path, cleaned of empty, "." and ".." parts
// ("a/b" is fine, escaped as a%2Fb; "/", "a/" and "a/../b" are not).
func addressable(id string) bool {
	p := "/api/subscriptions/" + id
	return path.Clean(p) == p
}

func (n *Node) createSubscription(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	if field, err := checkStrictJSON(b); err != nil {
		badRequest(w, field, "invalid subscription: %v", err)
		return
	}
	sub, err := subscribe.ParseSubscription(withSecret(b))
	if err != nil {
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	if !addressable(sub.ID) {
		badRequest(w, "id", "invalid subscription: /api/subscriptions/{id} cannot name the id %q: split at \"/\", it has an empty, \".\" or \"..\" part", sub.ID)
		return
	}
	if err := n.dispatcher.CheckTarget(sub); err != nil {
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	done, ok := n.claim(w, r, sub)
	if !ok {
		return
	}
	defer done()
	switch err := n.putSubscription(r.Context(), sub, false); {
	case errors.Is(err, errTooMany):
		writeJSON(w, http.StatusTooManyRequests, apiError{Error: fmt.Sprintf("this node holds its maximum of %d subscriptions; delete some first", n.maxSubscriptions())})
		return
	case errors.Is(err, errExists):
		writeJSON(w, http.StatusConflict, apiError{Error: fmt.Sprintf("subscription %q exists; DELETE it first", sub.ID), Field: "id"})
		return
	case err != nil:
		n.storeFailed(w, r, err)
		return
	}
	n.log.Info("subscription created", "id", sub.ID, "owner", sub.Owner)
	w.Header().Set("Location", "/api/subscriptions/"+url.PathEscape(sub.ID))
	writeJSON(w, http.StatusCreated, sub)
}

// storeFailed answers a failure to store a subscription: 400 for an
// invalid one (an ID too long once qualified by its owner; the rest was
// validated before), 500 otherwise, nothing when the client has gone.
func (n *Node) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return
	}
	var fe *subscribe.FieldError
	if errors.As(err, &fe) {
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	n.log.Error("storing a subscription", "err", err)
	writeJSON(w, http.StatusInternalServerError, apiError{Error: "storing the subscription failed"})
}

// ownSub finds the subscription the request addresses (see addressed),
// answering 404 itself when there is none the caller may see.
func (n *Node) ownSub(w http.ResponseWriter, r *http.Request) (id, key string, sub *subscribe.Subscription, paused, ok bool) {
	id, key = r.PathValue("id"), n.addressed(r)
	sub, paused = n.lookup(key)
	if sub == nil || !n.visible(r, sub) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
		return id, key, nil, false, false
	}
	return id, key, sub, paused, true
}

// redacted hides the webhook secrets of a subscription shown after its
// creation.
func redacted(sub *subscribe.Subscription) *subscribe.Subscription {
	c := *sub
	if wh := c.Delivery.Webhook; wh != nil {
		w2 := *wh
		w2.Secrets = make([]string, len(wh.Secrets))
		for i := range w2.Secrets {
			w2.Secrets[i] = "whsec_…"
		}
		c.Delivery.Webhook = &w2
	}
	return &c
}

func (n *Node) listSubscriptions(w http.ResponseWriter, r *http.Request) {
	ids, err := n.subs.ids(r.Context())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "listing subscriptions failed"})
		return
	}
	ids = n.visibleIDs(r, ids)
	ids, next, field, err := subsPage(r, ids)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	out := []shownSub{}
	for _, id := range ids {
		if sub, paused := n.lookup(id); sub != nil {
			out = append(out, shownSub{n.shown(r, n.public(sub)), paused})
		}
	}
	writeJSON(w, 200, map[string]any{"subscriptions": out, "next": next})
}

func (n *Node) getSubscription(w http.ResponseWriter, r *http.Request) {
	sub, paused := n.lookup(n.addressed(r))
	if sub == nil || !n.visible(r, sub) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", r.PathValue("id"))})
		return
	}
	writeJSON(w, 200, shownSub{n.shown(r, n.public(sub)), paused})
}

func (n *Node) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("id"), n.addressed(r)
	if sub, _ := n.lookup(key); sub != nil && !n.visible(r, sub) || !n.removeSubscription(r.Context(), key) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
		return
	}
	n.log.Info("subscription deleted", "key", key)
	w.WriteHeader(http.StatusNoContent)
}

// shownSub is a subscription as the API shows it, with its paused state.
type shownSub struct {
	*subscribe.Subscription
	Paused bool `json:"paused,omitempty"`
}

// errExists is putSubscription's error for a taken ID.
var errExists = errors.New("subscription exists")

// MatchRecord is one entry of a subscription's match history, as GET
// /api/subscriptions/{id}/matches shows it.
type MatchRecord struct {
	Activity string             `json:"activity"`
	Revision int64              `json:"revision"`
	At       time.Time          `json:"at"`
	Reasons  []subscribe.Reason `json:"reasons"`
	// Deliveries are the notifications recorded for the match, by channel.
	Deliveries []DeliveryState `json:"deliveries"`
}

// DeliveryState is the state of one notification of a match.
type DeliveryState struct {
	Channel   string `json:"channel"`
	Target    string `json:"target"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error,omitempty"`
}

// subscriptionMatches lists a subscription's matches, newest first, with
// the state of their deliveries (limit, default 100, at most 1000). It
// answers 501 when the outbox cannot look deliveries up (it is not a
// subscribe.Inspector).
func (n *Node) subscriptionMatches(w http.ResponseWriter, r *http.Request) {
	in, ok := n.outbox.(subscribe.Inspector)
	if !ok {
		writeJSON(w, http.StatusNotImplemented, apiError{Error: fmt.Sprintf(
			"the match history needs an outbox that can look deliveries up by key (subscribe.Inspector); this node's outbox (%T) cannot", n.outbox)})
		return
	}
	id, key := r.PathValue("id"), n.addressed(r)
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		l, err := strconv.Atoi(v)
		if err != nil || l < 1 || l > 1000 {
			badRequest(w, "limit", "limit %q is not a number from 1 to 1000", v)
			return
		}
		limit = l
	}
	sub, _ := n.lookup(key)
	if sub == nil && (n.auth != nil || !n.subs.hasMatches(r.Context(), key)) || sub != nil && !n.visible(r, sub) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
		return
	}
	out, err := n.subs.matches(r.Context(), key, limit)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the matches failed"})
		return
	}
	// The deliveries, from the dispatcher's outbox.
	for i := range out {
		ns, err := in.ByKey(r.Context(), deliveryKey(key, &out[i]))
		if err != nil {
			if r.Context().Err() == nil { // not merely a client gone away
				n.log.Error("reading a match's deliveries", "subscription", id, "activity", out[i].Activity, "err", err)
			}
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the deliveries failed"})
			return
		}
		for _, x := range ns {
			if !owns(sub, x) {
				continue // an earlier subscription's with the same ID
			}
			out[i].Deliveries = append(out[i].Deliveries, DeliveryState{
				Channel: string(x.Channel), Target: cmp.Or(hiddenIf(sub != nil && n.othersHidden(r, sub.Owner)), x.Target), State: string(x.State), Attempts: x.Attempts, LastError: x.LastError,
			})
		}
	}
	writeJSON(w, 200, map[string]any{"subscription": id, "matches": out})
}

// unsubscribe is the one-click unsubscribe link of e-mails.
func (n *Node) unsubscribe(w http.ResponseWriter, r *http.Request) {
	id, tok := r.URL.Query().Get("s"), r.URL.Query().Get("t")
	key := n.opts.UnsubscribeSecret
	if key == "" || !subscribe.VerifyUnsubscribe([]byte(key), id, tok) {
		writeJSON(w, http.StatusForbidden, apiError{Error: "invalid unsubscribe link"})
		return
	}
	// s is the subscription's key (the dispatcher's name for it); the
	// answer names the ID its owner knows.
	name := id
	if sub, _ := n.lookup(id); sub != nil {
		name = n.publicID(sub.Owner, id)
	}
	n.removeSubscription(r.Context(), id)
	writeJSON(w, 200, map[string]string{"status": "unsubscribed", "subscription": name})
}

// withSecret gives a webhook without secrets a new one, which the answer
// to the POST shows once: the receiver verifies the signatures with it.
// Anything it cannot read is passed on unchanged for ParseSubscription to
// report.
func withSecret(b []byte) []byte {
	out, _ := withSecrets(b, nil)
	return out
}

// withSecrets gives a webhook without secrets the secrets keep, or a new
// one when keep is empty, reporting whether it made a new one.
func withSecrets(b []byte, keep []string) ([]byte, bool) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(b, &doc) != nil {
		return b, false
	}
	var del map[string]json.RawMessage
	if json.Unmarshal(doc["delivery"], &del) != nil {
		return b, false
	}
	var wh map[string]json.RawMessage
	if json.Unmarshal(del["webhook"], &wh) != nil || wh == nil {
		return b, false
	}
	if s, ok := wh["secrets"]; ok && string(s) != "null" && string(s) != "[]" {
		return b, false
	}
	made := len(keep) == 0
	if made {
		keep = []string{subscribe.NewSecret()}
	}
	wh["secrets"], _ = json.Marshal(keep)
	del["webhook"], _ = json.Marshal(wh)
	doc["delivery"], _ = json.Marshal(del)
	out, err := json.Marshal(doc)
	if err != nil {
		return b, false
	}
	return out, made
}
