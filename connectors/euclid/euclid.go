// Package euclid reads Euclid's planned pointing file, as NASA's ACROSS
// does: the page https://www.cosmos.esa.int/web/euclid/where-is-euclid-observing
// links the current file (the first link whose text names a .txt file,
// relative to https://www.cosmos.esa.int), a whitespace-separated text of
// records: START, SLEW, POINTING, ... A POINTING record has 28 columns
// (record_type, obs_tag, mjd, utc, duration, obs_id, pointing_id,
// dither_id, patch_id, quat_x..w, center_lon, center_lat, pos_angle, saa,
// alpha, corner_x0..y3, area, grism); only those whose obs_tag starts with
// a science survey prefix (WIDE, SOUTH, NORTH, CPC, DEEP, INFILL, COLOR,
// ROS, PHOTO-Z) are observations.
//
// Each science pointing gives two planned activities of low fidelity, as
// ACROSS creates them: VIS imaging (550-990 nm, 566 s) and NISP grism
// spectroscopy (red grism 1250-1850 nm or blue 920-1250 nm, 574 s; red when
// the record names none), both at (center_lon, center_lat) with roll
// pos_angle and the footprint the four corners give. The activity spans
// the pointing: from utc for duration seconds (a SLEW record of 1805 s
// starting at 00:00:00 is followed by the pointing at 00:30:05 in the
// recorded file). ACROSS's three NISP photometric exposures (Y, J, H) are
// not listed separately.
package euclid

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/arcsecond-go/arcsecond/astro"
	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// Name is the source's registered name and the prefix of its IDs.
const Name = "euclid"

// PointingColumns are the columns of a POINTING record (ACROSS
// POINTING_COLUMNS).
var PointingColumns = []string{"record_type", "obs_tag", "mjd", "utc", "duration", "obs_id", "pointing_id",
	"dither_id", "patch_id", "quat_x", "quat_y", "quat_z", "quat_w", "center_lon", "center_lat", "pos_angle",
	"saa", "alpha", "corner_x0", "corner_y0", "corner_x1", "corner_y1", "corner_x2", "corner_y2", "corner_x3",
	"corner_y3", "area", "grism"}

// ScienceTags are the obs_tag prefixes of survey observations (ACROSS
// SCIENCE_OBS_TAGS_PREFIXES).
var ScienceTags = []string{"WIDE", "SOUTH", "NORTH", "CPC", "DEEP", "INFILL", "COLOR", "ROS", "PHOTO-Z"}

// Reasons for skipping a record.
const (
	SkipNotPointing = "not a POINTING record (START, SLEW, ...)"
	SkipNotScience  = "obs_tag not a science survey"
	SkipShort       = "POINTING record with too few columns"
	SkipBadRow      = "invalid record"
)

// The instruments' bands and exposures (ACROSS constants.py).
var (
	visBand   = [2]float64{550, 990}
	redGrism  = [2]float64{1250, 1850}
	blueGrism = [2]float64{920, 1250}
)

const (
	visExposure   = 566
	grismExposure = 574
)

func nm(b [2]float64) *activities.Bandpass {
	bp, _ := activities.BandpassFromWavelength(activities.Wavelength(b[0])*activities.Nanometre, activities.Wavelength(b[1])*activities.Nanometre)
	return &bp
}

// Parse reads a pointing file. Records counts the file's records, a
// science POINTING twice (it gives a VIS and a NISP activity), so that
// Records is the activities plus the skips.
func Parse(b []byte) (*connectors.Reply, error) {
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "the pointing file (text)", Title: title}
	}
	res := &connectors.Reply{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		res.Records++
		f := strings.Fields(line)
		if f[0] != "POINTING" {
			res.Skip(SkipNotPointing)
			continue
		}
		if len(f) < len(PointingColumns)-1 {
			res.Skip(SkipShort)
			continue
		}
		if !science(f[1]) {
			res.Skip(SkipNotScience)
			continue
		}
		if err := pointing(f, n, res); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return res, nil
}

