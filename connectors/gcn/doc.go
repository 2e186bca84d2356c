// Package gcn is the source of NASA's General Coordinates Network (GCN): what
// several spacecraft point at now, and transient alerts, streamed over Kafka
// within seconds.
//
// Decode turns one notice into activities and alerts:
//
//   - GCN Classic 160-byte binary packets (40 big-endian 32-bit words,
//     layouts from GCN's socket packet definition document and the
//     nasa-gcn/gcn-classic-to-json converter): the pointing-direction
//     notices SWIFT_POINTDIR, SWIFT_ACTUAL_POINTDIR, SWIFT_SC_SLEW,
//     SWIFT_TOO_SC_SLEW, SWIFT_FOM_OBS, SWIFT_TOO_FOM, FERMI_POINTDIR and
//     INTEGRAL_POINTDIR become planned or started activities of the
//     spacecraft. Swift's carry the Swift timeline's ID ("swift:<obsid>",
//     obsid = 8-digit target ID and 3-digit segment) and source, so that
//     they merge with the activity of connectors/swift: the notice's
//     revision outranks the pre-planned timeline's and is outranked by the
//     as-flown one. Other classic types are refused with an error that
//     names the type and matches ErrUnsupported.
//   - the JSON notices of GCN's unified schema (nasa-gcn/gcn-schema):
//     burst, neutrino, FRB, X-ray and gamma-ray alerts become alerts.Alert
//     values (one ID per event; updates and retractions are higher
//     revisions), heasarc/archive_alert becomes an archived activity.
//
// Test notices are decoded and flagged (Notice.Test); consumers usually skip
// them. Every refusal is an error naming the notice type and the field.
//
// Source (source.go) consumes GCN's Kafka topics with franz-go: SASL/
// OAUTHBEARER with GCN's OIDC client credentials, consumer-group offsets
// committed after each notice is handled, gcn.heartbeat as a health signal,
// poison messages logged, counted, skipped and committed.
package gcn
