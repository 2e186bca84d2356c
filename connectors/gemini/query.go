package gemini

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query is a jsonsummary query in the archive's path-term syntax. Zero
// fields add no term. By default the query excludes engineering data and
// frames that failed QA.
type Query struct {
	Instrument string // "GMOS-N", "F2", ...
	// Start and End bound the UT dates (inclusive); End zero means the
	// single date of Start.
	Start, End time.Time
	ObsClass   string // "science", "acq", "dayCal", ...
	ObsType    string // "OBJECT", "FLAT", ...
	// Cone: RA and Dec in degrees, SR (search radius) in degrees, sent as
	// "sr=<deg>d"; set all three or none.
	RA, Dec, SR *float64
	Object      string
	PIName      string
	ProgID      string
	// IncludeEngineering drops the default "notengineering" term;
	// IncludeFail drops the default "NotFail".
	IncludeEngineering, IncludeFail bool
	// Extra path terms, passed as they are.
	Extra []string
}

// Path returns the query as path terms ("notengineering/NotFail/GMOS-N/
// 20240101-20240102/science/ra=10.5/..."), without a leading slash.
func (q Query) Path() string {
	var t []string
	if !q.IncludeEngineering {
		t = append(t, "notengineering")
	}
	if !q.IncludeFail {
		t = append(t, "NotFail")
	}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			t = append(t, url.PathEscape(s))
		}
	}
	add(q.Instrument)
	if !q.Start.IsZero() {
		d := q.Start.UTC().Format("20060102")
		if !q.End.IsZero() {
			if e := q.End.UTC().Format("20060102"); e != d {
				d += "-" + e
			}
		}
		t = append(t, d)
	}
	add(q.ObsClass)
	add(q.ObsType)
	if q.RA != nil && q.Dec != nil && q.SR != nil {
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		// The archive reads sr in arcseconds unless it ends in "d"
		// (FitsStorage's srtodeg): send degrees, marked.
		t = append(t, "ra="+f(*q.RA), "dec="+f(*q.Dec), "sr="+f(*q.SR)+"d")
	}
	kv := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			t = append(t, k+"="+url.PathEscape(v))
		}
	}
	// The archive's own escape for "/" in object names ("=slash="), which a
	// path segment could not otherwise carry.
	kv("object", strings.ReplaceAll(q.Object, "/", "=slash="))
	kv("PIname", q.PIName)
	kv("progid", q.ProgID)
	for _, e := range q.Extra {
		add(e)
	}
	return strings.Join(t, "/")
}
