package gcn

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// sharedNotices is the folder of gcn-schema's example notices. They stay in
// the shared fixtures (their repository has no licence file), so the test
// reads them there and skips, or fails under CI=true, when it is absent.
const sharedNotices = "../../../shared/fixtures/archives/gcn/notices"

func sharedDir(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(sharedNotices); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but the shared fixtures are missing: %v", err)
		}
		t.Skipf("shared fixtures absent (%v): skipping the gcn-schema example corpus", err)
	}
	return sharedNotices
}

// TestClassicCorpus decodes every recorded GCN Classic packet: each decodes
// or is refused with an error naming its type.
func TestClassicCorpus(t *testing.T) {
	dirs, err := filepath.Glob("testdata/classic/*/example.bin")
	if err != nil || len(dirs) < 60 {
		t.Fatalf("expected the 67 recorded packets, got %d (%v)", len(dirs), err)
	}
	decoded := map[string]bool{}
	for _, f := range dirs {
		typ := filepath.Base(filepath.Dir(f))
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := Decode("gcn.classic.binary."+typ, b)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Type != typ {
				t.Errorf("%s: refusal %v does not name the type", typ, err)
			}
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s: refused for another reason than an undecoded type: %v", typ, err)
			}
			continue
		}
		if n.Type != typ {
			t.Errorf("%s: decoded as %s", typ, n.Type)
		}
		decoded[typ] = true
		if len(n.Activities)+len(n.Alerts) == 0 && n.Note == "" {
			t.Errorf("%s: no activity, no alert and no note", typ)
		}
	}
	var got []string
	for k := range decoded {
		got = append(got, k)
	}
	sort.Strings(got)
	want := "FERMI_POINTDIR GECAM_FLT GECAM_GND INTEGRAL_POINTDIR MAXI_TEST MAXI_UNKNOWN SK_SN SWIFT_ACTUAL_POINTDIR " +
		"SWIFT_BAT_GRB_POS_ACK SWIFT_BAT_GRB_POS_TEST SWIFT_BAT_QL_POS SWIFT_BAT_TRANS SWIFT_FOM_OBS SWIFT_POINTDIR " +
		"SWIFT_SC_SLEW SWIFT_TOO_FOM SWIFT_TOO_SC_SLEW SWIFT_UVOT_POS"
	if strings.Join(got, " ") != want {
		t.Errorf("decoded types %v, want %s", got, want)
	}
}

// converterJSON is the part of gcn-classic-to-json's output the decoders
// must agree with.
type converterJSON struct {
	TriggerTime string   `json:"trigger_time"`
	RA          *float64 `json:"ra"`
	Dec         *float64 `json:"dec"`
	RAPointing  *float64 `json:"ra_pointing"`
	DecPointing *float64 `json:"dec_pointing"`
	NextRA      *float64 `json:"next_sc_ra"`
	NextDec     *float64 `json:"next_sc_dec"`
	ObsTime     *float64 `json:"observation_time"`
	Roll        *float64 `json:"roll"`
	Target      string   `json:"target_name"`
	Tense       string   `json:"alert_tense"`
	Error       *float64 `json:"ra_dec_error"`
	ID          []int    `json:"id"`
	Record      any      `json:"record_number"`
}

