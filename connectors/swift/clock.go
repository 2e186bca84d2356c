package swift

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/internal/httpx"
)

// ClockBatch is how many times one /swift/clock request converts.
const ClockBatch = 100

// clockLayout writes a spacecraft time as the API's client sends it
// (Python's str(datetime)).
const clockLayout = "2006-01-02 15:04:05.999999"

// Clock converts Swift spacecraft times to UTC with the Swift API's clock
// service, GET /swift/clock?swifttime=...&swifttime=..., which answers one
// entry {met, utcf, isutc} per time: UTC = spacecraft time + utcf seconds
// (leap seconds and the clock's drift). This is what the API's own client
// does (Swift-SOT/swifttools@92705421: swifttools/swift_too/swift/clock.py
// SwiftClock and TOOAPIClockCorrect, datetime.py swiftdatetime). It keeps
// the last UTCF it received, the fallback when the service fails. It is
// safe for concurrent use.
type Clock struct {
	base string
	http *httpx.Client

	mu   sync.Mutex
	last *float64
}

// NewClock returns a clock client for the API at base (DefaultBaseURL when
// empty).
func NewClock(base string, http *httpx.Client) *Clock {
	if base == "" {
		base = DefaultBaseURL
	}
	return &Clock{base: base, http: http}
}

// URL is the clock request for the times.
func (c *Clock) URL(times []time.Time) string {
	q := url.Values{}
	for _, t := range times {
		q.Add("swifttime", t.UTC().Format(clockLayout))
	}
	return c.base + "/swift/clock?" + q.Encode()
}

// UTCF returns the correction in seconds of each spacecraft time, asking
// for ClockBatch times per request.
func (c *Clock) UTCF(ctx context.Context, times []time.Time) ([]float64, error) {
	out := make([]float64, 0, len(times))
	for batch := range slices.Chunk(times, ClockBatch) {
		resp, err := c.http.Do(ctx, httpx.Request{URL: c.URL(batch), Header: http.Header{"Accept": {"application/json"}}})
		if err != nil {
			return nil, fmt.Errorf("clock: %w", err)
		}
		u, err := ParseClock(resp.Body, len(batch))
		if err != nil {
			return nil, fmt.Errorf("clock: %w", err)
		}
		out = append(out, u...)
	}
	if n := len(out); n > 0 {
		c.mu.Lock()
		c.last = &out[n-1]
		c.mu.Unlock()
	}
	return out, nil
}

// Last returns the last UTCF received, if any.
func (c *Clock) Last() (float64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil {
		return 0, false
	}
	return *c.last, true
}

// ParseClock reads a /swift/clock reply ({"entries": [{"met", "utcf",
// "isutc"}, ...], "status": ...}) holding want entries, and returns their
// UTCF in seconds.
func ParseClock(b []byte, want int) ([]float64, error) {
	var rep struct {
		Entries []struct {
			MET  *float64 `json:"met"`
			UTCF *float64 `json:"utcf"`
		} `json:"entries"`
		Status json.RawMessage `json:"status"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, &connectors.SchemaError{Source: Name, Column: "(clock reply)", Reason: err.Error()}
	}
	if err := checkStatus(rep.Status); err != nil {
		return nil, err
	}
	if len(rep.Entries) != want {
		return nil, &connectors.SchemaError{Source: Name, Column: "entries", Reason: fmt.Sprintf("the clock answered %d entries for %d times", len(rep.Entries), want)}
	}
	out := make([]float64, want)
	for i, e := range rep.Entries {
		if e.UTCF == nil || math.IsNaN(*e.UTCF) || math.Abs(*e.UTCF) > 3600 {
			return nil, &connectors.SchemaError{Source: Name, Column: "utcf", Reason: fmt.Sprintf("entry %d has no plausible utcf (seconds, |utcf| < 3600)", i)}
		}
		out[i] = *e.UTCF
	}
	return out, nil
}

// Clock-correction warnings (reasons in the listing's connectors.Stats).
const (
	WarnClockLast      = "clock service failed: the last UTCF received applied"
	WarnClockUncorrect = "clock service failed: times left in Swift spacecraft time"
)

// correct turns the activities' Start and End from spacecraft time into
// UTC with one batched clock exchange, and records the correction on each
// activity as a link to the clock request. When the clock fails, the last
// UTCF received is applied, or else the times are left as they are; either
// way a counted warning says so and the link's title says which.
func (s *Source) correct(ctx context.Context, acts []activities.Activity, st *connectors.Stats) error {
	if len(acts) == 0 {
		return nil
	}
	times := make([]time.Time, 0, 2*len(acts))
	for _, a := range acts {
		times = append(times, a.Start, a.End)
	}
	utcf, err := s.clock.UTCF(ctx, times)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		last, ok := s.clock.Last()
		title := "Swift clock: times are spacecraft time, uncorrected (the clock service failed: " + clip(err.Error()) + ")"
		if ok {
			title = fmt.Sprintf("Swift clock: UTC = spacecraft time %+.6f s, the last UTCF received (the clock service failed)", last)
			st.Warn(WarnClockLast, len(acts))
		} else {
			st.Warn(WarnClockUncorrect, len(acts))
		}
		for i := range acts {
			if ok {
				acts[i].Start, acts[i].End = shift(acts[i].Start, last), shift(acts[i].End, last)
			}
			acts[i].Links = append(acts[i].Links, activities.Link{Title: title, URL: s.clock.URL([]time.Time{times[2*i]})})
		}
		return nil
	}
	for i := range acts {
		acts[i].Start, acts[i].End = shift(acts[i].Start, utcf[2*i]), shift(acts[i].End, utcf[2*i+1])
		acts[i].Links = append(acts[i].Links, activities.Link{
			Title: fmt.Sprintf("Swift clock: UTC = spacecraft time %+.6f s (UTCF)", utcf[2*i]),
			URL:   s.clock.URL([]time.Time{times[2*i]})})
	}
	return nil
}

func shift(t time.Time, sec float64) time.Time {
	return t.Add(time.Duration(math.Round(sec * 1e9)))
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
