package tap

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Capabilities reads the service's VOSI capabilities ({base}/capabilities).
func (c *Client) Capabilities(ctx context.Context) (*Capabilities, error) {
	u := c.endpoint("capabilities")
	resp, err := c.get(ctx, "capabilities", u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	caps, err := ParseCapabilities(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: capabilities at %s: %w", redactURL(u), err)
	}
	return caps, nil
}

// Tables reads the service's table metadata ({base}/tables). Large
// services may answer with table names only (detail=min); Table then
// gives the columns of one.
func (c *Client) Tables(ctx context.Context) (*TableSet, error) {
	u := c.endpoint("tables")
	resp, err := c.get(ctx, "tables", u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	ts, err := ParseTableSet(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: tables at %s: %w", redactURL(u), err)
	}
	return ts, nil
}

// Table reads the metadata of one table ({base}/tables/{name}).
func (c *Client) Table(ctx context.Context, name string) (*Table, error) {
	u := c.endpoint("tables", url.PathEscape(name))
	resp, err := c.get(ctx, "table "+name, u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	ts, err := ParseTableSet(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: table %s at %s: %w", name, redactURL(u), err)
	}
	if t := ts.Table(name); t != nil {
		return t, nil
	}
	for _, s := range ts.Schemas {
		if len(s.Tables) == 1 {
			return &s.Tables[0], nil
		}
	}
	return nil, fmt.Errorf("tap: table %s at %s: the document does not describe it", name, redactURL(u))
}

// Availability reads the service's VOSI availability ({base}/availability).
func (c *Client) Availability(ctx context.Context) (*Availability, error) {
	u := c.endpoint("availability")
	resp, err := c.get(ctx, "availability", u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	a, err := ParseAvailability(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: availability at %s: %w", redactURL(u), err)
	}
	return a, nil
}

// Example is one query of a service's DALI examples document.
type Example struct {
	ID    string // the element's id (its anchor)
	Name  string
	Query string
	Table []string // tables the example names (property="table"), if any
}

// Examples reads the service's example queries ({base}/examples, DALI
// 1.1 section 2.3: XHTML with RDFa properties "name" and "query").
// Continuation documents are not followed; their URLs are returned.
func (c *Client) Examples(ctx context.Context) ([]Example, []string, error) {
	u := c.endpoint("examples")
	resp, err := c.get(ctx, "examples", u)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	ex, cont, err := ParseExamples(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("tap: examples at %s: %w", redactURL(u), err)
	}
	return ex, cont, nil
}

// ParseExamples reads a DALI examples document: every element with
// typeof="example" is one example; inside it, the texts of the elements
// with property="name", "query" and "table". Links with
// property="continuation" are returned as continuation URLs. DALI requires
// XHTML; common HTML leniencies (unclosed void elements, entities) are
// tolerated.
func ParseExamples(r io.Reader) ([]Example, []string, error) {
	d := xml.NewDecoder(io.LimitReader(r, maxDocBytes))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	type open struct {
		exampleStart bool   // this element starts an example
		prop         string // its property attribute
		text         *strings.Builder
	}
	var stack []open
	var out []Example
	var cont []string
	cur := -1 // index in out of the example being read
	depthOf := -1
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, nil, fmt.Errorf("examples: malformed document near line %d: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, nil, fmt.Errorf("examples: elements nested deeper than %d", maxDepth)
			}
			o := open{prop: attrValue(t.Attr, "property")}
			if hasToken(attrValue(t.Attr, "typeof"), "example") {
				id := attrValue(t.Attr, "id")
				if id == "" {
					id = strings.TrimPrefix(attrValue(t.Attr, "resource"), "#")
				}
				out = append(out, Example{ID: id})
				cur, depthOf = len(out)-1, len(stack)
				o.exampleStart = true
			}
			if hasToken(o.prop, "continuation") {
				if h := attrValue(t.Attr, "href"); h != "" {
					cont = append(cont, h)
				}
			}
			if cur >= 0 && (hasToken(o.prop, "name") || hasToken(o.prop, "query") || hasToken(o.prop, "table")) {
				o.text = &strings.Builder{}
			}
			stack = append(stack, o)
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if o.text != nil && cur >= 0 {
				ex := &out[cur]
				switch {
				case hasToken(o.prop, "name") && ex.Name == "":
					ex.Name = collapse(o.text.String())
				case hasToken(o.prop, "query") && ex.Query == "":
					ex.Query = strings.TrimSpace(o.text.String())
				case hasToken(o.prop, "table"):
					ex.Table = append(ex.Table, collapse(o.text.String()))
				}
			}
			if o.exampleStart && len(stack) == depthOf {
				cur, depthOf = -1, -1
			}
		case xml.CharData:
			// Text counts for every enclosing property element.
			for i := range stack {
				if stack[i].text != nil {
					stack[i].text.Write(t)
				}
			}
		}
	}
	return out, cont, nil
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