// TestClassicAgreesWithConverter checks each decoded packet against the
// JSON that gcn-classic-to-json produced from the same packet: the same
// coordinates (to the packets' 0.0001° resolution), the same time, and for
// Swift the same target and segment.
func TestClassicAgreesWithConverter(t *testing.T) {
	checked := 0
	files, _ := filepath.Glob("testdata/classic/*/example.json")
	for _, jf := range files {
		typ := filepath.Base(filepath.Dir(jf))
		b, _ := os.ReadFile(filepath.Join(filepath.Dir(jf), "example.bin"))
		n, err := DecodeClassic(b)
		if errors.Is(err, ErrUnsupported) {
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", typ, err)
			continue
		}
		raw, _ := os.ReadFile(jf)
		var c converterJSON
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		checked++
		if n.Note != "" {
			// A declined slew or observation: the converter says why.
			var m map[string]any
			json.Unmarshal(raw, &m)
			if s, _ := m["slew_return_code"].(string); !strings.Contains(s, "will not be executed") {
				t.Errorf("%s: decoded as declined (%s) but the converter says %q", typ, n.Note, s)
			}
			continue
		}
		ct, err := time.Parse(time.RFC3339Nano, c.TriggerTime)
		if err != nil {
			t.Fatalf("%s: converter time %q: %v", typ, c.TriggerTime, err)
		}
		if (c.Tense == "test") != n.Test && c.Tense != "" {
			t.Errorf("%s: test %v, converter tense %q", typ, n.Test, c.Tense)
		}
		if len(n.Alerts) > 0 {
			al := n.Alerts[0]
			l := al.Localization
			if c.RA == nil || c.Dec == nil || c.Error == nil {
				t.Errorf("%s: the converter gives no position and error", typ)
				continue
			}
			if math.Abs(l.RA-*c.RA) > 1e-9 || math.Abs(l.Dec-*c.Dec) > 1e-9 || math.Abs(l.Radius-*c.Error) > 1e-9 {
				t.Errorf("%s: localization %v, converter (%v, %v, r=%v)", typ, l, *c.RA, *c.Dec, *c.Error)
			}
			// The converter prints milliseconds.
			if d := al.TriggerTime.Sub(ct); d < 0 || d >= time.Millisecond {
				t.Errorf("%s: trigger %s, converter %s", typ, al.TriggerTime, ct)
			}
			continue
		}
		a := n.Activities[0]
		wantRA, wantDec := first(c.RA, c.RAPointing, c.NextRA), first(c.Dec, c.DecPointing, c.NextDec)
		if wantRA == nil || wantDec == nil {
			t.Errorf("%s: the converter gives no position", typ)
			continue
		}
		if math.Abs(*a.Target.RA-*wantRA) > 1e-9 || math.Abs(*a.Target.Dec-*wantDec) > 1e-9 {
			t.Errorf("%s: position (%v, %v), converter (%v, %v)", typ, *a.Target.RA, *a.Target.Dec, *wantRA, *wantDec)
		}
		// A pointing notice's activity says where the spacecraft points,
		// with the converter's roll where it gives one.
		if a.Pointing == nil {
			t.Errorf("%s: no pointing", typ)
		} else {
			if a.Pointing.RA != *a.Target.RA || a.Pointing.Dec != *a.Target.Dec {
				t.Errorf("%s: pointing (%v, %v), target (%v, %v)", typ, a.Pointing.RA, a.Pointing.Dec, *a.Target.RA, *a.Target.Dec)
			}
			switch {
			case c.Roll != nil && a.Pointing.Roll == nil:
				t.Errorf("%s: no roll, converter %v", typ, *c.Roll)
			case c.Roll != nil && math.Abs(*a.Pointing.Roll-math.Mod(*c.Roll+360, 360)) > 1e-9:
				t.Errorf("%s: roll %v, converter %v", typ, *a.Pointing.Roll, *c.Roll)
			case c.Roll == nil && a.Pointing.Roll != nil:
				t.Errorf("%s: roll %v where the converter gives none", typ, *a.Pointing.Roll)
			}
		}
		ev, _ := (&packetOf{b}).eventTime()
		if !ev.Equal(ct) {
			t.Errorf("%s: event time %s, converter %s", typ, ev, ct)
		}
		switch typ {
		case "SWIFT_POINTDIR", "SWIFT_ACTUAL_POINTDIR":
			if !a.Start.Equal(ct) {
				t.Errorf("%s: start %s, converter %s", typ, a.Start, ct)
			}
		}
		if c.ObsTime != nil && typ == "SWIFT_POINTDIR" {
			if d := a.End.Sub(a.Start).Seconds(); d != *c.ObsTime {
				t.Errorf("%s: duration %v s, converter %v s", typ, d, *c.ObsTime)
			}
		}
		if c.Target != "" && a.Target.Name != strings.TrimSpace(c.Target) {
			t.Errorf("%s: target %q, converter %q", typ, a.Target.Name, c.Target)
		}
		if strings.HasPrefix(typ, "SWIFT") && len(c.ID) == 1 {
			rec := 0
			switch r := c.Record.(type) {
			case float64:
				rec = int(r)
			case []any:
				rec = int(r[0].(float64))
			}
			if want := "swift:" + fmtObs(c.ID[0], rec); a.ID != want {
				t.Errorf("%s: ID %s, want %s from the converter's id and record_number", typ, a.ID, want)
			}
		}
	}
	if checked < 17 {
		t.Errorf("only %d packets compared with the converter", checked)
	}
}

type packetOf struct{ b []byte }

func (p *packetOf) eventTime() (time.Time, error) {
	pk, err := parsePacket(p.b)
	if err != nil {
		return time.Time{}, err
	}
	return pk.eventTime("")
}

func first(vs ...*float64) *float64 {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

// TestJSONCorpus decodes every gcn-schema example notice: each decodes or
// is refused with an error naming its type.
func TestJSONCorpus(t *testing.T) {
	dir := sharedDir(t)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 40 {
		t.Fatalf("expected the gcn-schema examples, found %d files", len(files))
	}
	alertsN, acts, refused := 0, 0, 0
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		b, _ := os.ReadFile(f)
		n, err := Decode("", b)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Type == "" {
				t.Errorf("%s: refusal %v does not name the type", rel, err)
			}
			if !strings.HasPrefix(rel, "core/") {
				t.Errorf("%s: refused: %v", rel, err)
			}
			refused++
			continue
		}
		alertsN += len(n.Alerts)
		acts += len(n.Activities)
		if len(n.Alerts)+len(n.Activities) == 0 {
			t.Errorf("%s: decoded to nothing", rel)
		}
	}
	t.Logf("%d files: %d alerts, %d activities, %d refused", len(files), alertsN, acts, refused)
}

func fmtObs(target, seg int) string {
	o, _, _ := swiftObsID(int32(seg<<24 | target))
	return o
}
