package xrism

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// The roles of the replies an XRISM listing joins ([JoinReplies]).
const (
	// RoleSchedule is the short-term schedule page (the format's own
	// reply).
	RoleSchedule = "schedule"
	// RoleProposals is DARTS's reply to the proposal query (an HTML table
	// with observation_id, proposal_type and awarded_exposure).
	RoleProposals = "proposals"
	// RoleToO is the generic ToO page (its first table: Seq, Exp. (ks)).
	RoleToO = "ToO page"
)

func html(p string) bool { return strings.HasSuffix(strings.ToLower(p), ".html") }

// roles are the replies of the registered xrism format.
var roles = []connectors.Role{
	{Name: RoleSchedule},
	{Name: RoleProposals, Optional: true, Recognize: func(p string, head []byte) bool {
		return html(p) && bytes.Contains(head, []byte("observation_id")) && bytes.Contains(head, []byte("awarded_exposure"))
	}},
	{Name: RoleToO, Optional: true, Recognize: func(p string, head []byte) bool {
		return html(p) && bytes.Contains(head, []byte("Seq")) && bytes.Contains(head, []byte("Exp. (ks)"))
	}},
}

// JoinReplies reads recorded replies as [Source.Activities] reads the
// live ones: the schedule (RoleSchedule) given the exposures of the
// proposal table (RoleProposals) and of the ToO page (RoleToO, read last,
// as the listing reads it). With the schedule alone it is what the format
// parses: no exposures. Errors name the reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var sched []byte
	var exposures map[string]Exposure
	table := func(parse func([]byte, map[string]Exposure) error) func([]byte) error {
		return func(b []byte) error {
			if exposures == nil {
				exposures = map[string]Exposure{}
			}
			return parse(b, exposures)
		}
	}
	err := connectors.ReadRoles(rs, map[string]func([]byte) error{
		RoleSchedule:  func(b []byte) error { sched = b; return nil },
		RoleProposals: table(ParseProposals),
		RoleToO:       table(ParseToO),
	})
	if err != nil {
		return nil, err
	}
	if sched == nil {
		return nil, fmt.Errorf("%s: no %s reply", Name, RoleSchedule)
	}
	res, err := ParseSchedule(sched, exposures)
	if err != nil {
		for _, r := range rs {
			if r.Role == RoleSchedule {
				return nil, fmt.Errorf("%s: %w", r.Name, err)
			}
		}
	}
	return res, err
}
