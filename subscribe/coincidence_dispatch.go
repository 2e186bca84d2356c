package subscribe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
)

// The payload types of alert notifications (see [AlertPayload]).
const (
	// TypeAlertMatched is the notification of an alert subscription
	// (criteria.alerts alone).
	TypeAlertMatched = "alert.matched"
	// TypeCoincidence is the notification of a coincidence subscription:
	// an activity observed inside an alert's localization.
	TypeCoincidence = "alert.coincidence"
)

// AlertPayload is the JSON body of an alert or coincidence notification,
// in the same Standard Webhooks envelope as [Payload].
type AlertPayload struct {
	Type      string           `json:"type"` // TypeAlertMatched or TypeCoincidence
	Timestamp time.Time        `json:"timestamp"`
	Data      AlertPayloadData `json:"data"`
}

// AlertPayloadData is the alert, and for a coincidence the activity with
// how far apart they are.
type AlertPayloadData struct {
	Subscription string               `json:"subscription"`
	Alert        alerts.Alert         `json:"alert"`
	Activity     *activities.Activity `json:"activity,omitempty"`
	// DeltaS is how far in seconds the trigger lies outside the activity's
	// [start, end] (0 inside it); SeparationDeg the angle from the
	// activity's position to the alert's best position.
	DeltaS        *float64 `json:"delta_s,omitempty"`
	SeparationDeg *float64 `json:"separation_deg,omitempty"`
}

// CoincidenceKey is the idempotency key of the notification of one
// (subscription, activity, alert) — activity "" for an alert subscription:
// "msg_" and 32 hex digits of a SHA-256, distinct from every
// [IdempotencyKey]. The alert's revision is not part of it: a coincidence
// is notified once, whatever later notices refine.
func CoincidenceKey(subscription, activityID, alertID string) string {
	h := sha256.New()
	h.Write([]byte("coincidence\x00"))
	h.Write([]byte(subscription))
	h.Write([]byte{0})
	h.Write([]byte(activityID))
	h.Write([]byte{0})
	h.Write([]byte(alertID))
	return "msg_" + hex.EncodeToString(h.Sum(nil)[:16])
}

// Get returns the subscription with this ID, or nil.
func (x *Coincidences) Get(id string) *Subscription {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.subs[id]
}

// Len is the number of subscriptions.
func (x *Coincidences) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.subs)
}

// HandleCoincidences records the notifications of coincidence matches in
// the outbox, through the same channels, keys and immediate delivery as
// [Dispatcher.Handle]. A match already recorded (same subscription,
// activity and alert) records nothing new. It returns the number of
// notifications recorded.
func (d *Dispatcher) HandleCoincidences(ctx context.Context, ms []CoincidenceMatch) (int, error) {
	now := d.o.Now().UTC()
	var ns []Notification
	for _, m := range ms {
		s := m.Subscription
		del := s.Delivery
		if del.Webhook == nil && del.Email == nil {
			continue
		}
		data := AlertPayloadData{Subscription: d.name(s), Alert: *m.Alert}
		typ, actID, rev := TypeAlertMatched, "", m.Alert.Revision
		if m.Activity != nil {
			typ, actID, rev = TypeCoincidence, m.Activity.ID, m.Activity.Revision
			dt, sep := m.Delta.Seconds(), m.Separation
			data.Activity, data.DeltaS, data.SeparationDeg = m.Activity, &dt, &sep
		}
		body, err := json.Marshal(AlertPayload{Type: typ, Timestamp: now, Data: data})
		if err != nil {
			return 0, fmt.Errorf("subscribe: encoding notification for %s: %w", s.ID, err)
		}
		key := CoincidenceKey(s.ID, actID, m.Alert.ID)
		if actID == "" {
			actID = m.Alert.ID
		}
		base := Notification{Key: key, Subscription: s.ID, ActivityID: actID, Revision: rev, Payload: body, NextAt: now.Add(d.o.Lease), Created: now}
		ns = append(ns, channelNotifications(base, del, now)...)
	}
	if len(ns) == 0 {
		return 0, nil
	}
	return d.enqueue(ctx, ns, 0, now)
}

// composeAlert renders an alert or coincidence notification as the text
// of an e-mail, with its subject.
func composeAlert(b *strings.Builder, body []byte) (subject string, err error) {
	var p AlertPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return "", err
	}
	al := &p.Data.Alert
	subject = fmt.Sprintf("[arcsecond] alert %s", al.ID)
	if a := p.Data.Activity; a != nil {
		subject = fmt.Sprintf("[arcsecond] %s %s inside alert %s", a.Facility, a.Kind, al.ID)
		b.WriteString(a.String() + "\n")
	}
	b.WriteString("  alert " + al.String() + "\n")
	if p.Data.DeltaS != nil && p.Data.SeparationDeg != nil {
		fmt.Fprintf(b, "  %.0f s from the trigger, %.4f° from the alert's position\n", *p.Data.DeltaS, *p.Data.SeparationDeg)
	}
	for _, l := range al.Links {
		fmt.Fprintf(b, "  %s: %s\n", l.Title, l.URL)
	}
	return subject, nil
}

// Window is the largest coincidence window of the subscriptions (0 when
// none has criteria.coincidence): an activity that ended longer than
// twice this (and an hour) before the newest time seen is forgotten.
func (x *Coincidences) Window() time.Duration {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.window
}
