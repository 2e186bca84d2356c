package gcn

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/alerts"
)

// packetWith builds a packet from a recorded one with some words changed.
func packetWith(t *testing.T, typ string, words map[int]int32) []byte {
	t.Helper()
	b := append([]byte(nil), readPacket(t, typ)...)
	for i, v := range words {
		binary.BigEndian.PutUint32(b[4*i:], uint32(v))
	}
	return b
}

func TestClassicRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		b          []byte
		unsupp     bool
	}{
		{"short", "neither a 160-byte GCN Classic packet", make([]byte, 159), false},
		{"unknown type", "unknown GCN Classic packet type 250", packetWith(t, "SWIFT_POINTDIR", map[int]int32{0: 250}), false},
		{"known but undecoded", "SWIFT_XRT_LC", readPacket(t, "SWIFT_XRT_LC"), true},
		{"dec out of range", "ra/dec (words 7-8)", packetWith(t, "SWIFT_POINTDIR", map[int]int32{8: 950000}), false},
		{"ra negative", "ra/dec (words 7-8)", packetWith(t, "SWIFT_ACTUAL_POINTDIR", map[int]int32{7: -5}), false},
		{"bad TJD", "tjd/sod", packetWith(t, "SWIFT_POINTDIR", map[int]int32{5: -3}), false},
		{"bad SOD", "tjd/sod", packetWith(t, "FERMI_POINTDIR", map[int]int32{6: 9000000}), false},
		{"no Swift target", "trig_obs_num", packetWith(t, "SWIFT_POINTDIR", map[int]int32{4: 2 << 24}), false},
		{"negative duration", "obs_time (word 14)", packetWith(t, "SWIFT_POINTDIR", map[int]int32{14: -1}), false},
		{"INTEGRAL dec", "words 14-15", packetWith(t, "INTEGRAL_POINTDIR", map[int]int32{15: -900001}), false},
	} {
		_, err := Decode("", tc.b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
		if errors.Is(err, ErrUnsupported) != tc.unsupp {
			t.Errorf("%s: errors.Is(ErrUnsupported) = %v", tc.name, !tc.unsupp)
		}
	}
}

// TestSwiftMergesWithTimeline: a pointing notice carries the Swift
// timeline's ID; its revision is above the pre-planned timeline's and below
// the as-flown one's, and the actual pointing outranks the planned one.
func TestSwiftMergesWithTimeline(t *testing.T) {
	planned, err := Decode("", readPacket(t, "SWIFT_POINTDIR"))
	if err != nil {
		t.Fatal(err)
	}
	a := planned.Activities[0]
	if a.ID != "swift:00097317002" || a.Source != "swift" || a.Kind != "planned" {
		t.Fatalf("%v", a)
	}
	timelinePlanned := int64(1) << 56 // activities.Revision(planned, zero), as connectors/swift sets it
	asFlown := int64(3) << 56         // activities.Revision(completed, zero)
	if !(a.Revision > timelinePlanned && a.Revision < asFlown) {
		t.Errorf("revision %d not between the planned timeline's %d and the as-flown's %d", a.Revision, timelinePlanned, asFlown)
	}
	// The same observation actually started (same trig_obs_num).
	b := packetWith(t, "SWIFT_ACTUAL_POINTDIR", map[int]int32{4: 2<<24 | 97317, 5: 20439, 6: 8376000 + 6000})
	started, err := Decode("", b)
	if err != nil {
		t.Fatal(err)
	}
	s := started.Activities[0]
	if s.ID != a.ID || s.Revision <= a.Revision || s.Kind != "started" {
		t.Errorf("started %v (rev %d) does not replace planned %v (rev %d)", s, s.Revision, a, a.Revision)
	}
	// The slew notice outranks the figure-of-merit notice of the same trigger.
	fom, _ := Decode("", readPacket(t, "SWIFT_FOM_OBS"))
	slew, _ := Decode("", readPacket(t, "SWIFT_SC_SLEW"))
	if fom.Activities[0].ID != slew.Activities[0].ID || fom.Activities[0].Revision >= slew.Activities[0].Revision {
		t.Errorf("FOM %v / slew %v", fom.Activities[0], slew.Activities[0])
	}
	if d := slew.Activities[0].End.Sub(slew.Activities[0].Start); d != 1890*time.Second {
		t.Errorf("slew observation lasts %s, want 1890 s", d)
	}
	// A FOM that will not observe yields no activity, with a note.
	declined, err := Decode("", packetWith(t, "SWIFT_FOM_OBS", map[int]int32{18: 1}))
	if err != nil || len(declined.Activities) != 0 || declined.Note == "" {
		t.Errorf("declined FOM: %+v %v", declined, err)
	}
}

