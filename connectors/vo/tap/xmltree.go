package tap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The VOSI and UWS documents a TAP service returns are small; they are read
// into a light element tree (local names only, namespaces ignored, because
// services disagree on prefixes and namespace versions) and mapped from it.

// maxDocBytes bounds any VOSI, UWS or error document read into memory.
const maxDocBytes = 64 << 20

// maxDepth bounds element nesting, so hostile input cannot exhaust the stack.
const maxDepth = 200

// node is one XML element.
type node struct {
	name     string // local name
	space    string // namespace URL (or undeclared prefix) as the decoder saw it
	attrs    []xml.Attr
	text     strings.Builder
	children []*node
	line     int
}

// attr returns the value of the attribute with local name n.
func (e *node) attr(n string) string {
	for _, a := range e.attrs {
		if a.Name.Local == n {
			return a.Value
		}
	}
	return ""
}

// Text returns the trimmed character content of the element itself.
func (e *node) Text() string { return strings.TrimSpace(e.text.String()) }

// all returns the children named n.
func (e *node) all(n string) []*node {
	var out []*node
	for _, c := range e.children {
		if c.name == n {
			out = append(out, c)
		}
	}
	return out
}

// one returns the single child named n, nil when absent, and an error
// naming the element when it is repeated.
func (e *node) one(n string) (*node, error) {
	var found *node
	for _, c := range e.children {
		if c.name == n {
			if found != nil {
				return nil, fmt.Errorf("element <%s> repeated inside <%s> (line %d)", n, e.name, c.line)
			}
			found = c
		}
	}
	return found, nil
}

// childText returns the text of the single child named n ("" when absent).
func (e *node) childText(n string) (string, error) {
	c, err := e.one(n)
	if err != nil || c == nil {
		return "", err
	}
	return c.Text(), nil
}

// parseTree reads a whole XML document into an element tree. It never
// fetches anything (DTDs and entities are not resolved) and bounds size
// and depth.
func parseTree(r io.Reader) (*node, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDocBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading document: %w", err)
	}
	if len(data) > maxDocBytes {
		return nil, fmt.Errorf("document larger than %d bytes", maxDocBytes)
	}
	return parseTreeBytes(data)
}

func parseTreeBytes(data []byte) (*node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty document")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("malformed XML near line %d: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("elements nested deeper than %d", maxDepth)
			}
			line, _ := d.InputPos()
			n := &node{name: t.Name.Local, space: t.Name.Space, attrs: t.Attr, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("second root element <%s> at line %d", t.Name.Local, line)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		case xml.Directive:
			// A DOCTYPE: ignored, never fetched.
		}
	}
	if root == nil {
		return nil, errors.New("no XML element in document")
	}
	return root, nil
}

// charsetReader accepts the encodings real services declare: UTF-8 and
// ASCII as they are, ISO-8859-1 (and windows-1252, read as Latin-1)
// converted to UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}
