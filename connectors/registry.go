// Package connectors is the portable layer in front of the activity
// sources. Each connector (a driver) lives in a sub-package (eso, gemini,
// hst, swift, obscore, jsonl) and registers a [Driver] by name from an init
// function, so a program that imports it can open it by name:
//
//	import _ "github.com/arcsecond-go/arcsecond/connectors/gemini"
//
//	src, err := connectors.Open("gemini", connectors.Config{})
//
// What every connector shares lives here:
//   - [HTTPOptions], embedded in each connector's options and in [Config];
//   - the error kinds ([ErrTruncated], [ErrAuthRequired], [ErrAuthExpired],
//     [ErrUnavailable], [ErrSchemaDrift], [ErrRejected], [ErrInvalid]) that
//     every listing error matches with errors.Is, and the typed errors
//     behind them ([SchemaError], [TruncatedError], [AuthError],
//     [HTMLError]);
//   - [Stats], the counts of one listing, carried by its context
//     ([WithStats]) so that concurrent listings never mix them;
//   - [Reply] and [Parser], what a connector makes of one reply, live or
//     recorded; a driver registers its parsers with it; a joining format
//     ([Parser.Roles], [Parser.Join]) combines several recorded replies as
//     a live listing combines them ([ParseReplies], [GroupReplies]);
//   - [Credential], the one environment lookup for credentials; each
//     driver documents its variables ([Env]).
//
// [Open] rejects settings a driver does not declare, naming the key, so a
// typo cannot silently widen a query. A program plugs in its own connector
// with [Register]. Every connector, the project's and a user's, should pass
// the conformance suite in connectors/connectortest.
package connectors

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Config is what a driver's Open receives to build a source.
type Config struct {
	// BaseURL overrides the service's address (for mirrors and tests).
	BaseURL string
	// HTTPOptions carry the requests' transport, timeouts and limits.
	HTTPOptions
	// Settings are connector-specific options by name ("token", "maxrec",
	// ...); each driver declares the ones it reads ([Driver.Settings]) and
	// [Open] rejects any other.
	Settings map[string]string
}

// Factory builds a source from a Config.
type Factory func(Config) (activities.Source, error)

// Driver is what a connector registers.
type Driver struct {
	// Open builds a source. Required.
	Open Factory
	// Settings maps each Config.Settings key the driver reads to a line of
	// help; [Open] rejects the others.
	Settings map[string]string
	// Env maps each environment variable the driver reads (credentials,
	// the service's address) to a line of help.
	Env map[string]string
	// Parsers are the reply formats of the service, for recorded replies.
	Parsers []Parser
}

var (
	mu       sync.RWMutex
	registry = map[string]Driver{}
	parsers  = map[string]Parser{}
	order    []string // parser registration order
)

// Register makes a connector available by name. It panics when name is
// empty, d.Open is nil, or the name or one of its parsers' names is taken,
// as these are programming errors made at init time.
func Register(name string, d Driver) {
	mu.Lock()
	defer mu.Unlock()
	if name == "" || d.Open == nil {
		panic("connectors: Register with an empty name or a nil Open")
	}
	if _, dup := registry[name]; dup {
		panic("connectors: Register called twice for " + name)
	}
	for _, p := range d.Parsers {
		if p.Name == "" || p.Parse == nil {
			panic("connectors: " + name + ": a parser needs a name and a Parse function")
		}
		if _, dup := parsers[p.Name]; dup {
			panic("connectors: parser registered twice: " + p.Name)
		}
		if err := checkRoles(p); err != nil {
			panic("connectors: " + name + ": " + err.Error())
		}
	}
	registry[name] = d
	for _, p := range d.Parsers {
		parsers[p.Name] = p
		order = append(order, p.Name)
	}
}

