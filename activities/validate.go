package activities

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
)

// FieldError reports one impossible or missing value in an Activity. Field
// is the name in the JSON encoding ("target.dec", "end", "links[2].url").
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Validate reports every impossible value in a, as a joined error of
// *FieldError values (use errors.As to inspect them). It rejects a missing
// ID, source or facility, an unknown kind, an ID not prefixed by its source,
// a Dec outside ±90°, an RA outside [0, 360), coordinates given by halves,
// NaN or infinite numbers, a negative exposure or field of view, an end
// before the start, and links that are not absolute URLs; and, for the
// fields of schema version 2, an unknown fidelity, a pointing or footprint
// vertex off the sky, a roll outside [0, 360), a footprint of fewer than
// three vertices and a bandpass that is not a positive range.
func (a *Activity) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(a.ID) == "" {
		bad("id", "empty")
	}
	if strings.TrimSpace(a.Source) == "" {
		bad("source", "empty")
	} else if a.ID != "" && !strings.HasPrefix(a.ID, a.Source+":") {
		bad("id", "%q does not start with the source name %q and a colon", a.ID, a.Source)
	}
	if !a.Kind.Valid() {
		bad("kind", "%q is not one of %s", a.Kind, kindList())
	}
	if !a.Fidelity.Valid() {
		bad("fidelity", "%q is not low or high", a.Fidelity)
	}
	if p := a.Pointing; p != nil {
		if !finite(p.RA) || p.RA < 0 || p.RA >= 360 {
			bad("pointing.ra", "%v is outside [0, 360)", p.RA)
		}
		if !finite(p.Dec) || p.Dec < -90 || p.Dec > 90 {
			bad("pointing.dec", "%v is outside [-90, 90]", p.Dec)
		}
		if p.Roll != nil && (!finite(*p.Roll) || *p.Roll < 0 || *p.Roll >= 360) {
			bad("pointing.roll", "%v is outside [0, 360)", *p.Roll)
		}
	}
	for i, f := range a.Footprints {
		if len(f.Polygon) < 3 {
			bad(fmt.Sprintf("footprints[%d].polygon", i), "a polygon needs at least 3 vertices, got %d", len(f.Polygon))
		}
		for j, v := range f.Polygon {
			if !finite(v[0]) || v[0] < 0 || v[0] >= 360 || !finite(v[1]) || v[1] < -90 || v[1] > 90 {
				bad(fmt.Sprintf("footprints[%d].polygon[%d]", i, j), "vertex (%v, %v) is not an RA in [0, 360) and a Dec in [-90, 90]", v[0], v[1])
			}
		}
	}
	if b := a.Bandpass; b != nil {
		if err := b.check(); err != nil {
			bad("bandpass", "%s", strings.TrimPrefix(err.Error(), "bandpass: "))
		}
	}
	if strings.TrimSpace(a.Facility) == "" {
		bad("facility", "empty")
	}
	t := a.Target
	switch {
	case (t.RA == nil) != (t.Dec == nil):
		bad("target", "ra and dec must be given together")
	case t.RA != nil:
		ra, dec := *t.RA, *t.Dec
		if !finite(ra) {
			bad("target.ra", "not a finite number")
		} else if ra < 0 || ra >= 360 {
			bad("target.ra", "%v is outside [0, 360)", ra)
		}
		if !finite(dec) {
			bad("target.dec", "not a finite number")
		} else if dec < -90 || dec > 90 {
			bad("target.dec", "%v is outside [-90, 90]", dec)
		}
	}
	if !finite(t.FOVRadius) {
		bad("target.fov_radius", "not a finite number")
	} else if t.FOVRadius < 0 || t.FOVRadius > 180 {
		bad("target.fov_radius", "%v is outside [0, 180]", t.FOVRadius)
	}
	if len(t.Region) > 0 && len(t.Region) < 3 {
		bad("target.region", "a polygon needs at least 3 vertices, got %d", len(t.Region))
	}
	for i, v := range t.Region {
		if !finite(v[0]) || !finite(v[1]) || v[1] < -90 || v[1] > 90 {
			bad(fmt.Sprintf("target.region[%d]", i), "vertex (%v, %v) is not a valid RA/Dec", v[0], v[1])
		}
	}
	if a.Exposure != nil {
		if e := *a.Exposure; !finite(e) {
			bad("exposure_s", "not a finite number")
		} else if e < 0 {
			bad("exposure_s", "%v is negative", e)
		}
	}
	if !a.Start.IsZero() && !a.End.IsZero() && a.End.Before(a.Start) {
		bad("end", "%s is before start %s", a.End.UTC().Format("2006-01-02T15:04:05Z"), a.Start.UTC().Format("2006-01-02T15:04:05Z"))
	}
	for _, f := range []struct {
		name string
		y    int
		zero bool
	}{{"start", a.Start.Year(), a.Start.IsZero()}, {"end", a.End.Year(), a.End.IsZero()}} {
		if !f.zero && (f.y < 1 || f.y > 9999) {
			bad(f.name, "year %d is outside 1..9999", f.y)
		}
	}
	for i, l := range a.Links {
		u, err := url.Parse(l.URL)
		if err != nil || !u.IsAbs() || u.Host == "" {
			bad(fmt.Sprintf("links[%d].url", i), "%q is not an absolute URL", l.URL)
		}
	}
	if a.Revision < 0 {
		bad("revision", "%d is negative", a.Revision)
	}
	return errors.Join(errs...)
}

func kindList() string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
