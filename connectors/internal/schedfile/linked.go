package schedfile

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Link returns the href of the first <a> of the HTML page body for which
// match(text, href) holds, resolved against page. what names the link in
// the error when there is none; name is the connector's name.
func Link(name string, page *url.URL, body []byte, what string, match func(text, href string) bool) (string, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("%s: page: %w", name, err)
	}
	var href string
	doc.Find("a").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		h, _ := a.Attr("href")
		if match(a.Text(), h) {
			href = h
			return false
		}
		return true
	})
	if href == "" {
		title := strings.TrimSpace(doc.Find("title").First().Text())
		return "", &connectors.HTMLError{Source: name, What: what, Title: title}
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "", &connectors.SchemaError{Source: name, Column: "a[href]", Reason: fmt.Sprintf("bad link %.60q", href)}
	}
	return page.ResolveReference(ref).String(), nil
}

// FetchLinked reads the HTML page, finds the file's address on it with
// link and returns the body of that file (asked for as text/plain). The
// errors of the two requests start with pageWhat and fileWhat.
func FetchLinked(ctx context.Context, c *httpx.Client, page *url.URL, link func(page *url.URL, body []byte) (string, error),
	pageWhat, fileWhat string) ([]byte, error) {
	body, err := archive.GetPage(ctx, c, page.String())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pageWhat, err)
	}
	file, err := link(page, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, httpx.Request{URL: file, Header: http.Header{"Accept": {"text/plain"}}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fileWhat, err)
	}
	return resp.Body, nil
}