// Open builds the source registered under name. A Settings key the driver
// does not declare is an error naming it.
func Open(name string, cfg Config) (activities.Source, error) {
	mu.RLock()
	d, ok := registry[name]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("connectors: no connector named %q (registered: %v)", name, Names())
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.Settings)) {
		if _, known := d.Settings[k]; !known {
			known := "none"
			if len(d.Settings) > 0 {
				known = strings.Join(slices.Sorted(maps.Keys(d.Settings)), ", ")
			}
			return nil, fmt.Errorf("connectors: opening %s: unknown setting %q (known: %s): %w", name, k, known, ErrInvalid)
		}
	}
	src, err := d.Open(cfg)
	if err != nil {
		return nil, fmt.Errorf("connectors: opening %s: %w", name, err)
	}
	return src, nil
}

// Names lists the registered connectors, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Registered reports whether a connector of that name is registered.
func Registered(name string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := registry[name]
	return ok
}

// Settings returns the settings the named driver declares, with their help.
func Settings(name string) map[string]string {
	mu.RLock()
	defer mu.RUnlock()
	return maps.Clone(registry[name].Settings)
}

// Env returns the environment variables the named driver reads, with their
// help.
func Env(name string) map[string]string {
	mu.RLock()
	defer mu.RUnlock()
	return maps.Clone(registry[name].Env)
}

// LookupParser returns the reply format with this name.
func LookupParser(name string) (Parser, bool) {
	mu.RLock()
	defer mu.RUnlock()
	p, ok := parsers[name]
	return p, ok
}

// ParserNames lists the registered reply formats, sorted.
func ParserNames() []string {
	mu.RLock()
	defer mu.RUnlock()
	return slices.Sorted(maps.Keys(parsers))
}

// Recognize returns the name of the reply format of a file, from its path
// and first bytes, or "" when no registered format recognizes it. Formats
// are tried in registration order, generic ones last.
func Recognize(path string, head []byte) string {
	mu.RLock()
	defer mu.RUnlock()
	for _, generic := range []bool{false, true} {
		for _, n := range order {
			if p := parsers[n]; p.Generic == generic && p.Recognize != nil && p.Recognize(path, head) {
				return n
			}
		}
	}
	return ""
}

// ParseReply parses a reply with the named format.
func ParseReply(format string, body []byte) (*Reply, error) {
	p, ok := LookupParser(format)
	if !ok {
		return nil, fmt.Errorf("connectors: unknown reply format %q (known: %s)", format, strings.Join(ParserNames(), ", "))
	}
	r, err := p.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("connectors: %s reply: %w", format, err)
	}
	return r, nil
}

// Role is one of the replies a joining format combines ([Parser.Roles]).
type Role struct {
	// Name says which reply it is ("schedule", "MAST rows"): errors and
	// programs name the role by it.
	Name string
	// Recognize reports whether a recorded reply plays this role, from its
	// slash-separated path and first bytes (up to [HeadSize]). Nil: the
	// format's own Parser.Recognize.
	Recognize func(path string, head []byte) bool
	// Optional marks a role a join can do without (the rows that complete
	// a schedule); a role that is not optional must be played.
	Optional bool
	// Many marks a role several replies may play (one timeline per
	// revolution); the others take one reply at most.
	Many bool
}

// Recorded is a recorded reply given to a joining format.
type Recorded struct {
	// Name is where the reply was found (a slash-separated file path):
	// roles are recognized from it and the first bytes of Body, and errors
	// name the reply by it.
	Name string
	Body []byte
	// Role is the role the reply plays, set by [AssignRoles].
	Role string
}

func (r Recorded) head() []byte { return r.Body[:min(len(r.Body), HeadSize)] }

// RoleError is a set of recorded replies that a joining format cannot
// combine: a reply that plays none of its roles, a role played by more
// replies than it takes, or a role that must be played and is not. It
// matches [ErrInvalid].
type RoleError struct {
	Format string
	// Role is the role missing or played twice; "" for a reply that plays
	// none.
	Role string
	// Replies are the names of the replies concerned (none for a missing
	// role).
	Replies []string
	// Roles are the format's roles, by name.
	Roles []string
}

