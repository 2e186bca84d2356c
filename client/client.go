// Package client is a typed Go client of an arcsecond node's HTTP API (the
// API of arcsecond.Node.Handler and activityd, documented by its
// /api/openapi.json), so that other programs consume a running node
// without writing HTTP by hand.
//
//	c := client.New("http://127.0.0.1:8080", client.Options{APIKey: os.Getenv("ARCSECOND_API_KEY")})
//	page, err := c.ListActivities(ctx, &client.ActivityListOptions{Source: "eso", Limit: 100})
//	for page != nil && err == nil {
//		... page.Activities ...
//		page, err = c.NextActivities(ctx, page)
//	}
//
// Every method takes a context first; a 4xx or 5xx answer is an [*Error].
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Options configure a Client.
type Options struct {
	// APIKey is sent as a bearer token (an "arc_…" key or a JWT); empty
	// sends none.
	APIKey string
	// HTTPClient carries the requests (default: a client with a 30 s
	// timeout).
	HTTPClient *http.Client
	// UserAgent (default "arcsecond-client").
	UserAgent string
}

// Client calls one node. It is safe for concurrent use.
type Client struct {
	base  *url.URL
	o     Options
	owner string // see ForOwner
}

// New returns a client of the node at baseURL ("http://host:port").
func New(baseURL string, o Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("client: base URL %q: want http(s)://host[:port]", baseURL)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.UserAgent == "" {
		o.UserAgent = "arcsecond-client"
	}
	return &Client{base: u, o: o}, nil
}

// Error is a 4xx or 5xx answer of the node.
type Error struct {
	StatusCode int
	// Message is the node's error; Field the invalid field, when one is.
	Message, Field string
	// RetryAfter is the wait a 429 or 503 asked for.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := fmt.Sprintf("arcsecond node: %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	return s
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

// do sends a request and decodes a JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, method, path string, q url.Values, ctype string, body []byte, out any) error {
	raw := c.base.String() + path
	if len(q) > 0 {
		raw += "?" + q.Encode()
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, raw, r)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.o.UserAgent)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.o.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.o.APIKey)
	}
	resp, err := c.o.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("client: %s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode >= 400 {
		e := &Error{StatusCode: resp.StatusCode}
		var body struct{ Error, Field string }
		if json.Unmarshal(b, &body) == nil && body.Error != "" {
			e.Message, e.Field = body.Error, body.Field
		} else {
			e.Message = strings.TrimSpace(string(b[:min(len(b), 200)]))
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			e.RetryAfter = time.Duration(s) * time.Second
		}
		return e
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("client: %s %s: decoding the answer: %w", method, path, err)
	}
	return nil
}
