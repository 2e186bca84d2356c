package gcn

import (
	"bytes"
	"encoding/binary"
	"path"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

// The "gcn" format of connectors/recorded: one recorded notice per file (a
// GCN Classic packet or a JSON notice). Its activities are the reply's;
// alerts and test notices are counted as skipped by reason.
func init() {
	recorded.Register(recorded.Parser{
		Name:  Name,
		Help:  "GCN notice: Classic 160-byte binary packet or unified-schema JSON",
		Parse: parseRecorded,
		Recognize: func(p string, head []byte) bool {
			if strings.HasSuffix(p, ".bin") && len(head) == PacketSize {
				_, known := classicTypes[int32(binary.BigEndian.Uint32(head))]
				return known
			}
			return path.Ext(p) == ".json" && bytes.Contains(head, []byte(schemaMarker))
		},
	})
}

func parseRecorded(b []byte) (*recorded.Reply, error) {
	n, err := Decode("", b)
	if err != nil {
		return nil, err
	}
	r := &recorded.Reply{Records: 1}
	skip := func(reason string, k int) {
		if r.Skipped == nil {
			r.Skipped = map[string]int{}
		}
		r.Skipped[reason] += k
	}
	switch {
	case n.Test:
		skip("test notice", 1)
	case len(n.Activities) > 0:
		r.Activities = n.Activities
	case len(n.Alerts) > 0:
		skip("alert, not an activity", 1)
	default:
		skip(n.Note, 1)
	}
	for _, w := range n.Warnings {
		if r.Warnings == nil {
			r.Warnings = map[string]int{}
		}
		r.Warnings[w]++
	}
	return r, nil
}
