package arcsecond

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/arcsecond-go/arcsecond/subscribe"
)

// errNotFound is replaceSubscription's error for a subscription that is
// not (or no longer) there.
var errNotFound = errors.New("no such subscription")

// updateSubscription is PUT /api/subscriptions/{id}: it replaces one of
// the caller's subscriptions with the body, validated as for POST, in one
// step (the matcher swaps the old for the new; an activity sees one or the
// other). The body's id, when given, must be {id}; its owner is ignored
// (the subscription keeps its owner). A webhook given without secrets keeps
// the old webhook's secrets (a new one is made, and shown once, when there
// was no webhook). A paused subscription stays paused.
func (n *Node) updateSubscription(w http.ResponseWriter, r *http.Request) {
	id, _, old, paused, ok := n.ownSub(w, r)
	if !ok {
		return
	}
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	if field, err := checkStrictJSON(b); err != nil {
		badRequest(w, field, "invalid subscription: %v", err)
		return
	}
	b, err := withID(b, id)
	if err != nil {
		badRequest(w, "id", "invalid subscription: %v", err)
		return
	}
	var keep []string
	if wh := old.Delivery.Webhook; wh != nil {
		keep = wh.Secrets
	}
	b, made := withSecrets(b, keep)
	sub, err := subscribe.ParseSubscription(b)
	if err != nil {
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	if err := n.dispatcher.CheckTarget(sub); err != nil {
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	sub.Owner = old.Owner
	switch err := n.replaceSubscription(r.Context(), sub); {
	case errors.Is(err, errNotFound):
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
		return
	case err != nil:
		n.storeFailed(w, r, err)
		return
	}
	n.log.Info("subscription replaced", "id", sub.ID, "owner", sub.Owner)
	shown := n.shown(r, sub)
	if made && !n.othersHidden(r, sub.Owner) {
		shown = sub // the new secret, shown once
	}
	writeJSON(w, http.StatusOK, shownSub{shown, paused})
}

// withID gives the subscription document b the ID id when it has none,
// and refuses another. Anything it cannot read is passed on unchanged for
// ParseSubscription to report.
func withID(b []byte, id string) ([]byte, error) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(b, &doc) != nil || doc == nil {
		return b, nil
	}
	if raw, ok := doc["id"]; ok {
		var got string
		if json.Unmarshal(raw, &got) == nil && got != id {
			return nil, fmt.Errorf("the body's id %q is not the path's %q (an ID cannot be changed: create another)", got, id)
		}
		return b, nil
	}
	doc["id"], _ = json.Marshal(id)
	out, err := json.Marshal(doc)
	if err != nil {
		return b, nil
	}
	return out, nil
}

// pauseSubscription is POST /api/subscriptions/{id}/pause, and
// resumeSubscription POST .../resume: a paused subscription matches
// nothing (no match is recorded, no notification queued) until resumed;
// notifications queued before the pause are not sent. Both are idempotent
// and answer the subscription.
func (n *Node) pauseSubscription(w http.ResponseWriter, r *http.Request) {
	n.pauseOrResume(w, r, true)
}

func (n *Node) resumeSubscription(w http.ResponseWriter, r *http.Request) {
	n.pauseOrResume(w, r, false)
}

func (n *Node) pauseOrResume(w http.ResponseWriter, r *http.Request, pause bool) {
	id, key, sub, _, ok := n.ownSub(w, r)
	if !ok {
		return
	}
	ok, err := n.setPaused(r.Context(), key, pause)
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
		return
	}
	if err != nil {
		if r.Context().Err() == nil {
			n.log.Error("pausing or resuming a subscription", "key", key, "err", err)
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "storing the subscription's state failed"})
		}
		return
	}
	n.log.Info("subscription paused or resumed", "id", id, "owner", sub.Owner, "paused", pause)
	writeJSON(w, http.StatusOK, shownSub{n.shown(r, n.public(sub)), pause})
}
