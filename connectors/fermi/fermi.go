package fermi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
	"github.com/arcsecond-go/arcsecond/connectors/vo/fits"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "fermi-lat"

// Table is the EXTNAME of the pointing table.
const Table = "SC_DATA"

// Columns are the SC_DATA columns the connector reads, all required.
var Columns = []string{"START", "STOP", "RA_SCZ", "DEC_SCZ", "RA_SCX", "DEC_SCX", "IN_SAA"}

// Header keywords the connector reads: the time system of START and STOP
// and the file's name and creation date.
var Keywords = []string{"TIMESYS", "MJDREFI", "MJDREFF", "FILENAME", "DATE"}

// Reasons for skipping a row.
const (
	SkipInSAA   = "in the South Atlantic Anomaly (IN_SAA)"
	SkipNoTimes = "START or STOP null"
	SkipBadRow  = "invalid record"
)

// WarnNoPosition counts rows kept without a pointing.
const WarnNoPosition = "RA_SCZ/DEC_SCZ null or off the sky"

// FieldOfView is the LAT's field of view in steradians (Fermi FSSC, LAT
// overview: "2.4 sr").
const FieldOfView = 2.4

// FOVVertices is the number of vertices of the footprint polygon.
const FOVVertices = 24

// FOVRadius is the half-angle in degrees of the cone of FieldOfView
// steradians: Ω = 2π(1 − cos θ).
func FOVRadius() float64 { return math.Acos(1-FieldOfView/(2*math.Pi)) * 180 / math.Pi }

// fov is the LAT's field as a template: a regular polygon inscribed in the
// cone, its vertices on the tangent plane at tan θ.
func fov() activities.Template {
	r := math.Tan(FOVRadius()*math.Pi/180) * 180 / math.Pi
	v := make([][2]float64, FOVVertices)
	for i := range v {
		s, c := math.Sincos(2 * math.Pi * float64(i) / FOVVertices)
		v[i] = [2]float64{r * s, r * c}
	}
	return activities.Template{Name: "LAT", Parts: []activities.TemplatePart{{Name: "LAT", Vertices: v}}}
}

// lat is the LAT bandpass, 20 MeV to 300 GeV (ACROSS FERMI_LAT_MIN_ENERGY,
// FERMI_LAT_MAX_ENERGY).
func lat() activities.Bandpass {
	b, _ := activities.BandpassFromEnergy(20*activities.MegaElectronVolt, 300*activities.GigaElectronVolt)
	return b
}

// file is what the primary and SC_DATA headers say about the file.
type file struct {
	name     string
	fidelity activities.Fidelity
	week     int
	written  time.Time
	// mjdref is the MJD (TT) of mission time 0, split.
	mjdrefi, mjdreff float64
}

func headerError(card, reason string) error {
	return &connectors.SchemaError{Source: Name, Column: card, Reason: reason}
}

// readHeader collects the keywords from h (the later HDU wins).
func (f *file) readHeader(h *fits.Header) error {
	if s, ok := h.String("FILENAME"); ok {
		f.name = strings.TrimSpace(s)
	}
	if s, ok := h.String("DATE"); ok {
		t, err := astro.ParseTimestamp(strings.TrimSpace(s))
		if err != nil {
			return headerError("DATE", fmt.Sprintf("not a date: %.40q", s))
		}
		f.written = t
	}
	if s, ok := h.String("TIMESYS"); ok && strings.TrimSpace(s) != "TT" {
		return headerError("TIMESYS", fmt.Sprintf("time system %.20q, want TT", s))
	}
	if v, ok := h.Float("MJDREFI"); ok {
		f.mjdrefi = v
	}
	if c, ok := h.Card("MJDREFF"); ok {
		// FSSC writes it as a string in Fortran notation: '7.428703703703703D-4'.
		v, err := strconv.ParseFloat(strings.NewReplacer("D", "E", "d", "e").Replace(strings.TrimSpace(c.Value)), 64)
		if err != nil || v < 0 || v >= 1 {
			return headerError("MJDREFF", fmt.Sprintf("not a fraction of a day: %.40q", c.Value))
		}
		f.mjdreff = v
	}
	return nil
}

// ParseFileName splits an FT2 pointing file name,
// FERMI_POINTING_<PRELIM|FINAL>_<week>_<start>_<end>_<version>.fits, into
// its fidelity (low for PRELIM, high for FINAL) and mission week.
func ParseFileName(name string) (activities.Fidelity, int, error) {
	parts := strings.Split(strings.TrimSuffix(name, ".fits"), "_")
	if len(parts) != 7 || parts[0] != "FERMI" || parts[1] != "POINTING" {
		return "", 0, fmt.Errorf("%.80q is not a FERMI_POINTING_<kind>_<week>_<start>_<end>_<version>.fits name", name)
	}
	var fid activities.Fidelity
	switch parts[2] {
	case "PRELIM":
		fid = activities.FidelityLow
	case "FINAL":
		fid = activities.FidelityHigh
	default:
		return "", 0, fmt.Errorf("%.80q: kind %q is neither PRELIM nor FINAL", name, parts[2])
	}
	w, err := strconv.Atoi(parts[3])
	if err != nil || w < 0 {
		return "", 0, fmt.Errorf("%.80q: week %q is not a number", name, parts[3])
	}
	return fid, w, nil
}

