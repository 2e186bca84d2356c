package arcsecond

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// Test deliveries of one subscription: a burst of 3, then one a minute.
const (
	testDeliveryRate  = 1.0 / 60
	testDeliveryBurst = 3
)

// TestDelivery is the outcome of a test notification on one channel, as
// POST /api/subscriptions/{id}/test answers it.
type TestDelivery struct {
	Channel string `json:"channel"` // "webhook" or "email"
	Target  string `json:"target"`
	OK      bool   `json:"ok"`
	// Status is the receiver's HTTP status (webhooks; 0 when none came).
	Status int `json:"status,omitempty"`
	// Reason is a fixed text saying why it failed ("" when OK).
	Reason string `json:"reason,omitempty"`
}

// testSubscription is POST /api/subscriptions/{id}/test: it sends a
// signed test notification (type "subscription.test", a made-up activity
// of source "test") to the subscription's webhook and e-mail address now,
// through the dispatcher's senders (the same address guard, signing and
// timeouts), without the outbox: nothing is retried or recorded. It
// answers each channel's outcome; a subscription without a webhook or an
// e-mail address is 409.
func (n *Node) testSubscription(w http.ResponseWriter, r *http.Request) {
	id, key, sub, _, ok := n.ownSub(w, r)
	if !ok {
		return
	}
	wh, em := sub.Delivery.Webhook, sub.Delivery.Email
	if wh == nil && em == nil {
		writeJSON(w, http.StatusConflict, apiError{Error: fmt.Sprintf("subscription %q has no webhook or e-mail address to test", id), Field: "delivery"})
		return
	}
	if ok, wait := n.testLimit.Allow(key); !ok {
		tooMany(w, wait)
		return
	}
	now := time.Now().UTC()
	var rnd [12]byte
	rand.Read(rnd[:])
	msgID := "test_" + hex.EncodeToString(rnd[:])
	act := activities.Activity{
		ID: "test:" + msgID, Source: "test", Kind: activities.KindPlanned, Facility: "arcsecond test notification",
		Start: now, End: now.Add(time.Minute), Revision: 1,
	}
	hide := n.othersHidden(r, sub.Owner)
	out := []TestDelivery{}
	if wh != nil {
		body, _ := json.Marshal(subscribe.Payload{Type: "subscription.test", Timestamp: now, Data: subscribe.PayloadData{Subscription: id, Activity: act, Reasons: []subscribe.Reason{}}})
		d := TestDelivery{Channel: string(subscribe.ChannelWebhook), Target: wh.URL}
		err := n.webhooks.Send(r.Context(), wh.URL, msgID, body, wh.Secrets, now)
		d.OK, d.Status, d.Reason = err == nil, webhookStatus(err), webhookReason(err)
		out = append(out, d)
	}
	if em != nil {
		d := TestDelivery{Channel: string(subscribe.ChannelEmail), Target: em.To}
		switch {
		case n.mailer == nil:
			d.Reason = "this node has no SMTP server configured"
		default:
			err := n.mailer.Send(r.Context(), subscribe.Email{
				To: em.To, Subject: "arcsecond: test notification for " + id, MessageID: msgID + "@arcsecond", Subscription: sub.ID,
				Text: fmt.Sprintf("This is a test notification for your arcsecond subscription %q, sent on request at %s. No activity matched.", id, now.Format(time.RFC3339)),
			}, now)
			d.OK = err == nil
			if err != nil {
				d.Reason = "the mail server refused the message or could not be reached"
			}
		}
		out = append(out, d)
	}
	for i := range out {
		if hide {
			out[i].Target = hiddenTarget
		}
		n.log.Info("test delivery", "id", id, "owner", sub.Owner, "channel", out[i].Channel, "ok", out[i].OK, "status", out[i].Status)
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscription": id, "deliveries": out})
}

// webhookStatus is the receiver's HTTP status in a Send error (0: none).
func webhookStatus(err error) int {
	var de *subscribe.DeliveryError
	if errors.As(err, &de) {
		return de.Status
	}
	return 0
}

// webhookReason is a fixed text for a Send error: the receiver's answer
// is classified, a network error is not quoted (it may name addresses).
func webhookReason(err error) string {
	var de *subscribe.DeliveryError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, subscribe.ErrForbiddenAddress):
		return "the webhook's address is not allowed (private, loopback or otherwise reserved)"
	case errors.As(err, &de) && de.Status != 0:
		return de.Err.Error() // subscribe's fixed text for the status
	default:
		return "the receiver could not be reached"
	}
}
