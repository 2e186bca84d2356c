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
	for _, r := range rs {
		var err error
		switch r.Role {
		case RolePointings:
			ps, skipped, err = ParsePointings(r.Body)
			pointed = true
		case RoleOrbits:
			orbits, err = ParseOrbits(r.Body)
		default:
			err = fmt.Errorf("%s: not a role of a %s reply", r.Role, Name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
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
