// Package connectors holds the registry of activity sources and the helpers
// the connectors share. Each connector lives in a sub-package (eso, gemini,
// hst, swift, obscore) and registers itself by name from an init function,
// so a program that imports it can open it by name:
//
//	import _ "github.com/arcsecond-go/arcsecond/connectors/gemini"
//
//	src, err := connectors.Open("gemini", connectors.Config{})
//
// A program plugs in its own connector the same way, with [Register]. Every
// connector, the project's and a user's, should pass the conformance suite
// in connectors/connectortest.
package connectors

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"

	"github.com/arcsecond-go/arcsecond/activities"
)

// Config is what a factory receives to build a source. Fields a connector
// does not use are ignored.
type Config struct {
	// BaseURL overrides the service's address (for mirrors and tests).
	BaseURL string
	// HTTPClient, when set, carries the requests (for recorders, proxies and
	// tests). Connectors otherwise use the project's HTTP layer.
	HTTPClient *http.Client
	// Transport, when set, replaces the network transport under the
	// project's HTTP layer, keeping its retries and limits.
	Transport http.RoundTripper
	// Settings are connector-specific options by name ("token", "maxrec",
	// ...); each connector documents the ones it reads.
	Settings map[string]string
}

// Factory builds a source from a Config.
type Factory func(Config) (activities.Source, error)

var (
	mu       sync.RWMutex
	registry = map[string]Factory{}
)

// Register makes a connector available by name. It panics when name is
// empty, f is nil or the name is taken, as these are programming errors
// made at init time.
func Register(name string, f Factory) {
	mu.Lock()
	defer mu.Unlock()
	if name == "" || f == nil {
		panic("connectors: Register with an empty name or a nil factory")
	}
	if _, dup := registry[name]; dup {
		panic("connectors: Register called twice for " + name)
	}
	registry[name] = f
}

// Open builds the source registered under name.
func Open(name string, cfg Config) (activities.Source, error) {
	mu.RLock()
	f, ok := registry[name]
	mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("connectors: no connector named %q (registered: %v)", name, Names())
	}
	src, err := f(cfg)
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
func Registered(name string) bool { return slices.Contains(Names(), name) }
