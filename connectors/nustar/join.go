package nustar

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// The roles of the replies a NuSTAR listing of both timelines joins
// ([JoinReplies]), as the registered format "nustar".
const (
	// RoleAsFlown is HEASARC's numaster rows (the nustar-asflown format).
	RoleAsFlown = "as-flown rows"
	// RolePlanned is the SOC's planned schedule (the nustar-planned
	// format).
	RolePlanned = "planned schedule"
)

// SkipAsFlown counts planned observations that the as-flown rows list
// (as completed): the listing gives them once.
const SkipAsFlown = "listed by the as-flown rows"

func recognizePlanned(p string, head []byte) bool {
	l := strings.ToLower(p)
	page := strings.HasSuffix(l, ".csv") || strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")
	return page && bytes.Contains(head, []byte("obs_start")) && bytes.Contains(head, []byte("sequenceID"))
}

func recognizeAsFlown(p string, head []byte) bool {
	return (strings.HasSuffix(p, ".ascii") || obscore.IsTableFile(p)) && bytes.Contains(head, []byte("observation_mode")) &&
		bytes.Contains(head, []byte("roll_angle"))
}

// roles are the replies of the registered nustar format.
var roles = []connectors.Role{
	{Name: RoleAsFlown, Recognize: recognizeAsFlown, Optional: true},
	{Name: RolePlanned, Recognize: recognizePlanned, Optional: true},
}

// ParseEither is the "nustar" format's reading of one reply: as-flown
// rows or the planned schedule, told apart by their columns.
func ParseEither(b []byte) (*connectors.Reply, error) {
	switch head := b[:min(len(b), connectors.HeadSize)]; {
	case bytes.Contains(head, []byte("observation_mode")) && bytes.Contains(head, []byte("roll_angle")):
		return ParseAsFlown(b)
	case bytes.Contains(head, []byte("obs_start")) && bytes.Contains(head, []byte("sequenceID")):
		return ParsePlanned(b)
	}
	return nil, &connectors.SchemaError{Source: Name, Column: "observation_mode",
		Reason: "neither numaster rows (observation_mode, roll_angle) nor the planned schedule (obs_start, sequenceID)"}
}

// JoinReplies reads recorded replies as [Source.Activities] reads both
// timelines: the as-flown rows (RoleAsFlown), then the planned schedule
// (RolePlanned) but for the observations the as-flown rows list, counted
// as SkipAsFlown. Errors name the reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var asflown, planned *connectors.Reply
	err := connectors.ReadRoles(rs, map[string]func([]byte) error{
		RoleAsFlown: func(b []byte) (err error) { asflown, err = ParseAsFlown(b); return err },
		RolePlanned: func(b []byte) (err error) { planned, err = ParsePlanned(b); return err },
	})
	switch {
	case err != nil:
		return nil, err
	case asflown == nil && planned == nil:
		return nil, fmt.Errorf("%s: no %s nor %s reply", Name, RoleAsFlown, RolePlanned)
	case planned == nil:
		return asflown, nil
	case asflown == nil:
		return planned, nil
	}
	return archive.Supersede(asflown, planned, SkipAsFlown), nil
}