func science(tag string) bool {
	for _, p := range ScienceTags {
		if strings.HasPrefix(tag, p) {
			return true
		}
	}
	return false
}

func col(name string) int {
	for i, c := range PointingColumns {
		if c == name {
			return i
		}
	}
	panic("euclid: no column " + name)
}

func pointing(f []string, line int, res *connectors.Reply) error {
	num := func(name string) (float64, error) {
		v, err := strconv.ParseFloat(f[col(name)], 64)
		if err != nil {
			return 0, &connectors.SchemaError{Source: Name, Column: name, Reason: fmt.Sprintf("line %d: not a number: %.40q", line, f[col(name)])}
		}
		return v, nil
	}
	start, err := astro.ParseTimestamp(f[col("utc")])
	if err != nil {
		return &connectors.SchemaError{Source: Name, Column: "utc", Reason: fmt.Sprintf("line %d: %v", line, err)}
	}
	vals := map[string]float64{}
	for _, c := range []string{"duration", "center_lon", "center_lat", "pos_angle", "corner_x0", "corner_y0", "corner_x1", "corner_y1", "corner_x2", "corner_y2", "corner_x3", "corner_y3"} {
		v, err := num(c)
		if err != nil {
			return err
		}
		vals[c] = v
	}
	p, err := activities.NewPointing(vals["center_lon"], vals["center_lat"], activities.Float(vals["pos_angle"]))
	if err != nil {
		res.Records++ // the second activity of this record is skipped too
		res.Skip(SkipBadRow)
		res.Skip(SkipBadRow)
		res.Warn("center off the sky")
		return nil
	}
	poly := make([][2]float64, 4)
	for i := range poly {
		ra := math.Mod(vals[fmt.Sprintf("corner_x%d", i)], 360)
		if ra < 0 {
			ra += 360
		}
		if ra >= 360 {
			ra = 0
		}
		poly[i] = [2]float64{ra, vals[fmt.Sprintf("corner_y%d", i)]}
	}
	grism := ""
	if len(f) >= len(PointingColumns) {
		grism = f[col("grism")]
	}
	key := strings.Join([]string{f[col("obs_id")], f[col("pointing_id")], f[col("dither_id")]}, "-")
	end := start.Add(time.Duration(vals["duration"] * float64(time.Second)))
	if vals["duration"] < 0 || vals["duration"] > 86400 {
		end = time.Time{}
		res.Warn("duration outside 0..86400 s")
	}
	base := activities.Activity{Source: Name, Kind: activities.KindPlanned, Fidelity: activities.FidelityLow,
		Observatory: "ESA", Facility: "Euclid", Start: start, End: end, DatasetID: f[col("obs_id")], Pointing: &p,
		Footprints: []activities.Footprint{{Name: "VIS", Polygon: poly}},
		Programme:  activities.Programme{ID: f[col("obs_tag")], Type: "survey"}}
	base.Target.Name = f[col("obs_tag")] + " " + key
	archive.SetPosition(&base.Target, p.RA, p.Dec)
	vis := base
	vis.ID = activities.NewID(Name, key+"-VIS")
	vis.Instrument, vis.Mode, vis.Bandpass, vis.Exposure = "VIS", "imaging", nm(visBand), activities.Float(visExposure)
	nisp := base
	nisp.ID = activities.NewID(Name, key+"-NISP")
	band, mode := redGrism, "grism RED"
	if grism != "" && !strings.HasPrefix(grism, "RED") {
		band, mode = blueGrism, "grism "+grism
	}
	nisp.Instrument, nisp.Mode, nisp.Bandpass, nisp.Exposure = "NISP", mode, nm(band), activities.Float(grismExposure)
	res.Records++ // a POINTING record gives two activities: count both
	for _, a := range []activities.Activity{vis, nisp} {
		a.Revision = activities.Revision(a.Kind, time.Time{})
		if err := a.Validate(); err != nil {
			res.Warn("invalid record: " + err.Error())
			res.Skip(SkipBadRow)
			continue
		}
		res.Activities = append(res.Activities, a)
	}
	return nil
}
