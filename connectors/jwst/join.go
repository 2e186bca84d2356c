package jwst

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// The roles of the replies a JWST listing joins ([JoinReplies]).
const (
	// RoleSchedule is a weekly schedule file (the format's own reply).
	RoleSchedule = "schedule"
	// RoleMAST is MAST's rows for the schedule's proposals (a
	// Mast.Caom.Filtered reply, or a JSON array of its rows).
	RoleMAST = "MAST rows"
)

// WarnMASTPageFull counts a MAST reply that filled its page: some targets
// may lack a position.
const WarnMASTPageFull = "MAST rows reached the page size (some targets may lack a position)"

// recognizeMAST tells MAST rows from their first bytes: JSON with the
// columns Join reads.
func recognizeMAST(p string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return strings.HasSuffix(strings.ToLower(p), ".json") && len(h) > 0 && (h[0] == '[' || h[0] == '{') &&
		bytes.Contains(h, []byte(`"target_name"`)) && bytes.Contains(h, []byte(`"s_ra"`)) && bytes.Contains(h, []byte(`"em_min"`))
}

// roles are the replies of the registered jwst format.
var roles = []connectors.Role{
	{Name: RoleSchedule},
	{Name: RoleMAST, Recognize: recognizeMAST, Optional: true},
}

// JoinReplies reads recorded replies as [Source.Activities] reads the
// live ones: the schedule (RoleSchedule), and MAST's rows (RoleMAST) joined
// to its visits by [Join] when the schedule names proposals. Without MAST
// rows it is [ParseSchedule]. Errors name the reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var (
		res  *connectors.Reply
		rows []MASTRow
		mast bool
	)
	err := connectors.ReadRoles(rs, map[string]func([]byte) error{
		RoleSchedule: func(b []byte) (err error) { res, err = ParseSchedule(b); return err },
		RoleMAST:     func(b []byte) (err error) { rows, err = ParseMAST(b); mast = true; return err },
	})
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("%s: no %s reply", Name, RoleSchedule)
	}
	if mast && len(Proposals(res.Activities)) > 0 {
		if len(rows) >= MASTPageSize {
			res.Warn(WarnMASTPageFull)
		}
		Join(res.Activities, rows, res)
	}
	return res, nil
}
