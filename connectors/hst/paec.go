package hst

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// DefaultPAECURL is the HST Planned and Archived Exposure Catalog (PAEC),
// which gives the coordinates the weekly timeline lacks.
const DefaultPAECURL = "https://archive.stsci.edu/hst/catalogs/paec_7-present.cat"

// PAECRow is one exposure of the Planned and Archived Exposure Catalog.
type PAECRow struct {
	Target   string // truncated to 16 characters by the catalogue
	RA, Dec  float64
	Config   string
	Mode     string
	Spec     string
	Proposal string
	Dataset  string // "PLANNED" until executed
}

var paecColumns = []string{"targname", "ra", "dec", "config", "mode", "aper", "spec", "wave", "time", "prop", "cy", "dataset", "release"}

// ParsePAEC reads the fixed-width PAEC text: a header line starting with
// "targname", a dashed rule giving the column spans, then one exposure per
// line with sexagesimal J2000 coordinates. A header that does not list the
// expected columns is a *connectors.SchemaError.
func ParsePAEC(b []byte) ([]PAECRow, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var (
		rows   []PAECRow
		spans  []span
		header bool
		lineNo int
	)
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case spans == nil && strings.HasPrefix(line, "targname ") && len(strings.Fields(line)) > 3 && strings.Fields(line)[1] == "ra":
			// the column titles (the legend above them also starts with
			// "targname", followed by a dash)
			if got := strings.Fields(line); strings.Join(got, " ") != strings.Join(paecColumns, " ") {
				return nil, &connectors.SchemaError{Source: TimelineName, Column: "(PAEC header)",
					Reason: fmt.Sprintf("line %d: columns %v, want %v", lineNo, got, paecColumns)}
			}
			header = true
			continue
		case header && spans == nil:
			spans = spansOf(line)
			if len(spans) != len(paecColumns) {
				return nil, &connectors.SchemaError{Source: TimelineName, Column: "(PAEC rule)",
					Reason: fmt.Sprintf("line %d: %d columns, want %d", lineNo, len(spans), len(paecColumns))}
			}
			continue
		case spans == nil || strings.TrimSpace(line) == "":
			continue
		}
		ra, err1 := sexagesimal(field(line, spans[1]), 15)
		dec, err2 := sexagesimal(field(line, spans[2]), 1)
		if err1 != nil || err2 != nil || dec < -90 || dec > 90 || ra < 0 || ra >= 360 {
			return nil, &connectors.SchemaError{Source: TimelineName, Column: "ra/dec",
				Reason: fmt.Sprintf("line %d: %q %q are not sexagesimal J2000 coordinates", lineNo, field(line, spans[1]), field(line, spans[2]))}
		}
		rows = append(rows, PAECRow{Target: field(line, spans[0]), RA: ra, Dec: dec, Config: field(line, spans[3]),
			Mode: field(line, spans[4]), Spec: field(line, spans[6]), Proposal: field(line, spans[9]), Dataset: field(line, spans[11])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("PAEC: %w", err)
	}
	if spans == nil {
		return nil, &connectors.SchemaError{Source: TimelineName, Column: "(PAEC header)", Reason: "no \"targname\" header line"}
	}
	return rows, nil
}

// sexagesimal reads "hh mm ss.s" or "±dd mm ss.s" and multiplies by scale
// (15 for hours of RA).
func sexagesimal(s string, scale float64) (float64, error) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return 0, fmt.Errorf("want 3 fields in %q", s)
	}
	neg := strings.HasPrefix(f[0], "-")
	var v [3]float64
	for i, x := range f {
		n, err := strconv.ParseFloat(strings.TrimLeft(x, "+-"), 64)
		if err != nil || n < 0 || (i > 0 && n >= 60) {
			return 0, fmt.Errorf("bad field %q in %q", x, s)
		}
		v[i] = n
	}
	d := (v[0] + v[1]/60 + v[2]/3600) * scale
	if neg {
		d = -d
	}
	return d, nil
}

// Positions indexes PAEC coordinates by target name (as truncated to 16
// characters, upper case) and proposal.
type Positions map[string][2]float64

// NewPositions indexes rows. A target observed at two places within one
// proposal (a moving or mosaic target) is left out, as is its
// proposal-less key when proposals disagree.
func NewPositions(rows []PAECRow) Positions {
	p := Positions{}
	bad := map[string]bool{}
	add := func(k string, c [2]float64) {
		if old, ok := p[k]; ok && (abs(old[0]-c[0]) > 1e-3 || abs(old[1]-c[1]) > 1e-3) {
			bad[k] = true
		}
		p[k] = c
	}
	for _, r := range rows {
		c := [2]float64{r.RA, r.Dec}
		t := paecKey(r.Target)
		add(t+"\x00"+r.Proposal, c)
		add(t, c)
	}
	for k := range bad {
		delete(p, k)
	}
	return p
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func paecKey(target string) string {
	t := strings.ToUpper(strings.TrimSpace(target))
	if len(t) > 16 {
		t = t[:16]
	}
	return t
}

// Apply sets the position of each activity without one whose target (and
// proposal, when known) the PAEC lists; it returns how many it placed.
func (p Positions) Apply(acts []activities.Activity) int {
	n := 0
	for i := range acts {
		a := &acts[i]
		if _, _, ok := a.Target.Position(); ok {
			continue
		}
		t := paecKey(a.Target.Name)
		c, ok := p[t+"\x00"+a.Programme.ID]
		if !ok && a.Programme.ID == "" {
			c, ok = p[t]
		}
		if ok && archive.SetPosition(&a.Target, c[0], c[1]) {
			n++
		}
	}
	return n
}
