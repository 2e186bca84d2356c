package main

import (
	"context"
	"database/sql"
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

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// The subscriptions live in the feed's database (table
// activityd_subscriptions, the subscription's JSON encoding) so that a
// restarted server keeps them; every match is recorded in
// activityd_matches, the match history the API serves.
const subsSchema = `
CREATE TABLE IF NOT EXISTS activityd_subscriptions (
	id      TEXT PRIMARY KEY,
	body    TEXT NOT NULL,
	created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS activityd_matches (
	subscription TEXT NOT NULL,
	activity     TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	reasons      TEXT NOT NULL,
	at           INTEGER NOT NULL,
	PRIMARY KEY (subscription, activity, revision)
);
`

// recordingIndex is the dispatcher's index: the indexed matcher, plus a
// record of every match in the database.
type recordingIndex struct {
	*subscribe.Matcher
	db      *sql.DB
	metrics *metrics
}

func newRecordingIndex(ctx context.Context, db *sql.DB, m *metrics) (*recordingIndex, error) {
	if _, err := db.ExecContext(ctx, subsSchema); err != nil {
		return nil, err
	}
	x := &recordingIndex{Matcher: subscribe.NewMatcher(), db: db, metrics: m}
	rows, err := db.QueryContext(ctx, `SELECT id, body FROM activityd_subscriptions ORDER BY created`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, err
		}
		sub, err := subscribe.ParseSubscription([]byte(body))
		if err != nil {
			return nil, fmt.Errorf("stored subscription %q: %w", id, err)
		}
		if err := x.Matcher.Add(sub); err != nil {
			return nil, fmt.Errorf("stored subscription %q: %w", id, err)
		}
	}
	return x, rows.Err()
}

// Match implements subscribe.Index, recording the matches.
func (x *recordingIndex) Match(a *activities.Activity) []subscribe.Match {
	ms := x.Matcher.Match(a)
	now := time.Now().UnixMilli()
	for _, m := range ms {
		x.metrics.matches.WithLabelValues(a.Source).Inc()
		reasons, _ := json.Marshal(m.Reasons)
		// Best effort: the history is informative, the outbox is the record
		// of deliveries.
		x.db.Exec(`INSERT OR IGNORE INTO activityd_matches (subscription, activity, revision, reasons, at) VALUES (?, ?, ?, ?, ?)`,
			m.Subscription.ID, a.ID, a.Revision, string(reasons), now)
	}
	return ms
}

// readBody reads a JSON request body of at most maxBody bytes, answering
// 413 itself when it cannot.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("body larger than %d bytes", maxBody)})
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

func (s *server) createSubscription(w http.ResponseWriter, r *http.Request) {
	b, ok := readBody(w, r)
	if !ok {
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
	if err := s.dispatcher.CheckTarget(sub); err != nil {
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	body, err := json.Marshal(sub)
	if err != nil {
		badRequest(w, "", "invalid subscription: %v", err)
		return
	}
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	if s.index.Get(sub.ID) != nil {
		writeJSON(w, http.StatusConflict, apiError{Error: fmt.Sprintf("subscription %q exists; DELETE it first", sub.ID), Field: "id"})
		return
	}
	if _, err := s.db.ExecContext(r.Context(), `INSERT INTO activityd_subscriptions (id, body, created) VALUES (?, ?, ?)`,
		sub.ID, string(body), time.Now().UnixNano()); err != nil {
		s.log.Error("storing a subscription", "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "storing the subscription failed"})
		return
	}
	if err := s.index.Add(sub); err != nil { // validated already: cannot fail
		s.db.Exec(`DELETE FROM activityd_subscriptions WHERE id = ?`, sub.ID)
		badRequest(w, fieldOf(err), "invalid subscription: %v", err)
		return
	}
	s.log.Info("subscription created", "id", sub.ID)
	w.Header().Set("Location", "/api/subscriptions/"+url.PathEscape(sub.ID))
	writeJSON(w, http.StatusCreated, sub)
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

func (s *server) listSubscriptions(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), `SELECT id FROM activityd_subscriptions ORDER BY created`)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "listing subscriptions failed"})
		return
	}
	defer rows.Close()
	out := []*subscribe.Subscription{}
	for rows.Next() {
		var id string
		if rows.Scan(&id) == nil {
			if sub := s.index.Get(id); sub != nil {
				out = append(out, redacted(sub))
			}
		}
	}
	writeJSON(w, 200, map[string]any{"subscriptions": out})
}

func (s *server) getSubscription(w http.ResponseWriter, r *http.Request) {
	sub := s.index.Get(r.PathValue("id"))
	if sub == nil {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", r.PathValue("id"))})
		return
	}
	writeJSON(w, 200, redacted(sub))
}

