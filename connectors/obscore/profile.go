package obscore

import (
	"slices"
	"strings"
)

// Profile says how one service fills the ObsCore columns whose meaning the
// standard leaves open. obs_creator_name is "the name of the creator of the
// data" (IVOA ObsCore 1.1, §4.5), which is the PI only where the service
// says so.
type Profile struct {
	// Name of the profile ("generic", "eso", "alma").
	Name string
	// CreatorIsPI: obs_creator_name names the programme's PI, and becomes
	// Programme.PI. Otherwise (the generic profile) the creator is listed
	// first in Programme.Investigators and PI stays empty.
	CreatorIsPI bool
	// AuthorsColumn, when set, is a service column listing the proposal's
	// authors (comma-separated "Last, First" pairs are kept whole), read
	// into Programme.Investigators.
	AuthorsColumn string
	// BandColumn, when set, is a service column naming the receiver band,
	// read into Filter as "Band N".
	BandColumn string
}

// The profiles. Their citations are in testdata/PROVENANCE.md and in
// TestProfileContract.
var (
	// GenericProfile: obs_creator_name is a creator, not a PI.
	GenericProfile = Profile{Name: "generic"}
	// ESOProfile: ESO's ivoa.ObsCore fills obs_creator_name with the PI
	// of the programme.
	ESOProfile = Profile{Name: "eso", CreatorIsPI: true}
	// ALMAProfile: ALMA fills obs_creator_name with the PI, adds
	// proposal_authors and band_list.
	ALMAProfile = Profile{Name: "alma", CreatorIsPI: true, AuthorsColumn: "proposal_authors", BandColumn: "band_list"}
)

// LookupProfile returns the profile of that name.
func LookupProfile(name string) (Profile, bool) {
	for _, p := range []Profile{GenericProfile, ESOProfile, ALMAProfile} {
		if p.Name == strings.ToLower(name) {
			return p, true
		}
	}
	return Profile{}, false
}

// ProfileNames lists the profiles' names.
func ProfileNames() []string { return []string{"generic", "eso", "alma"} }

// splitAuthors splits an author list on ";" when it has one, else on ", "
// pairs of "Last, First": ALMA writes "Koda, Jin; Sawada, Tsuyoshi" or
// "Koda, Jin, Sawada, Tsuyoshi".
func splitAuthors(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var parts []string
	if strings.Contains(s, ";") {
		parts = strings.Split(s, ";")
	} else {
		f := strings.Split(s, ",")
		for i := 0; i < len(f); i += 2 {
			if i+1 < len(f) {
				parts = append(parts, f[i]+","+f[i+1])
			} else {
				parts = append(parts, f[i])
			}
		}
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
