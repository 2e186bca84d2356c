// Package archive holds what the archive connectors (gemini, hst, swift)
// share: the typed errors for schema drift and truncation, the per-reason
// counts of skipped records, and a small HTTP helper with deadlines,
// retries, Retry-After, a body size cap and credential redaction.
//
// It is internal to the connectors: the public surface of each connector is
// its own package.
package archive

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// SchemaError reports that an upstream reply no longer has the shape the
// connector was written for: a missing or renamed column, a value of the
// wrong type, an unknown format. Column names the field as the upstream
// spells it.
type SchemaError struct {
	Source string // connector name
	Column string // upstream column or field
	Reason string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s: schema drift in column %q: %s", e.Source, e.Column, e.Reason)
}

// ErrTruncated is matched (errors.Is) by a [*TruncatedError].
var ErrTruncated = errors.New("results truncated")

// TruncatedError reports that the upstream returned fewer records than match
// the query (a row limit, a paging cap, an OVERFLOW marker). Sources yield
// it after the records they did get, so truncation is never silent.
type TruncatedError struct {
	Source string
	// Limit is the number of records returned, or the upstream's limit when
	// known; 0 when unknown.
	Limit  int
	Reason string
}

func (e *TruncatedError) Error() string {
	s := e.Source + ": results truncated"
	if e.Limit > 0 {
		s += fmt.Sprintf(" at %d records", e.Limit)
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s + "; narrow the time window or the query"
}

func (e *TruncatedError) Is(target error) bool { return target == ErrTruncated }

// HTMLError reports an HTML page where the connector expected data (an
// error page, a login page, a row-limit page).
type HTMLError struct {
	Source string
	What   string // what was expected ("JSON", "timeline text")
	Title  string // the page's <title>, when found
}

func (e *HTMLError) Error() string {
	s := fmt.Sprintf("%s: got an HTML page instead of %s", e.Source, e.What)
	if e.Title != "" {
		s += fmt.Sprintf(" (title %q)", e.Title)
	}
	return s
}

// LooksLikeHTML reports whether b starts (after white space) like an HTML
// document, and returns its <title> when it has one.
func LooksLikeHTML(b []byte) (title string, ok bool) {
	head := b
	if len(head) > 8192 {
		head = head[:8192]
	}
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	l := bytes.ToLower(head[:min(len(head), 16)])
	if !bytes.HasPrefix(l, []byte("<!doctype html")) && !bytes.HasPrefix(l, []byte("<html")) &&
		!bytes.HasPrefix(l, []byte("<head")) && !bytes.HasPrefix(l, []byte("<body")) {
		return "", false
	}
	if m := titleRE.FindSubmatch(head); m != nil {
		title = strings.Join(strings.Fields(string(m[1])), " ")
	}
	return title, true
}

var titleRE = regexp.MustCompile(`(?is)<title>(.*?)</title>`)

// Counts counts skipped records and warnings by reason. It is safe for
// concurrent use; the zero value is ready.
type Counts struct {
	mu sync.Mutex
	m  map[string]int
}

// Add counts one more record for reason.
func (c *Counts) Add(reason string) { c.AddN(reason, 1) }

// AddN counts n more records for reason.
func (c *Counts) AddN(reason string, n int) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[reason] += n
	c.mu.Unlock()
}

// Map returns a copy of the counts.
func (c *Counts) Map() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.m))
	maps.Copy(out, c.m)
	return out
}

// Reset forgets every count.
func (c *Counts) Reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// Merge adds every count of m.
func (c *Counts) Merge(m map[string]int) {
	for k, v := range m {
		c.AddN(k, v)
	}
}

// Format renders counts as "reason=n, reason=n" sorted by reason.
func Format(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