func (s *server) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	if !s.index.Remove(id) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
		return
	}
	if _, err := s.db.ExecContext(r.Context(), `DELETE FROM activityd_subscriptions WHERE id = ?`, id); err != nil {
		s.log.Error("deleting a subscription", "err", err)
	}
	s.log.Info("subscription deleted", "id", id)
	w.WriteHeader(http.StatusNoContent)
}

// matchJSON is one entry of a subscription's match history.
type matchJSON struct {
	Activity string             `json:"activity"`
	Revision int64              `json:"revision"`
	At       time.Time          `json:"at"`
	Reasons  []subscribe.Reason `json:"reasons"`
	// Deliveries are the notifications recorded for the match, by channel.
	Deliveries []deliveryJSON `json:"deliveries"`
}

type deliveryJSON struct {
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
func (s *server) subscriptionMatches(w http.ResponseWriter, r *http.Request) {
	in, ok := s.outbox.(subscribe.Inspector)
	if !ok {
		writeJSON(w, http.StatusNotImplemented, apiError{Error: fmt.Sprintf(
			"the match history needs an outbox that can look deliveries up by key (subscribe.Inspector); this server's outbox (%T) cannot", s.outbox)})
		return
	}
	id := r.PathValue("id")
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			badRequest(w, "limit", "limit %q is not a number from 1 to 1000", v)
			return
		}
		limit = n
	}
	if s.index.Get(id) == nil {
		var n int
		s.db.QueryRowContext(r.Context(), `SELECT count(*) FROM activityd_matches WHERE subscription = ?`, id).Scan(&n)
		if n == 0 {
			writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no subscription %q", id)})
			return
		}
	}
	rows, err := s.db.QueryContext(r.Context(), `SELECT activity, revision, reasons, at FROM activityd_matches
		WHERE subscription = ? ORDER BY at DESC, activity LIMIT ?`, id, limit)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the matches failed"})
		return
	}
	out := []matchJSON{}
	for rows.Next() {
		var m matchJSON
		var reasons string
		var at int64
		if err := rows.Scan(&m.Activity, &m.Revision, &reasons, &at); err != nil {
			continue
		}
		m.At = time.UnixMilli(at).UTC()
		json.Unmarshal([]byte(reasons), &m.Reasons)
		m.Deliveries = []deliveryJSON{}
		out = append(out, m)
	}
	rows.Close()
	// The deliveries, from the dispatcher's outbox.
	for i := range out {
		key := subscribe.IdempotencyKey(id, out[i].Activity, out[i].Revision)
		ns, err := in.ByKey(r.Context(), key)
		if err != nil {
			if r.Context().Err() == nil { // not merely a client gone away
				s.log.Error("reading a match's deliveries", "subscription", id, "activity", out[i].Activity, "err", err)
			}
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the deliveries failed"})
			return
		}
		for _, n := range ns {
			out[i].Deliveries = append(out[i].Deliveries, deliveryJSON{
				Channel: string(n.Channel), Target: n.Target, State: string(n.State), Attempts: n.Attempts, LastError: n.LastError,
			})
		}
	}
	writeJSON(w, 200, map[string]any{"subscription": id, "matches": out})
}

// unsubscribe is the one-click unsubscribe link of e-mails.
func (s *server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	id, tok := r.URL.Query().Get("s"), r.URL.Query().Get("t")
	if s.cfg.dataSecret == "" || !subscribe.VerifyUnsubscribe([]byte(s.cfg.dataSecret), id, tok) {
		writeJSON(w, http.StatusForbidden, apiError{Error: "invalid unsubscribe link"})
		return
	}
	s.subsMu.Lock()
	s.index.Remove(id)
	s.db.ExecContext(r.Context(), `DELETE FROM activityd_subscriptions WHERE id = ?`, id)
	s.subsMu.Unlock()
	writeJSON(w, 200, map[string]string{"status": "unsubscribed", "subscription": id})
}

// withSecret gives a webhook without secrets a new one, which the answer
// to the POST shows once: the receiver verifies the signatures with it.
// Anything it cannot read is passed on unchanged for ParseSubscription to
// report.
func withSecret(b []byte) []byte {
	var doc map[string]json.RawMessage
	if json.Unmarshal(b, &doc) != nil {
		return b
	}
	var del map[string]json.RawMessage
	if json.Unmarshal(doc["delivery"], &del) != nil {
		return b
	}
	var wh map[string]json.RawMessage
	if json.Unmarshal(del["webhook"], &wh) != nil || wh == nil {
		return b
	}
	if s, ok := wh["secrets"]; ok && string(s) != "null" && string(s) != "[]" {
		return b
	}
	wh["secrets"], _ = json.Marshal([]string{subscribe.NewSecret()})
	del["webhook"], _ = json.Marshal(wh)
	doc["delivery"], _ = json.Marshal(del)
	out, err := json.Marshal(doc)
	if err != nil {
		return b
	}
	return out
}
