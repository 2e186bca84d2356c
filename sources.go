package arcsecond

import (
	"net/http"
	"time"
)

// StateNotConfigured is the state of a connector the node could not open
// for want of configuration; the status's LastError says what it needs
// (the environment variable or option).
const StateNotConfigured = "not configured"

// SourceStatus is the health of one of a node's sources, as GET
// /api/sources shows it.
type SourceStatus struct {
	Name string `json:"name"`
	// State is the feed's state of the source ("ok", "failing",
	// "standby", ...) or StateNotConfigured.
	State               string    `json:"state"`
	LastPoll            time.Time `json:"last_poll,omitzero"`
	LastSuccess         time.Time `json:"last_success,omitzero"`
	NextPoll            time.Time `json:"next_poll,omitzero"`
	LastError           string    `json:"last_error,omitempty"`
	ConsecutiveFailures int       `json:"consecutive_failures"`
	Polls               uint64    `json:"polls"`
	Failures            uint64    `json:"failures"`
	Listed              uint64    `json:"listed"`
	Announced           uint64    `json:"announced"`
	Invalid             uint64    `json:"invalid"`
	LastDurationMS      float64   `json:"last_duration_ms"`
	// ReplayDone, for a replayed source, reports whether every recorded
	// activity has been played.
	ReplayDone *bool `json:"replay_done,omitempty"`
}

// Sources returns the health of the node's sources, then the connectors it
// could not open (StateNotConfigured).
func (n *Node) Sources() []SourceStatus {
	out := []SourceStatus{}
	done := map[string]bool{}
	for _, rs := range n.replay {
		done[rs.name] = rs.done()
	}
	for _, h := range n.feed.Health() {
		sj := SourceStatus{
			Name: h.Name, State: string(h.State), LastPoll: h.LastPoll, LastSuccess: h.LastSuccess, NextPoll: h.NextPoll,
			LastError: h.LastError, ConsecutiveFailures: h.ConsecutiveFailures, Polls: h.Polls, Failures: h.Failures,
			Listed: h.Listed, Announced: h.Announced, Invalid: h.Invalid, LastDurationMS: float64(h.LastDuration.Microseconds()) / 1000,
		}
		if d, ok := done[h.Name]; ok {
			sj.ReplayDone = &d
		}
		out = append(out, sj)
	}
	return append(out, n.unconfigured...)
}

func (n *Node) listSources(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"sources": n.Sources()})
}
