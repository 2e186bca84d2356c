package arcsecond

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// parseQuery turns the query string of GET /api/activities into a Query.
func parseQuery(r *http.Request) (activities.Query, string, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return activities.Query{}, "", fmt.Errorf("malformed query string: %v", err)
	}
	q := activities.Query{
		Source: v.Get("source"), Facility: v.Get("facility"), Instrument: v.Get("instrument"),
		Kind: activities.Kind(v.Get("kind")), Cursor: v.Get("cursor"),
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return q, "kind", fmt.Errorf("kind %q is not one of %v", q.Kind, activities.Kinds())
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"start", &q.Window.Start}, {"end", &q.Window.End}} {
		if s := v.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return q, p.name, fmt.Errorf("%s %q is not an RFC 3339 time", p.name, s)
			}
			if err := checkStorable(p.name, t); err != nil {
				return q, p.name, err
			}
			*p.dst = t
		}
	}
	if !q.Window.Start.IsZero() && !q.Window.End.IsZero() && q.Window.End.Before(q.Window.Start) {
		return q, "end", errors.New("end is before start")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return q, "limit", fmt.Errorf("limit %q is not a number from 1 to 1000", s)
		}
		q.Limit = n
	}
	if ra, dec, rad := v.Get("ra"), v.Get("dec"), v.Get("radius"); ra != "" || dec != "" || rad != "" {
		var c activities.Cone
		for _, p := range []struct {
			name, s string
			dst     *float64
		}{{"ra", ra, &c.RA}, {"dec", dec, &c.Dec}, {"radius", rad, &c.Radius}} {
			f, err := strconv.ParseFloat(p.s, 64)
			if err != nil {
				return q, p.name, fmt.Errorf("a cone needs ra, dec and radius in degrees; %s %q is not a number", p.name, p.s)
			}
			*p.dst = f
		}
		if err := c.Validate(); err != nil {
			return q, "cone", err
		}
		switch {
		case !(c.RA >= 0 && c.RA < 360):
			return q, "cone", fmt.Errorf("ra %v is not in [0, 360)", c.RA)
		case !(c.Dec >= -90 && c.Dec <= 90):
			return q, "cone", fmt.Errorf("dec %v is not in [-90, 90]", c.Dec)
		case !(c.Radius > 0 && c.Radius <= 180):
			return q, "cone", fmt.Errorf("radius %v is not in (0, 180]", c.Radius)
		}
		q.Cone = &c
	}
	if field, err := parseBandInside(v, &q); err != nil {
		return q, field, err
	}
	return q, "", nil
}

func (n *Node) listActivities(w http.ResponseWriter, r *http.Request) {
	q, field, err := parseQuery(r)
	if err != nil {
		badRequest(w, field, "%v", err)
		return
	}
	seq := n.feed.Announced()
	key := pageKey(q)
	if b, ok := n.pages.get(seq, key); ok {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return
	}
	page, err := n.store.Find(r.Context(), q)
	if err != nil {
		if strings.Contains(err.Error(), "cursor") {
			badRequest(w, "cursor", "%v", err)
			return
		}
		if r.Context().Err() != nil {
			return
		}
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "listing activities failed"})
		n.log.Error("find", "err", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if !n.pages.admit(key) {
		// Asked for the first time: streamed, an activity at a time.
		out := &countingWriter{w: w}
		if err := writePage(out, page); err != nil && out.n == 0 {
			writeJSON(w, http.StatusInternalServerError, apiError{Error: "encoding activities failed"})
		} else if err != nil && !out.failed {
			n.log.Error("encoding activities", "err", err)
			panic(http.ErrAbortHandler) // the client sees a truncated answer, not a wrong one
		}
		return
	}
	var buf bytes.Buffer
	if err := writePage(&buf, page); err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "encoding activities failed"})
		return
	}
	n.pages.put(seq, key, buf.Bytes())
	w.Write(buf.Bytes())
}

// pageChunk is how many bytes of a page writePage encodes before writing
// them.
const pageChunk = 8 << 10

// writePage writes the JSON answer of GET /api/activities for page to w,
// {"activities": [...], "next": "..."} and a newline, as encoding/json
// encodes it without HTML escaping, a few kilobytes at a time.
func writePage(w io.Writer, page activities.Page) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteString(`{"activities":[`)
	for i := range page.Activities {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(&page.Activities[i]); err != nil {
			return fmt.Errorf("activity %s: %w", page.Activities[i].ID, err)
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		if buf.Len() >= pageChunk {
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	buf.WriteString(`],"next":`)
	if err := enc.Encode(page.Next); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// countingWriter counts the bytes written to w and whether a write failed.
type countingWriter struct {
	w      io.Writer
	n      int
	failed bool
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	c.failed = c.failed || err != nil
	return n, err
}

func (n *Node) getActivity(w http.ResponseWriter, r *http.Request) {
	a, err := n.store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, activities.ErrNotFound) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("no activity %q", r.PathValue("id"))})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "reading the activity failed"})
		return
	}
	writeJSON(w, 200, a)
}
