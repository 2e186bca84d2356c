package tap

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
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
// property="continuation" are returned as continuation URLs.
func ParseExamples(r io.Reader) ([]Example, []string, error) {
	doc, err := html.Parse(io.LimitReader(r, maxDocBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("examples: %w", err)
	}
	var out []Example
	var cont []string
	var walk func(n *html.Node, cur *Example, depth int)
	walk = func(n *html.Node, cur *Example, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode {
			if hasToken(attr(n, "typeof"), "example") {
				out = append(out, Example{ID: attr(n, "id")})
				cur = &out[len(out)-1]
				for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
					walk(ch, cur, depth+1)
				}
				if cur.ID == "" {
					cur.ID = strings.TrimPrefix(attr(n, "resource"), "#")
				}
				return
			}
			prop := attr(n, "property")
			switch {
			case hasToken(prop, "continuation"):
				if h := attr(n, "href"); h != "" {
					cont = append(cont, h)
				}
			case cur != nil && hasToken(prop, "name") && cur.Name == "":
				cur.Name = collapse(textOf(n))
			case cur != nil && hasToken(prop, "query") && cur.Query == "":
				cur.Query = strings.TrimSpace(textOf(n))
			case cur != nil && hasToken(prop, "table"):
				cur.Table = append(cur.Table, collapse(textOf(n)))
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, cur, depth+1)
		}
	}
	walk(doc, nil, 0)
	return out, cont, nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			rec(ch)
		}
	}
	rec(n)
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
