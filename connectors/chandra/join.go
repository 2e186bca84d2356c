package chandra

import (
	"bytes"
	"fmt"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// The roles of the replies a Chandra listing joins ([JoinReplies]).
const (
	// RoleObservations is the cxc.observation query's reply (the
	// format's own reply).
	RoleObservations = "cxc.observation rows"
	// RolePlans is the ivoa.obsplan query's reply (obs_id, target_name,
	// t_plan_exptime; VOTable).
	RolePlans = "ivoa.obsplan rows"
)

func recognizePlans(p string, head []byte) bool {
	return obscore.IsTableFile(p) && bytes.Contains(head, []byte(`name="obs_id"`)) &&
		bytes.Contains(head, []byte(`name="target_name"`)) && bytes.Contains(head, []byte(`name="t_plan_exptime"`))
}

// roles are the replies of the registered chandra format.
var roles = []connectors.Role{
	{Name: RoleObservations},
	{Name: RolePlans, Recognize: recognizePlans, Optional: true},
}

// JoinReplies reads recorded replies as [Source.Activities] reads the
// live ones: the scheduled observations (RoleObservations) given their
// targets and exposures by [Join] from the ivoa.obsplan rows (RolePlans).
// Without plans it is [ParseObservations]. Errors name the reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var (
		res   *connectors.Reply
		plans map[string]Plan
		has   bool
	)
	err := connectors.ReadRoles(rs, map[string]func([]byte) error{
		RoleObservations: func(b []byte) (err error) { res, err = ParseObservations(b); return err },
		RolePlans:        func(b []byte) (err error) { plans, err = ParsePlans(b); has = true; return err },
	})
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("%s: no %s reply", Name, RoleObservations)
	}
	if has && len(res.Activities) > 0 {
		Join(res.Activities, plans, res)
	}
	return res, nil
}
