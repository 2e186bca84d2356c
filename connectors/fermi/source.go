package fermi

import (
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/schedfile"
)

// BaseURL is the folder of the FT2 pointing files (ACROSS
// FERMI_LAT_POINTING_FILE_BASE_PATH).
const BaseURL = "https://fermi.gsfc.nasa.gov/ssc/observations/timeline/ft2/files/"

// week23 is the start of mission week 23, the first of the pointing files:
// the 311th day of 2008 (ACROSS FERMI_JD_WEEK_23).
var week23 = time.Date(2008, time.November, 6, 0, 0, 0, 0, time.UTC)

// WeekStart returns the first day of mission week w (weeks start on
// Thursdays, 00:00 UTC).
func WeekStart(w int) time.Time { return week23.AddDate(0, 0, 7*(w-23)) }

// Week returns the mission week holding t.
func Week(t time.Time) int {
	d := t.Sub(week23)
	w := int(d / (7 * 24 * time.Hour))
	if d < 0 && d%(7*24*time.Hour) != 0 {
		w--
	}
	return 23 + w
}

// FileName returns the name of the pointing file of week w: kind is
// "PRELIM" or "FINAL", version the file's two-digit version (00 for the
// first issue), and the dates the week's first and next week's first day
// as YYYYDDD.
func FileName(kind string, w, version int) string {
	s, e := WeekStart(w), WeekStart(w+1)
	return fmt.Sprintf("FERMI_POINTING_%s_%03d_%04d%03d_%04d%03d_%02d.fits", kind, w, s.Year(), s.YearDay(), e.Year(), e.YearDay(), version)
}

// Options configure a source.
type Options struct {
	// URL of the pointing file (default: BaseURL + the first FINAL file of
	// the week holding Now).
	URL string
	// Kind is "FINAL" (the default) or "PRELIM", Week the mission week
	// (default: the week holding Now) of the default file.
	Kind string
	Week int
	// Now is the time used to choose the default file (default time.Now).
	Now func() time.Time
	connectors.HTTPOptions
}

// Source reads one pointing file and lists its rows overlapping a window;
// its counts go to the connectors.Stats of the listing's context.
type Source = schedfile.Source

// New returns a Fermi LAT source.
func New(o Options) (*Source, error) {
	if o.URL == "" {
		now := time.Now
		if o.Now != nil {
			now = o.Now
		}
		switch o.Kind {
		case "":
			o.Kind = "FINAL"
		case "FINAL", "PRELIM":
		default:
			return nil, fmt.Errorf("%s: kind %q is neither FINAL nor PRELIM", Name, o.Kind)
		}
		if o.Week == 0 {
			o.Week = Week(now().UTC())
		}
		if o.Week < 23 {
			return nil, fmt.Errorf("%s: week %d precedes the first pointing file (week 23)", Name, o.Week)
		}
		o.URL = BaseURL + FileName(o.Kind, o.Week, 0)
	}
	return schedfile.New(Name, o.URL, "application/fits", Parse, o.HTTPOptions)
}

// recognize: a FITS file whose primary header names an FT2 pointing file.
func recognize(p string, head []byte) bool {
	if !bytes.HasPrefix(head, []byte("SIMPLE  =")) {
		return false
	}
	base := path.Base(p)
	return strings.HasPrefix(base, "FERMI_POINTING_") && strings.HasSuffix(base, ".fits") ||
		bytes.Contains(head, []byte("FILENAME= 'FERMI_POINTING_"))
}

func init() {
	connectors.Register(Name, connectors.Driver{
		Open: func(cfg connectors.Config) (activities.Source, error) {
			o := Options{URL: cfg.BaseURL, Kind: cfg.Settings["kind"], HTTPOptions: cfg.HTTPOptions}
			if w, ok := cfg.Settings["week"]; ok {
				n, err := strconv.Atoi(w)
				if err != nil {
					return nil, fmt.Errorf("%s: week %q is not a number", Name, w)
				}
				o.Week = n
			}
			return New(o)
		},
		Settings: map[string]string{
			"kind": "FINAL (default) or PRELIM: which pointing file of the week",
			"week": "Fermi mission week (default: the current one)",
		},
		Parsers: []connectors.Parser{{
			Name: Name, Help: "Fermi FT2 spacecraft pointing file (FITS, PRELIM or FINAL)",
			Parse: Parse, Recognize: recognize,
		}},
	})
}
