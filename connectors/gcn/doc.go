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
//     as-flown one. The position notices of Swift BAT (SWIFT_BAT_QL_POS,
//     SWIFT_BAT_GRB_POS_ACK, SWIFT_BAT_TRANS, SWIFT_BAT_GRB_POS_TEST) and
//     UVOT (SWIFT_UVOT_POS), MAXI (MAXI_UNKNOWN, MAXI_TEST), GECAM
//     (GECAM_FLT, GECAM_GND) and Super-Kamiokande (SK_SN) become alerts;
//     the BAT and UVOT positions of one Swift trigger are revisions of one
//     alert. Other classic types are refused with an error that names the
//     type and matches ErrUnsupported.
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
// poison messages logged, counted, skipped and committed. Run hands the
// notices one at a time; RunBatch hands those of each poll at once, so
// that a consumer can record a burst in one transaction (the node does:
// one outbox commit for the notices that queued while the last was
// recorded, and none of the waiting a fixed batch size would add).
package gcn
