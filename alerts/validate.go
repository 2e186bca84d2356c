package alerts

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/arcsecond-go/arcsecond/activities"
)

// FieldError names a field of an alert and what is wrong with it: the
// same type as the activities' (one error kind for both models).
type FieldError = activities.FieldError

// Validate reports every impossible value in a, as a joined error of
// *FieldError values: a missing ID, source, mission or trigger time, an ID
// not prefixed by its source, an unknown status, a negative revision, a bad
// localization, sky map or link, and a negative or non-finite statistic.
func (a *Alert) Validate() error {
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
	if a.Revision < 0 {
		bad("revision", "%d is negative", a.Revision)
	}
	if a.Status != StatusActive && a.Status != StatusRetracted {
		bad("status", "%q is not one of active, retracted", a.Status)
	}
	if strings.TrimSpace(a.Mission) == "" {
		bad("mission", "empty")
	}
	if a.TriggerTime.IsZero() {
		bad("trigger_time", "unknown")
	} else if y := a.TriggerTime.Year(); y < 1 || y > 9999 {
		bad("trigger_time", "year %d is outside 1..9999", y)
	}
	if a.Localization != nil {
		if err := a.Localization.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if m := a.SkyMap; m != nil {
		if m.Format != "healpix" && m.Format != "moc" {
			bad("skymap.format", "%q is not one of healpix, moc", m.Format)
		}
		if m.URL == "" && !m.Embedded {
			bad("skymap", "neither a URL nor embedded")
		}
		if m.URL != "" && !absURL(m.URL) {
			bad("skymap.url", "%q is not an absolute URL", m.URL)
		}
	}
	for _, s := range []struct {
		name string
		v    *float64
		max  float64
	}{{"significance.snr", a.Significance.SNR, 0}, {"significance.far", a.Significance.FAR, 0}, {"significance.p_astro", a.Significance.PAstro, 1}} {
		if s.v == nil {
			continue
		}
		if v := *s.v; !finite(v) || v < 0 || (s.max > 0 && v > s.max) {
			bad(s.name, "%v is not a valid value", v)
		}
	}
	for i, l := range a.Links {
		if !absURL(l.URL) {
			bad(fmt.Sprintf("links[%d].url", i), "%q is not an absolute URL", l.URL)
		}
	}
	return errors.Join(errs...)
}

func absURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && u.Host != ""
}
