package gcn

import (
	"fmt"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// The fields of view given to spacecraft pointings.
const (
	// swiftXRTFOV is the XRT field-of-view radius used when the project's
	// instrument table has none (23.6′ diameter: Swift technical handbook,
	// as connectors/swift uses it).
	swiftXRTFOV = 0.1967
	// fermiLATFOV is the radius of a cone of 2.4 sr, the LAT's field of
	// view (Atwood et al. 2009, ApJ 697, 1071): 2π(1 − cos θ) = 2.4.
	fermiLATFOV = 51.8
	// integralIBISFOV is the radius of the circle around IBIS's 9° × 9°
	// fully coded field (Ubertini et al. 2003, A&A 411, L131).
	integralIBISFOV = 6.4
)

// swiftSource is the source name of connectors/swift, whose IDs Swift
// pointings share.
const swiftSource = "swift"

// DecodeClassic decodes a GCN Classic binary packet. The pointing-direction
// types become activities, the position notices of Swift BAT and UVOT,
// MAXI, GECAM and Super-Kamiokande alerts (classicalert.go); other known
// types are refused with an error matching ErrUnsupported, unknown ones
// with an error naming the number.
func DecodeClassic(b []byte) (*Notice, error) {
	p, err := parsePacket(b)
	if err != nil {
		return nil, err
	}
	typ := ClassicTypeName(p[wType])
	var n *Notice
	switch p[wType] {
	case 83: // SWIFT_POINTDIR
		n, err = swiftPointDir(&p, typ)
	case 103: // SWIFT_ACTUAL_POINTDIR
		n, err = swiftActualPointDir(&p, typ)
	case 66, 47: // SWIFT_SC_SLEW, SWIFT_TOO_SC_SLEW
		n, err = swiftSlew(&p, typ)
	case 65, 46: // SWIFT_FOM_OBS, SWIFT_TOO_FOM
		n, err = swiftFOM(&p, typ)
	case 129: // FERMI_POINTDIR
		n, err = fermiPointDir(&p, typ)
	case 51: // INTEGRAL_POINTDIR
		n, err = integralPointDir(&p, typ)
	default:
		if l, ok := classicAlerts[p[wType]]; ok {
			n, err = decodeClassicAlert(&p, typ, l)
			break
		}
		if _, known := classicTypes[p[wType]]; known {
			return nil, &DecodeError{Format: "classic", Type: typ, Reason: "this notice type is recognized but not decoded (pointing directions become activities, a few position notices alerts)", Err: ErrUnsupported}
		}
		return nil, &DecodeError{Format: "classic", Type: typ, Field: "pkt_type (word 0)", Reason: fmt.Sprintf("unknown GCN Classic packet type %d", p[wType])}
	}
	if err != nil {
		return nil, err
	}
	if err := n.check(); err != nil {
		return nil, err
	}
	return n, nil
}

// swiftObsID is the Swift observation ID of a trig_obs_num word: target ID
// in bits 0–23, segment in bits 24–31 (GCN socket packet definition
// document), printed as connectors/swift prints it: 8-digit target and
// 3-digit segment.
func swiftObsID(w int32) (obsid string, target, segment int) {
	target, segment = int(w&0xffffff), int(uint32(w)>>24)
	return fmt.Sprintf("%08d%03d", target, segment), target, segment
}

// swiftActivity starts an activity for a Swift observation, under the ID
// and source of connectors/swift.
func swiftActivity(p *packet, typ string, kind activities.Kind, wRA int) (activities.Activity, error) {
	obsid, target, _ := swiftObsID(p[wTrigObs])
	if target == 0 {
		return activities.Activity{}, &DecodeError{Format: "classic", Type: typ, Field: "trig_obs_num (word 4)", Reason: "no Swift target ID"}
	}
	ra, dec, err := p.position(typ, wRA)
	if err != nil {
		return activities.Activity{}, err
	}
	fov, ok := archive.CatalogFOV("Swift", "XRT")
	if !ok {
		fov = swiftXRTFOV
	}
	a := activities.Activity{
		ID:          activities.NewID(swiftSource, obsid),
		Source:      swiftSource,
		Kind:        kind,
		Observatory: "NASA Swift",
		Facility:    "Swift",
		Instrument:  "XRT+UVOT",
		Programme:   activities.Programme{ID: fmt.Sprint(target)},
		Target:      activities.Target{FOVRadius: fov},
		DatasetID:   obsid,
		Links:       []activities.Link{{Title: "Swift observation", URL: fmt.Sprintf("https://www.swift.ac.uk/archive/selectseq.php?tid=%d", target)}},
	}
	a.Target.SetPosition(ra, dec)
	return a, nil
}

// swiftPointDir: SWIFT_POINTDIR, the pre-planned pointing, sent ~30–60 s
// before the slew. Words: 4 trig_obs_num, 5–6 slew time, 7–9 RA, Dec, roll
// (0.0001°), 12 XRT mode, 13 UVOT mode, 14 planned duration (0.01 s),
// 22–25 target name.
func swiftPointDir(p *packet, typ string) (*Notice, error) {
	start, err := p.eventTime(typ)
	if err != nil {
		return nil, err
	}
	a, err := swiftActivity(p, typ, activities.KindPlanned, 7)
	if err != nil {
		return nil, err
	}
	dur := float64(p[14]) / 100
	if dur < 0 || dur > 30*86400 {
		return nil, &DecodeError{Format: "classic", Type: typ, Field: "obs_time (word 14)", Reason: fmt.Sprintf("%v s is not a planned duration", dur)}
	}
	a.Start, a.Updated = start, start
	if dur > 0 {
		a.End = start.Add(time.Duration(dur * float64(time.Second)))
	}
	a.Target.Name = p.text(22, 26)
	a.Mode = fmt.Sprintf("XRT %s; UVOT 0x%04x", xrtMode(p[12]), uint32(p[13])&0xffff)
	a.Revision = activities.Revision(activities.KindPlanned, start)
	return &Notice{Format: "classic", Type: typ, Activities: []activities.Activity{a}}, nil
}

// swiftActualPointDir: SWIFT_ACTUAL_POINTDIR, sent ~30 s after the end of
// each slew, from the real-time housekeeping. Words: 4 trig_obs_num, 5–6
// time on target, 7–9 RA, Dec, roll.
func swiftActualPointDir(p *packet, typ string) (*Notice, error) {
	start, err := p.eventTime(typ)
	if err != nil {
		return nil, err
	}
	a, err := swiftActivity(p, typ, activities.KindStarted, 7)
	if err != nil {
		return nil, err
	}
	a.Start, a.Updated = start, start
	a.Revision = activities.Revision(activities.KindStarted, start)
	return &Notice{Format: "classic", Type: typ, Activities: []activities.Activity{a}}, nil
}

// swiftSlew: SWIFT_SC_SLEW and SWIFT_TOO_SC_SLEW, the spacecraft's answer
// to a slew request after a BAT trigger or a ToO. Words: 4 trig_obs_num,
// 5–6 trigger time, 7–9 RA, Dec, roll, 13 wait time and 14 observation time
// (0.01 s), 18 slew return code (0: the slew will be executed).
func swiftSlew(p *packet, typ string) (*Notice, error) {
	n := &Notice{Format: "classic", Type: typ}
	if code := p[18]; code != 0 {
		n.Note = fmt.Sprintf("the slew will not be executed (slew return code %d)", code)
		return n, nil
	}
	sent, err := p.packetTime(typ)
	if err != nil {
		return nil, err
	}
	a, err := swiftActivity(p, typ, activities.KindPlanned, 7)
	if err != nil {
		return nil, err
	}
	wait, obs := float64(p[13])/100, float64(p[14])/100
	if wait < 0 || wait > 86400 || obs < 0 || obs > 30*86400 {
		return nil, &DecodeError{Format: "classic", Type: typ, Field: "wait_time/obs_time (words 13-14)", Reason: fmt.Sprintf("%v s, %v s are not durations", wait, obs)}
	}
	a.Start = sent.Add(time.Duration(wait * float64(time.Second)))
	if obs > 0 {
		a.End = a.Start.Add(time.Duration(obs * float64(time.Second)))
	}
	a.Updated = sent
	a.Programme.Type = "ToO"
	if p[wType] == 66 {
		a.Programme.Type = "GRB"
	}
	a.Revision = activities.Revision(activities.KindPlanned, sent)
	n.Activities = []activities.Activity{a}
	return n, nil
}

// swiftFOM: SWIFT_FOM_OBS and SWIFT_TOO_FOM, the figure-of-merit's
// decision on a new target. Words: 4 trig_obs_num, 5–6 trigger time, 7–9
// RA, Dec, roll, 18 flags (bit 0 a new automated target, bit 1 sufficient
// merit: the FOM will request the observation only with both).
func swiftFOM(p *packet, typ string) (*Notice, error) {
	n := &Notice{Format: "classic", Type: typ}
	if p[18]&3 != 3 {
		n.Note = fmt.Sprintf("the figure of merit will not observe (flags 0x%x)", p[18]&3)
		return n, nil
	}
	sent, err := p.packetTime(typ)
	if err != nil {
		return nil, err
	}
	a, err := swiftActivity(p, typ, activities.KindPlanned, 7)
	if err != nil {
		return nil, err
	}
	a.Start, a.Updated = sent, sent
	a.Programme.Type = "ToO"
	if p[wType] == 65 {
		a.Programme.Type = "GRB"
	}
	// One revision below the slew notice of the same second, which knows more.
	a.Revision = activities.Revision(activities.KindPlanned, sent) - 1
	n.Activities = []activities.Activity{a}
	return n, nil
}

// fermiPointDir: FERMI_POINTDIR, Fermi's pointing (zenith-pointing survey
// with a ±~30° rock), sent periodically. Words: 5–6 time, 7–8 RA, Dec
// (0.0001°) at that time, 9 the interval of the extrapolated samples that
// follow (s). Only the current pointing is decoded.
func fermiPointDir(p *packet, typ string) (*Notice, error) {
	t, err := p.eventTime(typ)
	if err != nil {
		return nil, err
	}
	ra, dec, err := p.position(typ, 7)
	if err != nil {
		return nil, err
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, "fermi-pointdir:"+t.Format("2006-01-02T15:04:05.00Z")),
		Source:      Name,
		Kind:        activities.KindStarted,
		Observatory: "NASA Fermi",
		Facility:    "Fermi",
		Instrument:  "LAT",
		Mode:        "survey",
		Target:      activities.Target{Name: "Fermi survey pointing", FOVRadius: fermiLATFOV},
		Start:       t,
		Updated:     t,
		Revision:    activities.Revision(activities.KindStarted, t),
	}
	if step := p[9]; step > 0 && step < 3600 {
		// The notice describes the pointing until its samples run out:
		// 29 samples after the current one (GCN's FERMI_POINTDIR
		// announcement, 21 Feb 2009).
		a.End = t.Add(time.Duration(step) * 29 * time.Second)
	}
	a.Target.SetPosition(ra, dec)
	return &Notice{Format: "classic", Type: typ, Activities: []activities.Activity{a}}, nil
}