// metMax bounds mission times (about 300 years).
const metMax = 1e10

// time converts a mission time (TT seconds from MJDREF) to UTC.
func (f *file) time(met float64) (time.Time, error) {
	if math.IsNaN(met) || math.Abs(met) > metMax {
		return time.Time{}, fmt.Errorf("mission time %v out of range", met)
	}
	days := math.Floor(met / 86400)
	t, err := astro.NewTime(astro.TT, astro.MJDZeroJD+f.mjdrefi+days, f.mjdreff+(met-days*86400)/86400)
	if err != nil {
		return time.Time{}, err
	}
	// The TT date is exact to well under a microsecond; astro (Time.Go)
	// gives it to the nanosecond; the files count whole seconds.
	return t.UTC().Go().Round(time.Millisecond), nil
}

// garbled wraps a FITS error: the reply is not the documented file.
func garbled(err error) error {
	return connectors.WithKind(fmt.Errorf("%s: %w", Name, err), connectors.ErrSchemaDrift)
}

// Parse reads one pointing file.
func Parse(b []byte) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "the FT2 pointing file", Title: title}
	}
	r := fits.NewReader(bytes.NewReader(b), fits.Options{})
	var f file
	for {
		h, err := r.NextHDU()
		if errors.Is(err, io.EOF) {
			return nil, &connectors.SchemaError{Source: Name, Column: Table, Reason: "no " + Table + " binary table in the file"}
		}
		if err != nil {
			return nil, garbled(err)
		}
		if err := f.readHeader(&h.Header); err != nil {
			return nil, err
		}
		if h.Name == Table {
			break
		}
	}
	if f.name == "" {
		return nil, headerError("FILENAME", "missing: the file's kind (PRELIM or FINAL) is in its name")
	}
	var err error
	if f.fidelity, f.week, err = ParseFileName(f.name); err != nil {
		return nil, headerError("FILENAME", err.Error())
	}
	if f.mjdrefi == 0 {
		return nil, headerError("MJDREFI", "missing: mission times cannot be dated")
	}
	t := r.Table()
	ix := map[string]int{}
	for _, c := range Columns {
		if ix[c] = t.ColumnIndex(c); ix[c] < 0 {
			return nil, &connectors.SchemaError{Source: Name, Column: c, Reason: Table + " column missing"}
		}
	}
	res := &connectors.Reply{}
	bp, tmpl := lat(), fov()
	for r.Next() {
		res.Records++
		a, skip, err := f.row(r.Row(), ix, res, tmpl)
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", Name, res.Records, err)
		}
		if skip != "" {
			res.Skip(skip)
			continue
		}
		a.Bandpass = &bp
		if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipBadRow)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	if err := r.Err(); err != nil {
		return nil, garbled(err)
	}
	return res, nil
}

func (f *file) row(r fits.Row, ix map[string]int, res *connectors.Reply, tmpl activities.Template) (a activities.Activity, skip string, err error) {
	if saa, ok := r.Bool(ix["IN_SAA"]); ok && saa {
		return a, SkipInSAA, nil
	}
	start, sok := r.Float(ix["START"])
	stop, eok := r.Float(ix["STOP"])
	if !sok || !eok {
		return a, SkipNoTimes, nil
	}
	var t [2]time.Time
	for i, c := range []struct {
		name string
		v    float64
	}{{"START", start}, {"STOP", stop}} {
		if t[i], err = f.time(c.v); err != nil {
			return a, "", &connectors.SchemaError{Source: Name, Column: c.name, Reason: err.Error()}
		}
	}
	key := strconv.FormatFloat(math.Floor(start), 'f', 0, 64)
	a = activities.Activity{ID: activities.NewID(Name, key), Source: Name,
		Kind: activities.KindPlanned, Fidelity: f.fidelity, Observatory: "NASA", Facility: "Fermi", Instrument: "LAT",
		Mode: "survey", DatasetID: f.name, Start: t[0], End: t[1],
		Programme: activities.Programme{ID: "week " + strconv.Itoa(f.week), Type: "survey"}}
	if d := stop - start; d >= 0 {
		a.Exposure = activities.Float(d)
	}
	if p, ok := pointing(r, ix); ok {
		a.Pointing = &p
		if fp, err := tmpl.Place(p); err == nil {
			a.Footprints = fp
		}
	} else {
		res.Warn(WarnNoPosition)
	}
	a.Revision = activities.Revision(activities.KindPlanned, f.written)
	return a, "", nil
}

// pointing is the z axis with the roll of the x axis about it.
func pointing(r fits.Row, ix map[string]int) (activities.Pointing, bool) {
	zra, ok1 := r.Float(ix["RA_SCZ"])
	zdec, ok2 := r.Float(ix["DEC_SCZ"])
	if !ok1 || !ok2 {
		return activities.Pointing{}, false
	}
	var roll *float64
	xra, ok3 := r.Float(ix["RA_SCX"])
	xdec, ok4 := r.Float(ix["DEC_SCX"])
	if ok3 && ok4 && math.Abs(xdec) <= 90 {
		pa := astro.PositionAngle(astro.Deg(zra), astro.Deg(zdec), astro.Deg(xra), astro.Deg(xdec)).Deg()
		roll = &pa
	}
	p, err := activities.NewPointing(zra, zdec, roll)
	return p, err == nil
}
