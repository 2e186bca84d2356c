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
	"bytes"
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
	// MaxLineBytes caps one line (default 1 MiB).
	MaxLineBytes int
	// HTTPOptions: the feed is streamed with Client (or Transport), its
	// Timeout bounding the whole response; Retries and RatePerHost do not
	// apply to a stream.
	connectors.HTTPOptions
}

// Source reads a JSON Lines activity feed.
type Source struct {
	opts   Options
	client *http.Client
}

func init() {
	connectors.Register("jsonl", connectors.Driver{
		Open: func(c connectors.Config) (activities.Source, error) {
			return New(Options{Name: c.Settings["name"], URL: c.BaseURL, HTTPOptions: c.HTTPOptions})
		},
		Settings: map[string]string{"name": "the source's name; every line's source must match it (required)"},
		Parsers: []connectors.Parser{{
			Name: "jsonl", Help: "activities in the SDK's own encoding, one JSON object a line",
			Parse: Parse,
			// A .jsonl file whose first bytes carry an activity's source and
			// kind: other JSON-lines files (the FITS table dumps of
			// connectors/vo/fits) are not activities.
			Recognize: func(p string, head []byte) bool {
				return strings.HasSuffix(p, ".jsonl") && bytes.Contains(head, []byte(`"source"`)) && bytes.Contains(head, []byte(`"kind"`))
			},
		}},
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
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = 1 << 20
	}
	c := o.Client
	if c == nil {
		c = &http.Client{Transport: o.Transport, Timeout: o.Timeout}
	}
	return &Source{opts: o, client: c}, nil
}

// Name returns the source's name.
func (s *Source) Name() string { return s.opts.Name }

// Activities lists the feed's activities overlapping w.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) {
			yield(activities.Activity{}, activities.WrapError(s.opts.Name, connectors.Classify(err)))
		}
		st := connectors.StatsFrom(ctx)
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
			st.AddRecords(1)
			var a activities.Activity
			if err := json.Unmarshal(b, &a); err != nil {
				fail(connectors.WithKind(fmt.Errorf("line %d: %w", line, err), connectors.ErrSchemaDrift))
				return
			}
			if a.Source != s.opts.Name {
				fail(connectors.WithKind(fmt.Errorf("line %d: source %q, want %q", line, a.Source, s.opts.Name), connectors.ErrSchemaDrift))
				return
			}
			if err := a.Validate(); err != nil {
				fail(connectors.WithKind(fmt.Errorf("line %d: %w", line, err), connectors.ErrSchemaDrift))
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
			kind := connectors.ErrUnavailable
			if errors.Is(err, bufio.ErrTooLong) {
				kind = connectors.ErrSchemaDrift
			}
			fail(connectors.WithKind(fmt.Errorf("reading line %d: %w", line+1, err), kind))
		}
	}
}

func (s *Source) open(ctx context.Context, w activities.Window) (io.ReadCloser, error) {
	u, err := url.Parse(s.opts.URL)
	if err != nil {
		return nil, connectors.WithKind(fmt.Errorf("parsing URL: %w", err), connectors.ErrInvalid)
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
		f, err := os.Open(path)
		if err != nil {
			return nil, connectors.WithKind(err, connectors.ErrUnavailable)
		}
		return f, nil
	case "http", "https":
	default:
		return nil, connectors.WithKind(fmt.Errorf("unsupported URL scheme %q", u.Scheme), connectors.ErrInvalid)
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
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		resp.Body.Close()
		return nil, connectors.WithKind(fmt.Errorf("GET %s: %s: %s", u.Redacted(), resp.Status, strings.TrimSpace(string(snippet))),
			connectors.StatusKind(resp.StatusCode, false))
	}
	return resp.Body, nil
}

// Parse reads activities in the documented encoding, one a line, as
// recorded in a file; a line that is not a valid activity is an error
// naming the line.
func Parse(b []byte) (*connectors.Reply, error) {
	r := &connectors.Reply{Skipped: map[string]int{}, Warnings: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		r.Records++
		var a activities.Activity
		if err := json.Unmarshal(line, &a); err != nil {
			return nil, connectors.WithKind(fmt.Errorf("line %d: %w", n, err), connectors.ErrSchemaDrift)
		}
		if err := a.Validate(); err != nil {
			return nil, connectors.WithKind(fmt.Errorf("line %d: %w", n, err), connectors.ErrSchemaDrift)
		}
		r.Activities = append(r.Activities, a)
	}
	if err := sc.Err(); err != nil {
		return nil, connectors.WithKind(err, connectors.ErrSchemaDrift)
	}
	return r, nil
}
