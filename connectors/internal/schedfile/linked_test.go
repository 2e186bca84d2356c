package schedfile

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
)

func TestLink(t *testing.T) {
	page, _ := url.Parse("https://example.org/dir/page.html")
	body := []byte(`<html><head><title>Plans</title></head><body>
<a>no href.txt</a><a href="a.pdf">a.pdf</a><a href="files/b.txt">b.txt</a><a href="/c.txt">c.txt</a></body></html>`)
	byHref := func(_, href string) bool { return strings.HasSuffix(href, ".txt") }
	if got, err := Link("x", page, body, "a .txt link", byHref); err != nil || got != "https://example.org/dir/files/b.txt" {
		t.Errorf("Link by href = %q, %v; want the first .txt href resolved against the page", got, err)
	}
	// Matching on text picks the first anchor, which has no href: that is
	// reported as a missing link, naming the page's title.
	byText := func(text, _ string) bool { return strings.Contains(text, ".txt") }
	_, err := Link("x", page, body, "a .txt link", byText)
	var he *connectors.HTMLError
	if !errors.As(err, &he) || he.Title != "Plans" || he.What != "a .txt link" || he.Source != "x" {
		t.Errorf("Link on an anchor without href: err = %v, want an HTMLError naming the title", err)
	}
	var se *connectors.SchemaError
	if _, err := Link("x", page, []byte(`<a href="http://[bad">f.txt</a>`), "a .txt link", byText); !errors.As(err, &se) {
		t.Errorf("Link on a bad href: err = %v, want a SchemaError", err)
	}
}
