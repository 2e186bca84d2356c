// Package alerts is the model of transient alerts — gamma-ray bursts,
// gravitational waves, neutrinos, fast radio bursts, X-ray flares — as
// notice streams such as NASA's General Coordinates Network announce them,
// beside the observing activities of package activities.
//
// An [Alert] names its event by a stable ID and a Revision: a later notice
// of the same event (an update, a refined position, a retraction) carries a
// higher revision and replaces the earlier one in a [Store], so a consumer
// sees each event once in its latest state. Its Localization is a circle,
// an ellipse or a polygon on the sky ([Localization.Contains]); a HEALPix or
// MOC sky map is referenced by URL (or flagged as embedded in the notice)
// but not decoded here.
//
// The JSON encoding ([Schema], alert.schema.json) is stable: field names
// never change, fields may be added.
package alerts

import _ "embed"

//go:embed alert.schema.json
var schema []byte

// Schema returns the JSON Schema (draft 2020-12) of an alert's encoding.
func Schema() []byte { return append([]byte(nil), schema...) }
