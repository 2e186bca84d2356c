// Package arcsecond is an embeddable Go SDK for observational astronomy.
//
// It turns what the world's observatories and satellites are observing into
// one normalized stream of observing activities, and lets a program
// subscribe to that stream. The SDK is a set of packages, layered so that
// each imports only those below it:
//
//	astro       astronomical algorithms: time scales, Earth rotation,
//	            precession-nutation, places and frames, Sun, Moon, planets
//	catalogs    embedded observing sites, instruments and standard stars
//	activities  the normalized Activity record, the Source contract that
//	            connectors implement, and the live feed engine
//	connectors  clients for ESO, Gemini, HST, Swift and any VO TAP service
//	            (with a streaming VOTable reader), each yielding activities
//	subscribe   the subscription matcher and durable notification delivery
//	auth        API keys, OIDC bearer tokens and the identities they carry
//	arcsecond   (this package) the node that wires them all together
//	client      a typed Go client of a running node's API
//	examples    thin reference binaries: the arcsecond CLI and the
//	            activityd live server
//
// # The node
//
// A [Node] is a whole live server in a value: the feed polling its sources
// into a store, the subscription matcher, durable deliveries (webhooks with
// Standard Webhooks signatures, e-mail) through an outbox, and an
// [http.Handler] serving
//
//	GET    /api/activities              filters source, facility, instrument, kind,
//	                                    start, end (RFC 3339), ra/dec/radius (deg);
//	                                    limit (1-1000) and cursor (the answer's next)
//	GET    /api/activities/{id}         one activity
//	POST   /api/activities              publish JSON Lines of activities (publisher keys)
//	GET    /api/sources                 sources and their health
//	POST   /api/subscriptions           a subscription (subscribe's JSON schema) → 201;
//	                                    a webhook without secrets gets one, shown once
//	GET    /api/subscriptions[/{id}]    list / one (secrets redacted)
//	DELETE /api/subscriptions/{id}
//	GET    /api/subscriptions/{id}/matches  match history with delivery states
//	GET    /activities/live             WebSocket: one JSON activity per message
//	GET    /activities/events           server-sent events, same filters
//	GET    /api/alerts[/{id}]           transient alerts (NodeOptions.GCN, Node.IngestAlert):
//	                                    mission, event_type, start/end, ra/dec inside
//	                                    the localization; limit and cursor
//	GET    /alerts/live /alerts/events  WebSocket / server-sent events of alerts
//	GET    /api/openapi.json            the OpenAPI 3.1 document of this API
//	GET    /metrics /healthz /readyz    Prometheus, liveness, readiness
//	GET    /                            the dashboard (embedded HTML, no build step)
//
// Errors are JSON {"error", "field"} with a 4xx status. REST listings and
// live streams select activities with the same [activities.Query.Match].
//
// With [AuthOptions] (NodeOptions.Auth) the node has accounts: callers
// identify with API keys ([Node.Keys], "activityd token create") or OIDC
// bearer JWTs; the feed stays public unless Private; every subscription
// belongs to its creator, who alone (with admins) sees and deletes it;
// writes without credentials are 401; rates, live connections and
// subscriptions per owner are capped.
//
// # Hardening
//
// The handler expects to face careless and hostile clients:
//
//   - Cross-site requests: every state-changing request (POST, DELETE, ...)
//     with a body must be Content-Type: application/json (415 otherwise),
//     and one a browser marks as cross-origin (Sec-Fetch-Site, or an Origin
//     that is neither the request's Host nor one of
//     NodeOptions.AllowedOrigins) is refused with 403, so that a web page
//     cannot create or delete subscriptions on a node the user can reach.
//   - Strict bodies: subscription JSON must be valid UTF-8 (no U+FFFD),
//     with case-sensitive member names and no duplicated member; each is a
//     400 naming the field.
//   - Bounds: start and end outside 1677-09-21..2262-04-11 (what the stores
//     represent) are a 400 naming the field; listings are paged (limit,
//     cursor); the cache of listings is bounded in bytes
//     (NodeOptions.PageCacheBytes); subscriptions are capped
//     (NodeOptions.MaxSubscriptions, 429 beyond); repeated delivery
//     warnings are logged at a bounded rate, with a count of those left out.
//   - Slow clients: a body must arrive within [BodyReadTimeout] (408), a
//     live stream whose client does not read is disconnected (its NodeOptions.LiveBuffer
//     pending activities overflow, or a write takes over
//     [LiveWriteTimeout]); serve the handler with [Node.Server], or copy its
//     timeouts, so that headers and idle connections are bounded too.
//   - Deleting a subscription deletes its match history: a subscription
//     created later with the same ID starts afresh.
//
// Configure a node with [NodeOptions] (sources or registered connectors by
// name, a SQLite file or injected stores, SMTP, webhook policy, NATS for
// several instances, a replay of the recorded replies), create it with
// [NewNode], run it with [Node.Run] — which, when its context ends, stops
// polling, ends the live streams and drains the deliveries already due —
// and serve [Node.Handler] from any [http.Server], beside the program's own
// routes. examples/activityd is such a program: flags and main.
//
//	node, err := arcsecond.NewNode(ctx, arcsecond.NodeOptions{
//		Connectors: []string{"gemini", "swift"}, DBPath: "node.db"})
//	if err != nil { ... }
//	defer node.Close()
//	go node.Run(ctx)
//	node.Server("127.0.0.1:8080").ListenAndServe() // Handler, with timeouts
//
// A program that needs only the stream uses the feed directly:
//
//	import _ "github.com/arcsecond-go/arcsecond/connectors/gemini" // registers "gemini"
//
//	src, err := connectors.Open("gemini", connectors.Config{})
//	if err != nil { ... }
//	feed := activities.NewFeed(activities.FeedOptions{})
//	feed.Add(src, activities.Schedule{Interval: 5 * time.Minute})
//	sub := feed.Subscribe(activities.SubscribeOptions{Buffer: 64})
//	go feed.Run(ctx)
//	for e := range sub.C() {
//		a := e.Activity
//		fmt.Println(a.Facility, a.Instrument, a.Target.Name)
//	}
package arcsecond

import "github.com/arcsecond-go/arcsecond/internal/version"

// Version is the SDK's version, sent in the User-Agent of every request the
// connectors make.
const Version = version.Version
