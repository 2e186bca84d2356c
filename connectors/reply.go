package connectors

import "github.com/arcsecond-go/arcsecond/activities"

// Reply is what a connector's parser makes of one reply of its service
// (a live one or a recorded one): the activities, the records skipped and
// the warnings by reason, and whether the reply says it was cut short.
type Reply struct {
	// Records is how many records the reply held.
	Records    int
	Activities []activities.Activity
	// Skipped counts records that did not become activities, by reason.
	// Records == len(Activities) + the sum of Skipped.
	Skipped map[string]int
	// Warnings counts oddities in records that were kept, by reason.
	Warnings map[string]int
	// Truncated is set when the reply says more records matched than it
	// holds; Limit is how many it holds (or the service's limit).
	Truncated bool
	Limit     int
}

// Skip counts one skipped record.
func (r *Reply) Skip(reason string) {
	if r.Skipped == nil {
		r.Skipped = map[string]int{}
	}
	r.Skipped[reason]++
}

// Warn counts one warning.
func (r *Reply) Warn(reason string) {
	if r.Warnings == nil {
		r.Warnings = map[string]int{}
	}
	r.Warnings[reason]++
}

// SkippedTotal is the number of skipped records.
func (r *Reply) SkippedTotal() int {
	n := 0
	for _, v := range r.Skipped {
		n += v
	}
	return n
}

// Parser reads one reply format of a connector's service. A connector
// registers its parsers with its [Driver], so that recorded replies can be
// recognized and read with no network (connectors/recorded).
type Parser struct {
	// Name is the format's name ("gemini", "hst-mast").
	Name string
	// Help says in a line what the format is.
	Help string
	// Parse turns one reply into activities.
	Parse func(body []byte) (*Reply, error)
	// Recognize reports whether a file is a reply in this format, from its
	// slash-separated path and its first bytes (up to [HeadSize]). Nil
	// recognizes nothing: the parser is then used only by name.
	Recognize func(path string, head []byte) bool
	// Generic marks a format that also recognizes the replies of more
	// specific ones (a generic ObsCore reply); generic formats are tried
	// after the others.
	Generic bool
	// Roles and Join make a joining format, for a service whose listing
	// combines several replies (a schedule and the rows that give its
	// targets' positions). Roles are the replies it combines, the one
	// Parse reads first; Join combines recorded replies whose roles
	// [AssignRoles] recognized, as a live listing combines them. Both or
	// neither are set. See [ParseReplies].
	Roles []Role
	Join  func(replies []Recorded) (*Reply, error)
}

// HeadSize is how many first bytes of a file Parser.Recognize sees.
const HeadSize = 4096
