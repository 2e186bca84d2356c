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
	if d, ok := pointingTypes[p[wType]]; ok {
		n, err = decodePointing(&p, typ, d)
	} else if l, ok := classicAlerts[p[wType]]; ok {
		n, err = decodeClassicAlert(&p, typ, l)
	} else if _, known := classicTypes[p[wType]]; known {
		return nil, &DecodeError{Format: "classic", Type: typ, Reason: "this notice type is recognized but not decoded (pointing directions become activities, a few position notices alerts)", Err: ErrUnsupported}
	} else {
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

// pointingType is how the packets of one pointing-direction type become
// an activity: decodePointing reads the time and the position, builds the
// activity (a Swift observation, or a mission's pointing) and lets finish
// set what is particular to the type.
type pointingType struct {
	kind activities.Kind
	// fromSent starts the activity at the packet's time (words 2–3), else
	// at the event time (words 5–6).
	fromSent bool
	// raWord is the word of the RA, the Dec's the next (0.0001°).
	raWord int
	// rollWord is the word of the spacecraft's roll (0.0001°); 0 when the
	// packet carries none.
	rollWord int
	// mission describes a spacecraft's pointing; nil for a Swift
	// observation (swiftActivity).
	mission *missionPointing
	// declined, when set, says why a notice announces no observation (""
	// when it announces one): the notice then decodes to that Note alone.
	declined func(p *packet) string
	// finish, when set, completes the activity.
	finish func(p *packet, typ string, a *activities.Activity) error
	// revisionOffset is added to the activity's revision.
	revisionOffset int64
	// test, when set, reads the notice's test flag.
	test func(p *packet) bool
}

// missionPointing is the fixed part of a spacecraft's pointing activity.
type missionPointing struct {
	idPrefix, observatory, facility, instrument, mode, target string
	fov                                                       float64
}

// pointingTypes are the pointing-direction packets decoded, by type
// number. The word layouts are those of GCN's socket packet definition
// document (and gcn-classic-to-json's converters where cited).
var pointingTypes = map[int32]*pointingType{
	// SWIFT_POINTDIR, the pre-planned pointing, sent ~30–60 s before the
	// slew. Words: 4 trig_obs_num, 5–6 slew time, 7–9 RA, Dec, roll, 12
	// XRT mode, 13 UVOT mode, 14 planned duration (0.01 s), 22–25 target
	// name.
	83: {kind: activities.KindPlanned, raWord: 7, rollWord: 9, finish: swiftPlanned},
	// SWIFT_ACTUAL_POINTDIR, sent ~30 s after the end of each slew, from
	// the real-time housekeeping. Words: 4 trig_obs_num, 5–6 time on
	// target, 7–9 RA, Dec, roll.
	103: {kind: activities.KindStarted, raWord: 7, rollWord: 9},
	// SWIFT_SC_SLEW and SWIFT_TOO_SC_SLEW, the spacecraft's answer to a
	// slew request after a BAT trigger or a ToO.
	66: swiftSlew("GRB"),
	47: swiftSlew("ToO"),
	// SWIFT_FOM_OBS and SWIFT_TOO_FOM, the figure of merit's decision on a
	// new target.
	65: swiftFOM("GRB"),
	46: swiftFOM("ToO"),
	// FERMI_POINTDIR, Fermi's pointing (zenith-pointing survey with a
	// ±~30° rock), sent periodically. Words: 5–6 time, 7–8 RA, Dec at that
	// time, 9 the interval of the extrapolated samples that follow (s).
	// Only the current pointing is decoded.
	129: {kind: activities.KindStarted, raWord: 7, finish: fermiSamples, mission: &missionPointing{
		idPrefix: "fermi-pointdir:", observatory: "NASA Fermi", facility: "Fermi", instrument: "LAT", mode: "survey",
		target: "Fermi survey pointing", fov: fermiLATFOV,
	}},
	// INTEGRAL_POINTDIR, INTEGRAL's next pointing, sent before the slew.
	// Words: 5–6 time, 12 test flag (bit 31), 14–15 next RA, Dec —
	// gcn-classic-to-json's INTEGRAL_POINTDIR converter.
	51: {kind: activities.KindPlanned, raWord: 14, test: func(p *packet) bool { return uint32(p[12])>>31 == 1 }, mission: &missionPointing{
		idPrefix: "integral-pointdir:", observatory: "ESA INTEGRAL", facility: "INTEGRAL", instrument: "IBIS",
		target: "INTEGRAL next pointing", fov: integralIBISFOV,
	}},
}

// decodePointing decodes a pointing-direction packet of type d.
func decodePointing(p *packet, typ string, d *pointingType) (*Notice, error) {
	n := &Notice{Format: "classic", Type: typ}
	if d.declined != nil {
		if note := d.declined(p); note != "" {
			n.Note = note
			return n, nil
		}
	}
	when := p.eventTime
	if d.fromSent {
		when = p.packetTime
	}
	t, err := when(typ)
	if err != nil {
		return nil, err
	}
	var a activities.Activity
	if d.mission == nil {
		a, err = swiftActivity(p, typ, d.kind, d.raWord)
	} else {
		a, err = missionActivity(p, typ, d.kind, d.raWord, d.mission, t)
	}
	if err != nil {
		return nil, err
	}
	a.Start, a.Updated = t, t
	a.Revision = activities.Revision(d.kind, t) + d.revisionOffset
	// A pointing notice says where the spacecraft points: the target's
	// position is the boresight, with the roll where the packet has one.
	if err := setPointing(p, typ, d.rollWord, &a); err != nil {
		return nil, err
	}
	if d.finish != nil {
		if err := d.finish(p, typ, &a); err != nil {
			return nil, err
		}
	}
	n.Test = d.test != nil && d.test(p)
	n.Activities = []activities.Activity{a}
	return n, nil
}

// missionActivity is a spacecraft's pointing at t.
func missionActivity(p *packet, typ string, kind activities.Kind, wRA int, m *missionPointing, t time.Time) (activities.Activity, error) {
	ra, dec, err := p.position(typ, wRA)
	if err != nil {
		return activities.Activity{}, err
	}
	a := activities.Activity{
		ID:          activities.NewID(Name, m.idPrefix+t.Format("2006-01-02T15:04:05.00Z")),
		Source:      Name,
		Kind:        kind,
		Observatory: m.observatory,
		Facility:    m.facility,
		Instrument:  m.instrument,
		Mode:        m.mode,
		Target:      activities.Target{Name: m.target, FOVRadius: m.fov},
	}
	a.Target.SetPosition(ra, dec)
	return a, nil
}

// swiftPlanned completes SWIFT_POINTDIR: the planned duration (word 14),
// the target's name and the instruments' modes.
func swiftPlanned(p *packet, typ string, a *activities.Activity) error {
	dur := float64(p[14]) / 100
	if dur < 0 || dur > 30*86400 {
		return &DecodeError{Format: "classic", Type: typ, Field: "obs_time (word 14)", Reason: fmt.Sprintf("%v s is not a planned duration", dur)}
	}
	if dur > 0 {
		a.End = a.Start.Add(time.Duration(dur * float64(time.Second)))
	}
	a.Target.Name = p.text(22, 26)
	a.Mode = fmt.Sprintf("XRT %s; UVOT 0x%04x", xrtMode(p[12]), uint32(p[13])&0xffff)
	return nil
}

// swiftSlew is SWIFT_SC_SLEW or SWIFT_TOO_SC_SLEW (programme type prog).
// Words: 4 trig_obs_num, 5–6 trigger time, 7–9 RA, Dec, roll, 13 wait
// time and 14 observation time (0.01 s), 18 slew return code (0: the slew
// will be executed). The observation starts the wait after the packet.
func swiftSlew(prog string) *pointingType {
	return &pointingType{
		kind: activities.KindPlanned, fromSent: true, raWord: 7, rollWord: 9,
		declined: func(p *packet) string {
			if code := p[18]; code != 0 {
				return fmt.Sprintf("the slew will not be executed (slew return code %d)", code)
			}
			return ""
		},
		finish: func(p *packet, typ string, a *activities.Activity) error {
			wait, obs := float64(p[13])/100, float64(p[14])/100
			if wait < 0 || wait > 86400 || obs < 0 || obs > 30*86400 {
				return &DecodeError{Format: "classic", Type: typ, Field: "wait_time/obs_time (words 13-14)", Reason: fmt.Sprintf("%v s, %v s are not durations", wait, obs)}
			}
			a.Start = a.Updated.Add(time.Duration(wait * float64(time.Second)))
			if obs > 0 {
				a.End = a.Start.Add(time.Duration(obs * float64(time.Second)))
			}
			a.Programme.Type = prog
			return nil
		},
	}
}

// swiftFOM is SWIFT_FOM_OBS or SWIFT_TOO_FOM (programme type prog).
// Words: 4 trig_obs_num, 5–6 trigger time, 7–9 RA, Dec, roll, 18 flags
// (bit 0 a new automated target, bit 1 sufficient merit: the FOM will
// request the observation only with both). Its revision is one below the
// slew notice of the same second, which knows more.
func swiftFOM(prog string) *pointingType {
	return &pointingType{
		kind: activities.KindPlanned, fromSent: true, raWord: 7, rollWord: 9, revisionOffset: -1,
		declined: func(p *packet) string {
			if p[18]&3 != 3 {
				return fmt.Sprintf("the figure of merit will not observe (flags 0x%x)", p[18]&3)
			}
			return ""
		},
		finish: func(_ *packet, _ string, a *activities.Activity) error {
			a.Programme.Type = prog
			return nil
		},
	}
}

// fermiSamples ends FERMI_POINTDIR's pointing when its samples run out:
// 29 samples after the current one, word 9 seconds apart (GCN's
// FERMI_POINTDIR announcement, 21 Feb 2009).
func fermiSamples(p *packet, _ string, a *activities.Activity) error {
	if step := p[9]; step > 0 && step < 3600 {
		a.End = a.Start.Add(time.Duration(step) * 29 * time.Second)
	}
	return nil
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

// setPointing records the activity's position as the spacecraft's
// pointing, with the roll of word w (0.0001°, GCN's socket packet
// definition document; gcn-classic-to-json's SWIFT_POINTDIR `roll`) when
// w is not 0.
func setPointing(p *packet, typ string, w int, a *activities.Activity) error {
	ra, dec, ok := a.Target.Position()
	if !ok {
		return nil
	}
	var roll *float64
	if w != 0 {
		r := p.deg(w)
		if r < -360 || r > 360 {
			return &DecodeError{Format: "classic", Type: typ, Field: fmt.Sprintf("roll (word %d)", w), Reason: fmt.Sprintf("%v° is not a roll angle", r)}
		}
		roll = &r
	}
	pt, err := activities.NewPointing(ra, dec, roll)
	if err != nil {
		return &DecodeError{Format: "classic", Type: typ, Field: "pointing", Reason: err.Error()}
	}
	a.Pointing = &pt
	return nil
}
