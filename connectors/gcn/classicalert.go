package gcn

import (
	"fmt"
	"time"

	"github.com/arcsecond-go/arcsecond/alerts"
)

// classicAlert is the layout of a GCN Classic position notice that becomes
// an alert: event time in words 5–6, RA and Dec in words 7–8 (0.0001°),
// the error radius in errWord (errUnit degrees per count). See
// testdata/PROVENANCE.md for the source of each row.
type classicAlert struct {
	mission, instrument, eventType string
	// key prefixes the event number of word 4 in the alert ID; notices
	// of one event share it ("swift-grb" for BAT, XRT and UVOT positions).
	key string
	// swiftTrig takes the trigger number from bits 0–23 of word 4.
	swiftTrig bool
	errWord   int
	errUnit   float64
	// sodUnit is the unit of word 6 (default 0.01 s).
	sodUnit time.Duration
	// seq and record rank the notice among those of its event.
	seq, record int
	// test marks a test notice type; testBit, when set, reads the test
	// flag from a packet.
	test    bool
	testBit func(p *packet) bool
	// containment is the probability of the error circle (0: unknown).
	containment float64
}

var classicAlerts = map[int32]classicAlert{
	// Swift BAT: nasa-gcn/gcn-classic-to-json SWIFT_BAT_GRB_POS_ACK
	// converter; QL_POS, TRANS and GRB_POS_TEST agree with its outputs.
	97: {mission: "Swift", instrument: "BAT", eventType: "grb", key: "swift-grb", swiftTrig: true, errWord: 11, errUnit: 1e-4, seq: alerts.SeqInitial, record: 0},
	61: {mission: "Swift", instrument: "BAT", eventType: "grb", key: "swift-grb", swiftTrig: true, errWord: 11, errUnit: 1e-4, seq: alerts.SeqInitial, record: 1},
	82: {mission: "Swift", instrument: "BAT", eventType: "grb", key: "swift-grb", swiftTrig: true, errWord: 11, errUnit: 1e-4, seq: alerts.SeqInitial, record: 1, test: true},
	84: {mission: "Swift", instrument: "BAT", eventType: "hard x-ray transient", key: "swift-trans", swiftTrig: true, errWord: 11, errUnit: 1e-4, seq: alerts.SeqInitial, record: 1},
	// Swift UVOT position: error in 0.01″ (converter output of SWIFT_UVOT_POS).
	81: {mission: "Swift", instrument: "UVOT", eventType: "grb", key: "swift-grb", swiftTrig: true, errWord: 16, errUnit: 0.01 / 3600, seq: alerts.SeqUpdate, record: 3},
	// MAXI: the MAXI_UNKNOWN converter.
	134: {mission: "MAXI", instrument: "GSC", eventType: "x-ray transient", key: "maxi", errWord: 11, errUnit: 1e-4, seq: alerts.SeqInitial, record: 1},
	136: {mission: "MAXI", instrument: "GSC", eventType: "x-ray transient", key: "maxi", errWord: 11, errUnit: 1e-4, seq: alerts.SeqInitial, record: 1, test: true},
	// GECAM: the GECAM_FLT converter (event SOD in 0.0001 s, 68% error).
	188: {mission: "GECAM", eventType: "grb", key: "gecam", errWord: 10, errUnit: 1e-4, sodUnit: 100 * time.Microsecond, seq: alerts.SeqInitial, record: 1, containment: 0.68},
	189: {mission: "GECAM", eventType: "grb", key: "gecam", errWord: 10, errUnit: 1e-4, sodUnit: 100 * time.Microsecond, seq: alerts.SeqUpdate, record: 2, containment: 0.68},
	// Super-Kamiokande supernova: the SK_SN converter (test: bit 1 of word 18).
	175: {mission: "Super-Kamiokande", eventType: "supernova neutrinos", key: "superk", errWord: 15, errUnit: 1e-4, seq: alerts.SeqInitial, record: 1,
		testBit: func(p *packet) bool { return p[18]&2 != 0 }},
}

// decodeClassicAlert turns a position notice into an alert.
func decodeClassicAlert(p *packet, typ string, l classicAlert) (*Notice, error) {
	sodUnit := l.sodUnit
	if sodUnit == 0 {
		sodUnit = 10 * time.Millisecond
	}
	tjd, sod := p[wTJD], p[wEventSOD]
	if tjd <= 0 || tjd > 99999 || sod < 0 || time.Duration(sod)*sodUnit > 24*time.Hour {
		return nil, &DecodeError{Format: "classic", Type: typ, Field: "tjd/sod (words 5-6)", Reason: fmt.Sprintf("TJD %d, SOD %d is not a time", tjd, sod)}
	}
	trig, _ := tjdTime(tjd, 0)
	trig = trig.Add(time.Duration(sod) * sodUnit)
	sent, _ := tjdTime(tjd, max(0, min(p[wSOD], 8640000)))
	ra, dec, err := p.position(typ, 7)
	if err != nil {
		return nil, err
	}
	r := float64(p[l.errWord]) * l.errUnit
	if r < 0 || r > 180 {
		return nil, &DecodeError{Format: "classic", Type: typ, Field: fmt.Sprintf("error radius (word %d)", l.errWord), Reason: fmt.Sprintf("%v° is not a radius", r)}
	}
	num := int64(p[wTrigObs])
	if l.swiftTrig {
		num = int64(p[wTrigObs] & 0xffffff)
	}
	test := l.test || (l.testBit != nil && l.testBit(p))
	loc := alerts.CircleAt(ra, dec, r)
	loc.Containment = l.containment
	a := alerts.Alert{
		ID:           alerts.NewID(Name, fmt.Sprintf("%s:%d", l.key, num)),
		Revision:     alerts.Revision(l.seq, l.record, sent),
		Source:       Name,
		Status:       alerts.StatusActive,
		Test:         test,
		Mission:      l.mission,
		Instrument:   l.instrument,
		EventType:    l.eventType,
		Notice:       typ,
		TriggerTime:  trig,
		Issued:       sent,
		Localization: loc,
	}
	return &Notice{Format: "classic", Type: typ, Test: test, Alerts: []alerts.Alert{a}}, nil
}