// integralPointDir: INTEGRAL_POINTDIR, INTEGRAL's next pointing, sent
// before the slew. Words: 5–6 time, 12 test flag (bit 31), 14–15 next RA,
// Dec (0.0001°) — gcn-classic-to-json's INTEGRAL_POINTDIR converter.
func integralPointDir(p *packet, typ string) (*Notice, error) {
	t, err := p.eventTime(typ)
	if err != nil {
		return nil, err
	}
	ra, dec, err := p.position(typ, 14)
	if err != nil {
		return nil, err
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, "integral-pointdir:"+t.Format("2006-01-02T15:04:05.00Z")),
		Source:      Name,
		Kind:        activities.KindPlanned,
		Observatory: "ESA INTEGRAL",
		Facility:    "INTEGRAL",
		Instrument:  "IBIS",
		Target:      activities.Target{Name: "INTEGRAL next pointing", FOVRadius: integralIBISFOV},
		Start:       t,
		Updated:     t,
		Revision:    activities.Revision(activities.KindPlanned, t),
	}
	a.Target.SetPosition(ra, dec)
	return &Notice{Format: "classic", Type: typ, Test: uint32(p[12])>>31 == 1, Activities: []activities.Activity{a}}, nil
}

// xrtMode names an XRT mode code (the Swift TOO API's codes, as
// connectors/swift/mapping.json lists them).
func xrtMode(code int32) string {
	names := [...]string{"Auto", "Null", "ShortIM", "LongIM", "PUPD", "LRPD", "WT", "PC", "Raw", "Bias"}
	if code >= 0 && int(code) < len(names) {
		return names[code]
	}
	return fmt.Sprintf("mode %d", code)
}
