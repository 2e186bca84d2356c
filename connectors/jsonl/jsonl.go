// Package jsonl is a connector for activity feeds published in the SDK's own
// encoding: JSON Lines, one activity per line, as documented by
// activities/activity.schema.json. It lets any service that can write that
// format (an observatory's in-house scheduler, another arcsecond server, a
// static file) become a source, and it is the small reference connector the
// conformance suite runs against.
//
//	src, err := jsonl.New(jsonl.Options{Name: "myobs", URL: "https://obs.example/activities.jsonl"})
//
// The URL may also be a file:// URL or a plain path. The source asks HTTP
// URLs for the window with the query parameters start and end (RFC 3339)
// and filters the lines it receives to the window as well.
package jsonl

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// Options configures a source.
type Options struct {
	// Name is the source's name; every line's source and ID prefix must match
	// it. Required.
	Name string
	// URL is an http(s) or file URL, or a local path. Required.
	URL string
	// Client carries HTTP requests; http.DefaultClient when nil.
	Client *http.Client
	// MaxLineBytes caps one line (default 1 MiB).
	MaxLineBytes int
}

// Source reads a JSON Lines activity feed.
type Source struct {
	opts Options
}

func init() {
	connectors.Register("jsonl", func(c connectors.Config) (activities.Source, error) {
		client := c.HTTPClient
		if client == nil && c.Transport != nil {
			client = &http.Client{Transport: c.Transport}
		}
		return New(Options{Name: c.Settings["name"], URL: c.BaseURL, Client: client})
	})
}

// New checks the options and returns a source.
func New(o Options) (*Source, error) {
	if strings.TrimSpace(o.Name) == "" {
		return nil, errors.New("jsonl: Options.Name is empty")
	}
	if o.URL == "" {
		return nil, errors.New("jsonl: Options.URL is empty")
	}
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = 1 << 20
	}
	return &Source{opts: o}, nil
}

// Name returns the source's name.
func (s *Source) Name() string { return s.opts.Name }

// Activities lists the feed's activities overlapping w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, activities.WrapError(s.opts.Name, err)) }
		body, err := s.open(ctx, w)
		if err != nil {
			fail(err)
			return
		}
		defer body.Close()
		// Closing the body unblocks a read when ctx is cancelled mid-stream.
		stop := context.AfterFunc(ctx, func() { body.Close() })
		defer stop()
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 0, 64<<10), s.opts.MaxLineBytes)
		line := 0
		for sc.Scan() {
			line++
			if err := ctx.Err(); err != nil {
				fail(err)
				return
			}
			b := sc.Bytes()
			if len(strings.TrimSpace(string(b))) == 0 {
				continue
			}
			var a activities.Activity
			if err := json.Unmarshal(b, &a); err != nil {
				fail(fmt.Errorf("line %d: %w", line, err))
				return
			}
			if a.Source != s.opts.Name {
				fail(fmt.Errorf("line %d: source %q, want %q", line, a.Source, s.opts.Name))
				return
			}
			if err := a.Validate(); err != nil {
				fail(fmt.Errorf("line %d: %w", line, err))
				return
			}
			if !a.Start.IsZero() && !w.Overlaps(a.Start, a.End) {
				continue
			}
			if !yield(a, nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			fail(err)
			return
		}
		if err := sc.Err(); err != nil {
			fail(fmt.Errorf("reading line %d: %w", line+1, err))
		}
	}
}

func (s *Source) open(ctx context.Context, w activities.Window) (io.ReadCloser, error) {
	u, err := url.Parse(s.opts.URL)
	if err != nil {
		return nil, fmt.Errorf("parsing URL: %w", err)
	}
	switch u.Scheme {
	case "", "file":
		path := s.opts.URL
		if u.Scheme == "file" {
			path = u.Path
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return os.Open(path)
	case "http", "https":
	default:
		return nil, fmt.Errorf("unsupported URL scheme %q", u.Scheme)
	}
	q := u.Query()
	if !w.Start.IsZero() {
		q.Set("start", w.Start.UTC().Format(time.RFC3339))
	}
	if !w.End.IsZero() {
		q.Set("end", w.End.UTC().Format(time.RFC3339))
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/x-ndjson, application/jsonl, text/plain")
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s: %s", u.Redacted(), resp.Status, strings.TrimSpace(string(snippet)))
	}
	return resp.Body, nil
}