func (e *RoleError) Error() string {
	roles := strings.Join(e.Roles, ", ")
	switch {
	case e.Role == "":
		return fmt.Sprintf("connectors: %s: %s plays none of the roles of a %s reply (%s)", e.Format, strings.Join(e.Replies, ", "), e.Format, roles)
	case len(e.Replies) > 1:
		return fmt.Sprintf("connectors: %s: %s all play the %s role, which takes one reply", e.Format, strings.Join(e.Replies, " and "), e.Role)
	default:
		return fmt.Sprintf("connectors: %s: no reply plays the %s role (roles: %s)", e.Format, e.Role, roles)
	}
}

// Unwrap returns ErrInvalid.
func (e *RoleError) Unwrap() error { return ErrInvalid }

func checkRoles(p Parser) error {
	if (p.Join == nil) != (len(p.Roles) == 0) {
		return fmt.Errorf("parser %s: Roles and Join go together", p.Name)
	}
	seen := map[string]bool{}
	for i, r := range p.Roles {
		if r.Name == "" || seen[r.Name] {
			return fmt.Errorf("parser %s: role %d has an empty or repeated name %q", p.Name, i, r.Name)
		}
		if r.Recognize == nil && p.Recognize == nil {
			return fmt.Errorf("parser %s: role %s recognizes nothing", p.Name, r.Name)
		}
		seen[r.Name] = true
	}
	return nil
}

// JoinRoles returns the roles of a joining format; nil for a format that
// reads one reply alone or is not registered.
func JoinRoles(format string) []Role {
	p, ok := LookupParser(format)
	if !ok {
		return nil
	}
	return slices.Clone(p.Roles)
}

// roleOf returns the index of the first role of p that recognizes r, or -1.
func roleOf(p Parser, r Recorded) int {
	for i, role := range p.Roles {
		rec := role.Recognize
		if rec == nil {
			rec = p.Recognize
		}
		if rec(r.Name, r.head()) {
			return i
		}
	}
	return -1
}

// RecognizeRole returns the joining format and the role a reply plays in
// it, from its slash-separated path and first bytes (up to [HeadSize]):
// the first joining format, in registration order, one of whose roles
// recognizes it; "", "" when none does.
func RecognizeRole(path string, head []byte) (format, role string) {
	r := Recorded{Name: path, Body: head}
	for _, p := range joiningParsers() {
		if i := roleOf(p, r); i >= 0 {
			return p.Name, p.Roles[i].Name
		}
	}
	return "", ""
}

// joiningParsers returns the joining formats, in registration order.
func joiningParsers() []Parser {
	mu.RLock()
	defer mu.RUnlock()
	var joins []Parser
	for _, n := range order {
		if p := parsers[n]; p.Join != nil {
			joins = append(joins, p)
		}
	}
	return joins
}

// AssignRoles recognizes the role each reply plays in the joining format
// (the first of its roles that recognizes it) and returns the replies
// with Role set, ordered by role, in the order of Parser.Roles, then as
// given. It is an error, a [*RoleError] naming the reply or the role, when
// a reply plays none of the roles, when a role that is not Many is played
// by two replies, or when a role that is not Optional is played by none;
// and when the format is unknown or does not join.
func AssignRoles(format string, replies ...Recorded) ([]Recorded, error) {
	p, ok := LookupParser(format)
	if !ok {
		return nil, fmt.Errorf("connectors: unknown reply format %q (known: %s): %w", format, strings.Join(ParserNames(), ", "), ErrInvalid)
	}
	if p.Join == nil {
		return nil, fmt.Errorf("connectors: %s reads one reply at a time; it joins none: %w", format, ErrInvalid)
	}
	names := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		names[i] = r.Name
	}
	byRole := make([][]Recorded, len(p.Roles))
	for _, r := range replies {
		i := roleOf(p, r)
		if i < 0 {
			return nil, &RoleError{Format: format, Replies: []string{r.Name}, Roles: names}
		}
		r.Role = p.Roles[i].Name
		byRole[i] = append(byRole[i], r)
	}
	out := make([]Recorded, 0, len(replies))
	for i, role := range p.Roles {
		rs := byRole[i]
		if len(rs) > 1 && !role.Many {
			dup := make([]string, len(rs))
			for k, r := range rs {
				dup[k] = r.Name
			}
			return nil, &RoleError{Format: format, Role: role.Name, Replies: dup, Roles: names}
		}
		if len(rs) == 0 && !role.Optional {
			return nil, &RoleError{Format: format, Role: role.Name, Roles: names}
		}
		out = append(out, rs...)
	}
	return out, nil
}

