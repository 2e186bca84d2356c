// Package archive holds what the archive connectors (gemini, hst, swift)
// share beyond the public connectors package: HTML detection, typed JSON
// field reading, coordinates, instrument fields of view and the HTTP client
// built from connectors.HTTPOptions.
//
// It is internal to the connectors: the public surface of each connector is
// its own package.
package archive

import (
	"bytes"
	"regexp"
	"strings"
)

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
