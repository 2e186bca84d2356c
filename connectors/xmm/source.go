package xmm

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// Options configure a source.
type Options struct {
	// URL of the schedule page (default DefaultURL).
	URL string
	// TimelineBaseURL is where the revolution timelines are (default
	// TimelineBaseURL): <TimelineBaseURL><rev>_nice.html.
	TimelineBaseURL string
	// ScheduleOnly skips the revolution timelines: the listing is the
	// schedule's EPIC-pn, EPIC-MOS and RGS activities only.
	ScheduleOnly bool
	connectors.HTTPOptions
}

// Source reads the schedule page and, for each revolution it lists, the
// revolution's timeline, and lists the exposures overlapping a window
// (see [Merge]).
type Source struct {
	o    Options
	http *httpx.Client
}

// WarnNoTimeline counts revolutions whose timeline could not be read (not
// published yet, or unreadable): their schedule activities are listed.
const WarnNoTimeline = "revolution timeline unavailable"

// New returns an XMM-Newton source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	if o.TimelineBaseURL == "" {
		o.TimelineBaseURL = TimelineBaseURL
	}
	if _, err := schedfile.ParseURLs(Name, o.URL, o.TimelineBaseURL+"0_nice.html"); err != nil {
		return nil, err
	}
	return &Source{o: o, http: archive.NewHTTP(o.HTTPOptions, nil)}, nil
}

// Name returns "xmm".
func (s *Source) Name() string { return Name }

// URL returns the schedule page's address.
func (s *Source) URL() string { return s.o.URL }

// Activities lists the schedule's exposures overlapping w, replaced by
// the timelines' per-camera exposures where a timeline has them.
func (s *Source) Activities(ctx context.Context, w activities.Window) iter.Seq2[activities.Activity, error] {
	return func(yield func(activities.Activity, error) bool) {
		fail := func(err error) { yield(activities.Activity{}, archive.Wrap(Name, err)) }
		b, err := archive.GetPage(ctx, s.http, s.o.URL)
		if err != nil {
			fail(err)
			return
		}
		sched, err := Parse(b)
		if err != nil {
			fail(err)
			return
		}
		res := sched
		if !s.o.ScheduleOnly {
			tl := &connectors.Reply{}
			for _, rev := range Revolutions(sched) {
				b, err := archive.GetPage(ctx, s.http, s.o.TimelineBaseURL+rev+"_nice.html")
				var r *connectors.Reply
				if err == nil {
					r, err = ParseTimeline(b)
				}
				if ctx.Err() != nil {
					fail(fmt.Errorf("revolution %s timeline: %w", rev, ctx.Err()))
					return
				}
				if err != nil {
					tl.Warn(WarnNoTimeline)
					continue
				}
				tl = joinReplies(tl, r)
			}
			res = Merge(sched, tl)
		}
		schedfile.Emit(ctx, Name, w, res, connectors.StatsFrom(ctx), yield)
	}
}

// Revolutions returns the revolutions of a schedule reply's activities
// (their Programme.ID "revolution N"), in order of first appearance.
func Revolutions(sched *connectors.Reply) []string {
	var revs []string
	for _, a := range sched.Activities {
		if rev, ok := strings.CutPrefix(a.Programme.ID, "revolution "); ok && rev != "" && !slices.Contains(revs, rev) {
			revs = append(revs, rev)
		}
	}
	return revs
}

// SkipSuperseded counts schedule activities replaced by the exposures of
// their observation in a revolution timeline.
const SkipSuperseded = "superseded by the revolution timeline's exposures"

// Merge joins a schedule reply with timeline replies: an observation
// (Obs Id.) that has timeline exposures is listed by them — given the
// schedule's PI — and its schedule activities are counted skips
// (SkipSuperseded); other observations keep their schedule activities.
// Records, skips and warnings of both are summed.
func Merge(sched, timeline *connectors.Reply) *connectors.Reply {
	res := joinReplies(&connectors.Reply{}, timeline)
	res.Activities = nil
	joinReplies(res, &connectors.Reply{Records: sched.Records, Skipped: sched.Skipped, Warnings: sched.Warnings})
	pi := map[string]string{}
	for _, a := range sched.Activities {
		pi[a.DatasetID] = a.Programme.PI
	}
	covered := map[string]bool{}
	for _, a := range timeline.Activities {
		covered[a.DatasetID] = true
		if a.Programme.PI == "" {
			a.Programme.PI = pi[a.DatasetID]
		}
		res.Activities = append(res.Activities, a)
	}
	for _, a := range sched.Activities {
		if covered[a.DatasetID] {
			res.Skip(SkipSuperseded)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	slices.SortStableFunc(res.Activities, func(a, b activities.Activity) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return res
}

// joinReplies adds b's activities, records, skips and warnings to a.
func joinReplies(a, b *connectors.Reply) *connectors.Reply {
	a.Activities = append(a.Activities, b.Activities...)
	a.Records += b.Records
	for k, v := range b.Skipped {
		for range v {
			a.Skip(k)
		}
	}
	for k, v := range b.Warnings {
		for range v {
			a.Warn(k)
		}
	}
	return a
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			return New(Options{URL: cfg.BaseURL, HTTPOptions: cfg.HTTPOptions})
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "XMM-Newton short-term schedule table (HTML page, or CSV)",
			Parse: Parse,
			Recognize: func(p string, head []byte) bool {
				return tablePath(p) && bytes.Contains(head, []byte("UTC Obs Start yyyy-mm-dd hh:mm:ss"))
			},
			Roles: roles, Join: JoinReplies,
		}, {
			Name: Name + "-timeline", Help: "XMM-Newton revolution timeline (<rev>_nice.html page, or its table as CSV): per-camera exposures",
			Parse:     ParseTimeline,
			Recognize: recognizeTimeline,
		}},
	})
}

func recognizeTimeline(p string, head []byte) bool {
	return tablePath(p) && bytes.Contains(head, []byte("Date & Time")) && bytes.Contains(head, []byte("EMOS1"))
}

func tablePath(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".csv") || strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm")
}
