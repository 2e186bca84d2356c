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
//     recorded; a driver registers its parsers with it;
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
