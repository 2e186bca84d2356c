package gcn

import (
	"bytes"
	"fmt"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/alerts"
)

// Name is the source name of the activities and alerts this package makes
// (Swift pointings excepted: they carry the Swift timeline's source name so
// that they merge with its activities).
const Name = "gcn"

// Notice is what one GCN notice decodes to.
type Notice struct {
	// Format is "classic" (a 160-byte binary packet) or "json".
	Format string `json:"format"`
	// Type is the classic packet type ("SWIFT_POINTDIR") or the JSON
	// notice's schema path ("chime/frb", "heasarc/archive_alert").
	Type string `json:"type"`
	// Test is set for test notices (their activities and alerts are test
	// data, not observations or events).
	Test bool `json:"test,omitempty"`
	// Activities and Alerts the notice describes (either may be empty).
	Activities []activities.Activity `json:"activities,omitempty"`
	Alerts     []alerts.Alert        `json:"alerts,omitempty"`
	// Note says why a decoded notice yields nothing ("the slew will not be
	// executed").
	Note string `json:"note,omitempty"`
	// Warnings lists oddities in fields that were skipped (a link that is
	// not a URL).
	Warnings []string `json:"warnings,omitempty"`
}

// Decode decodes one notice: a GCN Classic binary packet when it is exactly
// 160 bytes and does not look like JSON, else a JSON notice of GCN's
// unified schema. topic is the Kafka topic it came from ("" when unknown):
// it names a JSON notice's type when the notice has no $schema.
//
// Every activity and alert returned passes its Validate; a notice that
// cannot be decoded is a *DecodeError naming the type and field.
func Decode(topic string, payload []byte) (*Notice, error) {
	trimmed := bytes.TrimSpace(payload)
	if len(payload) == PacketSize && !(len(trimmed) > 0 && trimmed[0] == '{' && trimmed[len(trimmed)-1] == '}') {
		return DecodeClassic(payload)
	}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return DecodeJSON(topic, payload)
	}
	return nil, &DecodeError{Format: "unknown", Reason: fmt.Sprintf("%d bytes are neither a %d-byte GCN Classic packet nor a JSON object", len(payload), PacketSize)}
}

// check validates what a decoder made, so that a decoder's mistake is a
// refusal and never a silently wrong record.
func (n *Notice) check() error {
	for i := range n.Activities {
		if err := n.Activities[i].Validate(); err != nil {
			return &DecodeError{Format: n.Format, Type: n.Type, Reason: "decoded activity is invalid: " + err.Error()}
		}
	}
	for i := range n.Alerts {
		if err := n.Alerts[i].Validate(); err != nil {
			return &DecodeError{Format: n.Format, Type: n.Type, Reason: "decoded alert is invalid: " + err.Error()}
		}
	}
	return nil
}
