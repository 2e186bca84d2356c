package euclid

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// DefaultPageURL is the page linking the current pointing file (ACROSS
// SCHEDULE_PAGE_URL); links on it are relative to its host.
const DefaultPageURL = "https://www.cosmos.esa.int/web/euclid/where-is-euclid-observing"

// Options configure a [Source].
type Options struct {
	PageURL string
	connectors.HTTPOptions
}

// Source lists Euclid's planned pointings.
type Source struct {
	page *url.URL
	http *httpx.Client
}

// New returns a Euclid source.
func New(o Options) (*Source, error) {
	if o.PageURL == "" {
		o.PageURL = DefaultPageURL
	}
	u, err := url.Parse(o.PageURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%s: bad URL %q", Name, httpx.RedactURL(o.PageURL))
	}
	return &Source{page: u, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{PageURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "Euclid planned pointing file (whitespace-separated records)",
			Parse: Parse,
			Recognize: func(p string, head []byte) bool {
				return strings.HasSuffix(strings.ToLower(p), ".txt") && bytes.Contains(head, []byte("POINTING ")) &&
					(bytes.Contains(head, []byte("SLEW ")) || bytes.Contains(head, []byte("START ")))
			},
		}},
	})
}

// Name returns "euclid".
func (s *Source) Name() string { return Name }

// FileLink returns the pointing file's address from the page: the first
// link whose text names a .txt file, resolved against the page.
func FileLink(page *url.URL, body []byte) (string, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		return "", fmt.Errorf("%s: page: %w", Name, err)
	}
	var href string
	doc.Find("a").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if strings.Contains(a.Text(), ".txt") {
			href, _ = a.Attr("href")
			return false
		}
		return true
	})
	if href == "" {
		title := strings.TrimSpace(doc.Find("title").First().Text())
		return "", &connectors.HTMLError{Source: Name, What: "a link to the pointing file (.txt)", Title: title}
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "", &connectors.SchemaError{Source: Name, Column: "a[href]", Reason: fmt.Sprintf("bad link %.60q", href)}
	}
	return page.ResolveReference(ref).String(), nil
}

// Activities lists the pointings of w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		resp, err := s.http.Do(ctx, httpx.Request{URL: s.page.String(), Header: http.Header{"Accept": {"text/html"}}})
		if err != nil {
			fail(fmt.Errorf("page: %w", err))
			return
		}
		file, err := FileLink(s.page, resp.Body)
		if err != nil {
			fail(err)
			return
		}
		resp, err = s.http.Do(ctx, httpx.Request{URL: file, Header: http.Header{"Accept": {"text/plain"}}})
		if err != nil {
			fail(fmt.Errorf("pointing file: %w", err))
			return
		}
		res, err := Parse(resp.Body)
		if err != nil {
			fail(err)
			return
		}
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}
