package gcn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// errStream is what connectors.Open("gcn") returns: GCN pushes notices
// over Kafka; a polled activities.Source does not fit it.
var errStream = errors.New("gcn: GCN is a Kafka stream, not a polled source: consume it with gcn.NewSource (arcsecond gcn listen)")

// The "gcn" driver registers the "gcn" reply format for recorded notices
// (connectors/recorded, `arcsecond activities parse --source gcn`): one
// notice per file, a GCN Classic packet or a JSON notice. Its activities
// are the reply's; alerts and test notices are counted as skipped by
// reason.
func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(connectors.Config) (activities.Source, error) { return nil, errStream },
		Env: map[string]string{
			EnvClientID:     "GCN client ID (https://gcn.nasa.gov/quickstart), for gcn.NewSource",
			EnvClientSecret: "GCN client secret, for gcn.NewSource",
		},
		Parsers: []connectors.Parser{{
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
		}},
	})
}

func parseRecorded(b []byte) (*connectors.Reply, error) {
	n, err := Decode("", b)
	if err != nil {
		return nil, err
	}
	r := &connectors.Reply{Records: 1}
	switch {
	case n.Test:
		r.Skip("test notice")
	case len(n.Activities) > 0:
		r.Activities = n.Activities
	case len(n.Alerts) > 0:
		r.Skip("alert, not an activity")
	default:
		r.Skip(n.Note)
	}
	for _, w := range n.Warnings {
		r.Warn(w)
	}
	return r, nil
}
