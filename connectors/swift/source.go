package swift

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "swift"

// DefaultBaseURL is the Swift API.
const DefaultBaseURL = "https://www.swift.psu.edu/api/v2"

// Options configure a [Source].
type Options struct {
	BaseURL string
	// Timelines to read; both when empty.
	Timelines []Timeline
	// NoClock leaves the times in Swift spacecraft time instead of
	// correcting them to UTC with the clock service (see [Clock]).
	NoClock bool
	connectors.HTTPOptions
}

// Source lists Swift observations: completed ones from the as-flown
// timeline and planned ones from the pre-planned timeline. An observation
// in both is listed once, as completed.
type Source struct {
	opts  Options
	base  string
	http  *httpx.Client
	clock *Clock
}

// New returns a Swift source.
func New(o Options) (*Source, error) {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	if _, err := url.ParseRequestURI(base); err != nil {
		return nil, fmt.Errorf("%s: bad base URL %q: %w", Name, o.BaseURL, err)
	}
	if len(o.Timelines) == 0 {
		o.Timelines = []Timeline{AsFlown, Planned}
	}
	h := archive.NewHTTP(o.HTTPOptions, nil)
	return &Source{opts: o, base: base, http: h, clock: NewClock(base, h)}, nil
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{BaseURL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions}
			switch v := cfg.Settings["timeline"]; v {
			case "", "both":
			case "planned":
				o.Timelines = []Timeline{Planned}
			case "asflown", "as-flown":
				o.Timelines = []Timeline{AsFlown}
			default:
				return nil, fmt.Errorf("setting \"timeline\" %q: want planned, asflown or both", v)
			}
			clock, err := archive.BoolSetting(cfg.Settings, "clock", true)
			if err != nil {
				return nil, err
			}
			o.NoClock = !clock
			return New(o)
		},
		Settings: map[string]string{"timeline": "planned, asflown or both (default)",
			"clock": "false: leave the times in Swift spacecraft time (default: corrected to UTC by /swift/clock)"},
		Parsers: []connectors.Parser{
			{
				Name: "swift-asflown", Help: "Swift API obsquery reply (JSON status + entries)",
				Parse: func(b []byte) (*connectors.Reply, error) { return ParseTimeline(b, AsFlown) },
				Recognize: func(p string, head []byte) bool {
					return isReply(p, head) && (strings.Contains(path.Base(p), "obsquery") || bytes.Contains(head, []byte(`"settle"`)))
				},
			},
			{
				Name: "swift-planned", Help: "Swift API planquery reply (JSON status + entries)",
				Parse:     func(b []byte) (*connectors.Reply, error) { return ParseTimeline(b, Planned) },
				Recognize: isReply,
			},
		},
	})
}

// Name returns "swift".
func (s *Source) Name() string { return Name }

// URL returns the query URL of a timeline for w.
func (s *Source) URL(tl Timeline, w activities.Window) string {
	start, end := w.Start, w.End
	if end.IsZero() {
		end = time.Now().Add(24 * time.Hour)
	}
	if start.IsZero() {
		start = end.Add(-48 * time.Hour)
	}
	path := "/swift/planquery"
	if tl == AsFlown {
		path = "/swift/obsquery"
	}
	q := url.Values{"begin": {start.UTC().Format("2006-01-02T15:04:05")}, "end": {end.UTC().Format("2006-01-02T15:04:05")}}
	return s.base + path + "?" + q.Encode()
}

// Activities lists the observations of w: both timelines are read, an
// observation in both is listed once (as completed), and the times of all
// of them are corrected from Swift spacecraft time to UTC with one batched
// clock exchange (unless NoClock); see [Clock] for the fallback when the
// clock service fails.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		st := connectors.StatsFrom(ctx)
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		seen := map[string]bool{}
		var acts []activities.Activity
		for _, tl := range s.opts.Timelines {
			resp, err := s.http.Do(ctx, httpx.Request{URL: s.URL(tl, w), Header: http.Header{"Accept": {"application/json"}}})
			if err != nil {
				fail(err)
				return
			}
			res, err := ParseTimeline(resp.Body, tl)
			if err != nil {
				fail(fmt.Errorf("%s timeline: %w", tl, err))
				return
			}
			if !s.opts.NoClock {
				delete(res.Warnings, WarnSpacecraftTime) // corrected below
			}
			st.AddReply(res)
			for _, a := range res.Activities {
				if seen[a.ID] {
					st.Skip("planned observation already flown", 1)
					continue
				}
				seen[a.ID] = true
				acts = append(acts, a)
			}
		}
		if !s.opts.NoClock {
			if err := s.correct(ctx, acts, st); err != nil {
				fail(err)
				return
			}
		}
		if _, err := archive.Emit(ctx, w, acts, yield); err != nil {
			fail(err)
		}
	}
}

// isReply recognizes a Swift API reply: a JSON object with entries.
func isReply(p string, head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return strings.HasSuffix(strings.ToLower(p), ".json") && len(h) > 0 && h[0] == '{' &&
		bytes.Contains(head, []byte(`"entries"`)) && bytes.Contains(head, []byte(`"target_id"`))
}
