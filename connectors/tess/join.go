package tess

import (
	"bytes"
	"fmt"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// The roles of the replies a TESS listing joins ([JoinReplies]).
const (
	// RolePointings is tesswcs's pointings.csv (the format's own reply).
	RolePointings = "pointings"
	// RoleOrbits is TESS_orbit_times.csv.
	RoleOrbits = "orbit times"
)

func recognizeOrbits(p string, head []byte) bool {
	return obscore.IsTableFile(p) && bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff"), []byte("Sector,Orbit,Start of Orbit,End of Orbit"))
}

// roles are the replies of the registered tess format.
var roles = []connectors.Role{
	{Name: RolePointings},
	{Name: RoleOrbits, Recognize: recognizeOrbits, Optional: true},
}

// JoinReplies reads recorded replies as [Source.Activities] reads the
// live ones: the sectors' pointings (RolePointings) planned over the orbit
// times (RoleOrbits) by [Plan]. Without orbit times it is
// [ParsePointingsOnly]: a placeholder per sector. Errors name the reply.
func JoinReplies(rs []connectors.Recorded) (*connectors.Reply, error) {
	var (
		ps      []Pointing
		skipped int
		orbits  []Orbit
		pointed bool
	)
	err := connectors.ReadRoles(rs, map[string]func([]byte) error{
		RolePointings: func(b []byte) (err error) { ps, skipped, err = ParsePointings(b); pointed = true; return err },
		RoleOrbits:    func(b []byte) (err error) { orbits, err = ParseOrbits(b); return err },
	})
	if err != nil {
		return nil, err
	}
	if !pointed {
		return nil, fmt.Errorf("%s: no %s reply", Name, RolePointings)
	}
	res := Plan(ps, orbits)
	for range skipped {
		res.Records++
		res.Skip(SkipBadPointing)
	}
	return res, nil
}
