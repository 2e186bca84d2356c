// Package subscribe matches observing activities against subscriptions as
// they arrive and delivers the matches durably: signed webhooks, e-mail
// (one message per match or a digest) and an in-process live hub.
//
// A [Subscription] sets criteria on source, kind, facility, instrument,
// programme (exact or prefix), observer, target (names or globs), sky
// regions (cones and polygons, matched against the activity's field of
// view) and a time window. The [Matcher] indexes a million subscriptions
// and matches one activity in microseconds; [BruteForce] is its test
// oracle. The [Dispatcher] turns matches into notifications through a
// durable [Store] ([SQLiteOutbox], in embedded SQLite) with at-least-once delivery,
// a deterministic idempotency key per (subscription, activity, revision),
// retries with jittered exponential backoff and a dead-letter state.
//
//	m := subscribe.NewMatcher()
//	s, err := subscribe.ParseSubscription([]byte(`{"id": "muse",
//		"criteria": {"instruments": ["MUSE"], "regions": [{"ra": 40.67, "dec": -0.01, "radius": 0.5}]}}`))
//	if err != nil { ... }
//	m.Add(s)
//	for _, match := range m.Match(&activity) {
//		fmt.Println(match.Subscription.ID, match.Reasons)
//	}
package subscribe
