package chandra

import (
	"bytes"
	"fmt"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
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
	// RoleAsFlown is the as-flown query's reply ([AsFlownQuery]).
	RoleAsFlown = "as-flown cxc.observation rows"
)

// AsFlownFormat names the format of the as-flown replies alone.
const AsFlownFormat = "chandra-asflown"

// SkipAsFlown counts scheduled observations the as-flown rows list: the
// listing gives them once, as done.
const SkipAsFlown = "listed by the as-flown rows"

func recognizeScheduled(p string, head []byte) bool {
	return obscore.IsTableFile(p) && bytes.Contains(head, []byte(`name="obsid"`)) && bytes.Contains(head, []byte(`name="exposure_mode"`)) &&
		!bytes.Contains(head, []byte(`name="exposure_time"`))
}

func recognizeAsFlown(p string, head []byte) bool {
	return obscore.IsTableFile(p) && bytes.Contains(head, []byte(`name="obsid"`)) && bytes.Contains(head, []byte(`name="exposure_time"`)) &&
		bytes.Contains(head, []byte(`name="status"`))
}

func recognizePlans(p string, head []byte) bool {
	return obscore.IsTableFile(p) && bytes.Contains(head, []byte(`name="obs_id"`)) &&
		bytes.Contains(head, []byte(`name="target_name"`)) && bytes.Contains(head, []byte(`name="t_plan_exptime"`))
}

// roles are the replies of the registered chandra format.
var roles = []connectors.Role{
	{Name: RoleObservations},
	{Name: RolePlans, Recognize: recognizePlans, Optional: true},
	{Name: RoleAsFlown, Recognize: recognizeAsFlown, Optional: true},
}

// Merge is a listing of both timelines: the as-flown rows, then the
// scheduled ones but for the observations the as-flown rows list (an
// observation is listed once, as done; the others are counted under
// SkipAsFlown). Records, skips and warnings add up; it is truncated if
// either is.
func Merge(flown, scheduled *connectors.Reply) *connectors.Reply {
	return archive.Supersede(flown, scheduled, SkipAsFlown)
}

// JoinReplies reads recorded replies as [Source.Activities] reads the
// live ones: the scheduled observations (RoleObservations) given their
// targets and exposures by [Join] from the ivoa.obsplan rows (RolePlans),
// then [Merge]d after the as-flown rows (RoleAsFlown) when given. Without
// plans nor as-flown rows it is [ParseObservations]. Errors name the
// reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var (
		res, flown *connectors.Reply
		plans      map[string]Plan
		has        bool
	)
	err := connectors.ReadRoles(rs, map[string]func([]byte) error{
		RoleObservations: func(b []byte) (err error) { res, err = ParseObservations(b); return err },
		RolePlans:        func(b []byte) (err error) { plans, err = ParsePlans(b); has = true; return err },
		RoleAsFlown:      func(b []byte) (err error) { flown, err = ParseAsFlown(b); return err },
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
	if flown != nil {
		res = Merge(flown, res)
	}
	return res, nil
}
