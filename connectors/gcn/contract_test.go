package gcn

import (
	"encoding/binary"
	"math"
	"os"
	"testing"
	"time"
)

// readPacket loads a recorded packet.
func readPacket(t *testing.T, typ string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/classic/" + typ + "/example.bin")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func word(b []byte, i int) int32 { return int32(binary.BigEndian.Uint32(b[4*i:])) }

// TestContract is the table of the fields the decoders rely on, each row
// with its upstream source and a check on a recorded packet or notice.
func TestContract(t *testing.T) {
	const (
		sockDoc   = "https://gcn.gsfc.nasa.gov/sock_pkt_def_doc.html"
		utils     = "nasa-gcn/gcn-classic-to-json@2ca2e19b8b8525da225e5f59a2847843fa3c3aab:gcn_classic_to_json/utils.py"
		posAck    = "nasa-gcn/gcn-classic-to-json@2ca2e19b8b8525da225e5f59a2847843fa3c3aab:gcn_classic_to_json/notices/SWIFT_BAT_GRB_POS_ACK/__init__.py"
		pr58      = "nasa-gcn/gcn-classic-to-json@865979532326374fe4a62d750c749cb82a4db993:gcn_classic_to_json/notices/"
		integral  = "nasa-gcn/gcn-classic-to-json@486702c920f0942c22c873405abf4b04312723bc:gcn_classic_to_json/notices/INTEGRAL_POINTDIR/__init__.py"
		types     = "nasa-gcn/pygcn@0b6635b9c84775b8c9242a2d387d1d7b55652c5c:gcn/notice_types.py"
		obsid     = "https://www.swift.ac.uk/support/obsidnew.php"
		fermiNote = "http://ooruri.kusastro.kyoto-u.ac.jp/mailarchive/vsnet-grb/92470"
		schema    = "nasa-gcn/gcn-schema@2ca8bdf5c3b3e0d0afb89bc4dec7862af8d36379:gcn/notices/"
	)
	rows := []struct {
		field, source string
		check         func(t *testing.T)
	}{
		{"pkt_type word 0 = 83 for SWIFT_POINTDIR", types, func(t *testing.T) {
			if w := word(readPacket(t, "SWIFT_POINTDIR"), 0); ClassicTypeName(w) != "SWIFT_POINTDIR" {
				t.Errorf("word 0 = %d names %s", w, ClassicTypeName(w))
			}
		}},
		{"TJD/SOD words 5-6 → UTC", utils, func(t *testing.T) {
			// TJD 20439 + 8376000 cs is 2024-05-09T23:16:00Z (the converter's trigger_time).
			got, _ := tjdTime(20439, 8376000)
			if want := time.Date(2024, 5, 9, 23, 16, 0, 0, time.UTC); !got.Equal(want) {
				t.Errorf("got %s, want %s", got, want)
			}
		}},
		{"RA/Dec words 7-8 in 0.0001°", posAck, func(t *testing.T) {
			n, err := DecodeClassic(readPacket(t, "SWIFT_POINTDIR"))
			if err != nil || math.Abs(*n.Activities[0].Target.RA-213.1096) > 1e-9 || math.Abs(*n.Activities[0].Target.Dec-47.3553) > 1e-9 {
				t.Errorf("position %v (%v)", n, err)
			}
		}},
		{"Swift trig_obs_num: target bits 0-23, segment 24-31; 8+3-digit obsid", obsid, func(t *testing.T) {
			o, target, seg := swiftObsID(word(readPacket(t, "SWIFT_POINTDIR"), 4))
			if o != "00097317002" || target != 97317 || seg != 2 {
				t.Errorf("obsid %s target %d segment %d, converter id 97317 record 2", o, target, seg)
			}
		}},
		{"SWIFT_POINTDIR target name words 22-25, byte-reversed", utils + " binary_to_string; " + pr58 + "SWIFT_POINTDIR/example.json", func(t *testing.T) {
			p, _ := parsePacket(readPacket(t, "SWIFT_POINTDIR"))
			if got := p.text(22, 26); got != "URAT1-687234652" {
				t.Errorf("target %q", got)
			}
		}},
		{"SWIFT_POINTDIR observation time word 14 in 0.01 s", pr58 + "SWIFT_POINTDIR/example.json", func(t *testing.T) {
			if w := word(readPacket(t, "SWIFT_POINTDIR"), 14); w != 36000 {
				t.Errorf("word 14 = %d, converter observation_time 360.0", w)
			}
		}},
		{"SWIFT_POINTDIR XRT mode word 12, UVOT mode word 13", pr58 + "SWIFT_POINTDIR/example.json", func(t *testing.T) {
			b := readPacket(t, "SWIFT_POINTDIR")
			if word(b, 12) != 0x7 || word(b, 13) != 0x18c {
				t.Errorf("words 12-13 = %#x %#x, converter xrt_mode 0x7 uvot_mode 0x18c", word(b, 12), word(b, 13))
			}
		}},
		{"SWIFT_SC_SLEW word 18 = 0: the slew will be executed; word 14 obs time", pr58 + "SWIFT_SC_SLEW/example.json", func(t *testing.T) {
			b := readPacket(t, "SWIFT_SC_SLEW")
			if word(b, 18) != 0 || word(b, 14) != 189000 {
				t.Errorf("words 18, 14 = %d, %d", word(b, 18), word(b, 14))
			}
		}},
		{"SWIFT_TOO_SC_SLEW word 18 ≠ 0: not executed; word 13 wait time", pr58 + "SWIFT_TOO_SC_SLEW/example.json", func(t *testing.T) {
			b := readPacket(t, "SWIFT_TOO_SC_SLEW")
			if word(b, 18) == 0 || word(b, 13) != 1900 {
				t.Errorf("words 18, 13 = %d, %d", word(b, 18), word(b, 13))
			}
		}},
		{"SWIFT_FOM_OBS word 18 bits 0-1: new target, sufficient merit", pr58 + "SWIFT_FOM_OBS/example.json", func(t *testing.T) {
			if w := word(readPacket(t, "SWIFT_FOM_OBS"), 18); w&3 != 3 {
				t.Errorf("word 18 = %d", w)
			}
		}},
		{"FERMI_POINTDIR words 7-8 current pointing, word 9 sample step 120 s", fermiNote + "; " + sockDoc, func(t *testing.T) {
			b := readPacket(t, "FERMI_POINTDIR")
			if word(b, 9) != 120 {
				t.Errorf("word 9 = %d", word(b, 9))
			}
			if dec := float64(word(b, 8)) * 1e-4; dec < -90 || dec > 90 {
				t.Errorf("dec %v", dec)
			}
		}},
		{"INTEGRAL_POINTDIR words 14-15 next RA/Dec, word 12 bit 31 test", integral, func(t *testing.T) {
			n, err := DecodeClassic(readPacket(t, "INTEGRAL_POINTDIR"))
			if err != nil || !n.Test || math.Abs(*n.Activities[0].Target.RA-3.9584) > 1e-9 || math.Abs(*n.Activities[0].Target.Dec+2.4058) > 1e-9 {
				t.Errorf("%+v %v", n, err)
			}
		}},
		{"SWIFT_BAT_GRB_POS_ACK error radius word 11 in 0.0001°", posAck, func(t *testing.T) {
			n, err := DecodeClassic(readPacket(t, "SWIFT_BAT_GRB_POS_ACK"))
			if err != nil || n.Alerts[0].Localization.Radius != 0.05 || n.Alerts[0].ID != "gcn:swift-grb:1227767" {
				t.Errorf("%+v %v", n, err)
			}
		}},
		{"MAXI_UNKNOWN error radius word 11", "nasa-gcn/gcn-classic-to-json@4b633748ddbcaa1bc8546063cda2a7065303f589:gcn_classic_to_json/notices/MAXI_UNKNOWN/__init__.py", func(t *testing.T) {
			n, err := DecodeClassic(readPacket(t, "MAXI_UNKNOWN"))
			if err != nil || n.Alerts[0].Localization.Radius != 1 || n.Alerts[0].Mission != "MAXI" {
				t.Errorf("%+v %v", n, err)
			}
		}},
		{"GECAM event SOD word 6 in 0.0001 s, error word 10", "nasa-gcn/gcn-classic-to-json@26433a87fd821993374b809eef14cd2b4195f688:gcn_classic_to_json/notices/GECAM_FLT/__init__.py", func(t *testing.T) {
			n, err := DecodeClassic(readPacket(t, "GECAM_FLT"))
			if err != nil {
				t.Fatal(err)
			}
			if want := time.Date(2024, 5, 17, 13, 1, 22, 550400000, time.UTC); !n.Alerts[0].TriggerTime.Equal(want) || n.Alerts[0].Localization.Radius != 1.4899 {
				t.Errorf("trigger %s, radius %v", n.Alerts[0].TriggerTime, n.Alerts[0].Localization.Radius)
			}
		}},
		{"SK_SN error word 15, test bit 1 of word 18", "nasa-gcn/gcn-classic-to-json@0585c1f08c75bb278610db6460bc6054ddc806e8:gcn_classic_to_json/notices/SK_SN/__init__.py", func(t *testing.T) {
			n, err := DecodeClassic(readPacket(t, "SK_SN"))
			if err != nil || !n.Test || n.Alerts[0].Localization.Radius != 0.91 {
				t.Errorf("%+v %v", n, err)
			}
		}},
		{"JSON ra_dec_error as a radius", schema + "core/Localization.schema.json", func(t *testing.T) {
			n := mustJSON(t, `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","trigger_time":"2023-02-20T08:56:01Z","id":"1","ra":10,"dec":20,"ra_dec_error":1.5}`)
			if l := n.Alerts[0].Localization; l.Shape != "circle" || l.Radius != 1.5 || l.Containment != 0.9 {
				t.Errorf("%+v", l)
			}
		}},
		{"JSON ra_dec_error as [semi-major, semi-minor, PA]", schema + "core/Localization.schema.json", func(t *testing.T) {
			n := mustJSON(t, `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","trigger_time":"2023-02-20T08:56:01Z","id":"1","ra":10,"dec":20,"ra_dec_error":[0.22,0.19,153],"containment_probability":0.5}`)
			if l := n.Alerts[0].Localization; l.Shape != "ellipse" || l.SemiMajor != 0.22 || l.SemiMinor != 0.19 || l.PA != 153 || l.Containment != 0.5 {
				t.Errorf("%+v", l)
			}
		}},
		{"JSON alert_type retraction", schema + "core/Alert.schema.json", func(t *testing.T) {
			n := mustJSON(t, `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/chime/frb.schema.json","alert_type":"retraction","trigger_time":"2024-09-18T07:19:10Z","id":"9"}`)
			if n.Alerts[0].Status != "retracted" {
				t.Errorf("%+v", n.Alerts[0])
			}
		}},
		{"JSON alert_tense test", schema + "core/Alert.schema.json", func(t *testing.T) {
			n := mustJSON(t, `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/svom/trigger.schema.json","alert_tense":"test","trigger_time":"2024-02-22T08:51:31.32","id":["sb1"],"ra":1,"dec":2}`)
			if !n.Test || !n.Alerts[0].Test {
				t.Errorf("%+v", n)
			}
		}},
		{"JSON rectangular_error_corners", schema + "maxi/gsc.unknown.schema.json", func(t *testing.T) {
			n := mustJSON(t, `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","trigger_time":"2023-02-20T08:56:01Z","id":"1","ra":346.56,"dec":18.61,"rectangular_error_corners":[[345.72,19.547],[345.464,19.29],[347.309,17.634],[347.566,17.889]]}`)
			if l := n.Alerts[0].Localization; l.Shape != "polygon" || !l.Contains(346.56, 18.61) {
				t.Errorf("%+v", l)
			}
		}},
		{"JSON heasarc/archive_alert → archived activity", schema + "heasarc/archive_alert.schema.json", func(t *testing.T) {
			n := mustJSON(t, `{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/heasarc/archive_alert.schema.json","mission":"HEASARC","alert_datetime":"2024-01-02T00:00:00Z","observation_start":"2023-12-31T10:00:00","obs_id":"123","target_name":"Cyg X-1","facility_name":"NICER","data_archive_page":"https://heasarc.gsfc.nasa.gov/FTP/nicer/data/obs/123/"}`)
			if a := n.Activities[0]; a.Kind != "archived" || a.Facility != "NICER" || a.DatasetID != "123" || a.Target.Name != "Cyg X-1" {
				t.Errorf("%+v", a)
			}
		}},
	}
	for _, r := range rows {
		t.Run(r.field, func(t *testing.T) {
			if r.source == "" {
				t.Fatal("row without a source")
			}
			r.check(t)
		})
	}
}

func mustJSON(t *testing.T, s string) *Notice {
	t.Helper()
	n, err := Decode("", []byte(s))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return n
}