func TestJSONRefusals(t *testing.T) {
	const maxi = `"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI"`
	for _, tc := range []struct{ name, in, want string }{
		{"not JSON", `{"a":`, "not a JSON notice"},
		{"no schema", `{"mission":"X"}`, "$schema"},
		{"core", `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/core/Pointing.schema.json"}`, "building block"},
		{"unknown schema", `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/nope/x.schema.json"}`, "unknown notice schema"},
		{"no trigger time", `{` + maxi + `,"id":"1"}`, "trigger_time"},
		{"bad time", `{` + maxi + `,"id":"1","trigger_time":"yesterday"}`, "not an ISO 8601 time"},
		{"bad alert type", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","alert_type":"maybe"}`, "alert_type"},
		{"dec > 90", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","ra":1,"dec":91}`, "ra/dec"},
		{"half position", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","ra":1}`, "given by halves"},
		{"bad error", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","ra":1,"dec":1,"ra_dec_error":"big"}`, "ra_dec_error"},
		{"negative radius", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","ra":1,"dec":1,"ra_dec_error":-1}`, "ra_dec_error"},
		{"bad containment", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","ra":1,"dec":1,"ra_dec_error":1,"containment_probability":2}`, "containment_probability"},
		{"bad corner", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","rectangular_error_corners":[[1,2],[3]]}`, "rectangular_error_corners[1]"},
		{"bad p_astro", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","p_astro":3}`, "p_astro"},
		{"bad record", `{` + maxi + `,"id":"1","trigger_time":"2023-02-20T08:56:01Z","record_number":1.5}`, "record_number"},
		{"bad id", `{` + maxi + `,"id":7,"trigger_time":"2023-02-20T08:56:01Z"}`, "field id"},
		{"archive without obs_id", `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/heasarc/archive_alert.schema.json","facility_name":"IXPE"}`, "obs_id"},
		{"boom without targets", `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/boom/alert.schema.json","data":{}}`, "data.targets"},
		{"neither", `hello`, "neither"},
	} {
		_, err := Decode("", []byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

// TestJSONRevisions: the notices of one event share an ID, and each later
// one replaces the earlier in a store; a retraction replaces them all.
func TestJSONRevisions(t *testing.T) {
	const head = `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/fermi/gbm/trigger.schema.json","mission":"Fermi","instrument":"GBM","id":["745121685","bn240812094"],"trigger_time":"2024-08-24T02:14:40.43"`
	seq := []string{
		head + `,"alert_type":"initial","record_number":1,"alert_datetime":"2024-08-24T02:14:54"}`,
		head + `,"alert_type":"update","record_number":2,"alert_datetime":"2024-08-24T02:14:56","ra":136.917,"dec":-78.117,"ra_dec_error":8.32}`,
		head + `,"alert_type":"update","record_number":7,"alert_datetime":"2024-08-24T02:24:04","ra":29.24,"dec":-63.62,"ra_dec_error":1,"healpix_url":"http://heasarc.gsfc.nasa.gov/x.fit"}`,
		head + `,"alert_type":"retraction","record_number":8,"alert_datetime":"2024-08-24T03:00:00"}`,
	}
	var store alerts.MemoryStore
	var prev int64 = -1
	for i, s := range seq {
		n := mustJSON(t, s)
		a := n.Alerts[0]
		if a.ID != "gcn:fermi.gbm.trigger:745121685" {
			t.Fatalf("notice %d: ID %s", i, a.ID)
		}
		if a.Revision <= prev {
			t.Errorf("notice %d: revision %d not above %d", i, a.Revision, prev)
		}
		prev = a.Revision
		if ok, _ := store.Put(t.Context(), a); !ok {
			t.Errorf("notice %d was not stored", i)
		}
		if i == 2 && (a.SkyMap == nil || a.SkyMap.Format != "healpix" || len(a.Names) != 1 || a.Names[0] != "bn240812094") {
			t.Errorf("final position: %+v", a)
		}
	}
	// Replaying the second notice changes nothing.
	if ok, _ := store.Put(t.Context(), mustJSON(t, seq[1]).Alerts[0]); ok {
		t.Error("a replayed update replaced the retraction")
	}
	got, _, _ := store.Get(t.Context(), "gcn:fermi.gbm.trigger:745121685")
	if got.Status != alerts.StatusRetracted {
		t.Errorf("final state %v", got)
	}
}

func TestTopicNamesTheType(t *testing.T) {
	n, err := Decode("gcn.notices.chime.frb", []byte(`{"alert_type":"initial","trigger_time":"2024-09-18T07:19:10Z","id":"1","ra":1,"dec":2,"ra_dec_error":[0.5,0.5]}`))
	if err != nil || n.Type != "chime/frb" || n.Alerts[0].Mission != "CHIME" || n.Alerts[0].Localization.Radius != 0.5 {
		t.Fatalf("%+v %v", n, err)
	}
	n, err = Decode("gcn.notices.maxi.gsc.known", []byte(`{"trigger_time":"2025-07-02T14:35:59Z","id":"1"}`))
	if err != nil || n.Type != "maxi/gsc.known" {
		t.Fatalf("%+v %v", n, err)
	}
}

// TestSwiftGRBRevisions: the quick-look, BAT and UVOT positions of one
// Swift trigger are one alert, each refining the last.
func TestSwiftGRBRevisions(t *testing.T) {
	ql, err1 := Decode("", readPacket(t, "SWIFT_BAT_QL_POS"))
	bat, err2 := Decode("", readPacket(t, "SWIFT_BAT_GRB_POS_ACK"))
	uvot, err3 := Decode("", packetWith(t, "SWIFT_UVOT_POS", map[int]int32{4: 1227767, 5: 20441, 6: 6521322}))
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	a, b, c := ql.Alerts[0], bat.Alerts[0], uvot.Alerts[0]
	if a.ID != b.ID || b.ID != c.ID {
		t.Fatalf("IDs %s %s %s", a.ID, b.ID, c.ID)
	}
	if !(a.Revision < b.Revision && b.Revision < c.Revision) {
		t.Errorf("revisions %d %d %d do not grow", a.Revision, b.Revision, c.Revision)
	}
	if c.Localization.Radius >= b.Localization.Radius {
		t.Errorf("UVOT radius %v not smaller than BAT's %v", c.Localization.Radius, b.Localization.Radius)
	}
	if _, err := Decode("", packetWith(t, "GECAM_FLT", map[int]int32{6: 900000000})); err == nil || !strings.Contains(err.Error(), "words 5-6") {
		t.Errorf("GECAM SOD beyond a day: %v", err)
	}
	if _, err := Decode("", packetWith(t, "MAXI_UNKNOWN", map[int]int32{11: -5})); err == nil || !strings.Contains(err.Error(), "word 11") {
		t.Errorf("negative error radius: %v", err)
	}
}