// ReadRoles is the loop of a Join function: it calls, for each reply in
// order, the read function of its role, and stops at the first error,
// wrapped with the reply's name. A reply whose role has no read function
// is an error naming both.
func ReadRoles(replies []Recorded, read map[string]func(body []byte) error) error {
	for _, r := range replies {
		f := read[r.Role]
		if f == nil {
			return fmt.Errorf("%s: %q is not a role of this join: %w", r.Name, r.Role, ErrInvalid)
		}
		if err := f(r.Body); err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	return nil
}

// ParseReplies parses recorded replies of one format together, as a live
// listing of its service reads them. A format that joins nothing reads
// exactly one reply, as [ParseReply]. A joining format's replies get their
// roles from [AssignRoles] and its Join combines them; given only the
// reply of its first role, a join gives what Parse gives.
func ParseReplies(format string, replies ...Recorded) (*Reply, error) {
	p, ok := LookupParser(format)
	if !ok {
		return nil, fmt.Errorf("connectors: unknown reply format %q (known: %s)", format, strings.Join(ParserNames(), ", "))
	}
	if p.Join == nil {
		if len(replies) != 1 {
			return nil, fmt.Errorf("connectors: %s reads one reply at a time, not %d: %w", format, len(replies), ErrInvalid)
		}
		return ParseReply(format, replies[0].Body)
	}
	rs, err := AssignRoles(format, replies...)
	if err != nil {
		return nil, err
	}
	r, err := p.Join(rs)
	if err != nil {
		return nil, fmt.Errorf("connectors: %s replies: %w", format, err)
	}
	return r, nil
}

// Group is what one parse reads: one recorded reply of a format, or the
// replies a joining format combines (with their Role set).
type Group struct {
	Format  string
	Replies []Recorded
}

// Parse parses the group's replies with [ParseReplies].
func (g Group) Parse() (*Reply, error) { return ParseReplies(g.Format, g.Replies...) }

// GroupReplies sorts the recorded replies of one service (a connector's
// testdata folder) into the parses that read them. The replies that some
// role of a joining format recognizes form one group when there are
// several and [AssignRoles] accepts them (joining formats are tried in
// registration order, each reply going to the first); every other reply
// that a format recognizes ([Recognize]) is a group of its own. Groups
// come in the order of their first reply; unknown lists the replies that
// neither a format nor a role recognizes.
func GroupReplies(replies ...Recorded) (groups []Group, unknown []string) {
	joins := joiningParsers()
	claim := make([]int, len(replies)) // index in joins + 1, 0 for none
	members := make([][]Recorded, len(joins))
	for i, r := range replies {
		for j, p := range joins {
			if roleOf(p, r) >= 0 {
				claim[i] = j + 1
				members[j] = append(members[j], r)
				break
			}
		}
	}
	joined := make([]bool, len(joins))
	for j, p := range joins {
		if len(members[j]) < 2 {
			continue
		}
		if rs, err := AssignRoles(p.Name, members[j]...); err == nil {
			members[j] = rs
			joined[j] = true
		}
	}
	for i, r := range replies {
		if c := claim[i]; c > 0 && joined[c-1] {
			if members[c-1] != nil {
				groups = append(groups, Group{Format: joins[c-1].Name, Replies: members[c-1]})
				members[c-1] = nil
			}
			continue
		}
		if f := Recognize(r.Name, r.head()); f != "" {
			groups = append(groups, Group{Format: f, Replies: []Recorded{r}})
		} else {
			unknown = append(unknown, r.Name)
		}
	}
	return groups, unknown
}
