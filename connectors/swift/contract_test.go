package swift

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

const (
	st          = "Swift-SOT/swifttools@9270542119539103f3f4edc83c4394bfac4e15d5:"
	citePlan    = st + "swifttools/swift_too/swift/planquery.py (SwiftPPSTEntry: begin, end, target_name, roll, target_id, segment, obs_id, bat_mode, xrt_mode, uvot_mode; SwiftPPSTSchema: entries, status, ppstmax)"
	citeFlown   = st + "swifttools/swift_too/swift/obsquery.py (SwiftAFSTEntry: begin, settle, end, ...; exposure = end - settle; SwiftAFSTSchema: afstmax)"
	citeExpPlan = st + "swifttools/swift_too/swift/planquery.py (SwiftPPSTEntry.exposure = end - begin; no exposure field)"
	citeModes   = st + "swifttools/swift_too/base/constants.py (XRTMODES 0-9, 150, 200, 255), base/functions.py (uvot_mode_convert: 0x%04X)"
	citeStatus  = st + "swifttools/swift_too/base/common.py (_normalize_response_payload: a bare-string status)"
	citeObsID   = st + "swifttools/swift_too/base/functions.py (convert_obs_id_sdc: 11-digit SDC string or segment<<24 | target_id)"
	citeClock   = st + "swifttools/swift_too/swift/clock.py (SwiftClock /swift/clock, swifttime list, entries {met, utcf, isutc}; TOOAPIClockCorrect), swift/datetime.py (utctime = swifttime + utcf)"
)

func TestContract(t *testing.T) {
	plan := string(archivetest.Read(t, "testdata/planquery_2025-07-01.json"))
	flown := string(archivetest.Read(t, "testdata/obsquery_2025-07-01_synthetic.json"))
	archivetest.RunContract(t, []archivetest.Row{
		{Name: "entries[].target_name, target_id, segment, obs_id, begin, end, ra, dec, roll, xrt_mode, uvot_mode, bat_mode in {entries, status, ppstmax}", Cite: citePlan, Check: func(t *testing.T) {
			res, err := ParseTimeline([]byte(plan), Planned)
			if err != nil || len(res.Activities) != 9 {
				t.Fatalf("%v", err)
			}
			a := res.Activities[0]
			if a.ID != "swift:03400165002" || a.Target.Name != "AU_Mic" || a.Programme.ID != "3400165" || a.Mode != "XRT Auto; UVOT 0x308f" || a.Filter != "uvw1+uvw2+uvm2" {
				t.Errorf("%+v", a)
			}
			for _, old := range []string{"obsid", "targname", `"xrt"`, `"uvot"`} {
				if strings.Contains(plan, old) {
					t.Errorf("the v2 fixture still has the old field %s", old)
				}
			}
			var se *connectors.SchemaError
			if _, err := ParseTimeline([]byte(strings.Replace(plan, `"target_name"`, `"targname"`, 1)), Planned); !errors.As(err, &se) || se.Column != "target_name" {
				t.Errorf("a renamed target_name: %v", err)
			}
		}},
		{Name: "entries[].settle; as-flown exposure = end - settle; afstmax", Cite: citeFlown, Check: func(t *testing.T) {
			res, err := ParseTimeline([]byte(flown), AsFlown)
			if err != nil || *res.Activities[0].Exposure != 1140-102-5 {
				t.Fatalf("%v %v", err, res)
			}
		}},
		{Name: "planned exposure = end - begin (no exposure field)", Cite: citeExpPlan, Check: func(t *testing.T) {
			res, _ := ParseTimeline([]byte(plan), Planned)
			for _, a := range res.Activities {
				if a.ID == "swift:03400165002" && *a.Exposure != 19*60 {
					t.Errorf("exposure %v, want 1140 s (00:05 to 00:24)", *a.Exposure)
				}
				if *a.Exposure > a.End.Sub(a.Start).Seconds() {
					t.Errorf("%s claims %v s in %v", a.ID, *a.Exposure, a.End.Sub(a.Start))
				}
			}
		}},
		{Name: "xrt_mode integer codes (0-9, 150, 200, 255), uvot_mode an integer written 0x%04x", Cite: citeModes, Check: func(t *testing.T) {
			for code, name := range map[int]string{0: "Auto", 6: "WT", 7: "PC", 150: "PC_150", 200: "PC_200", 255: "Manual"} {
				b := strings.Replace(plan, `"xrt_mode": 0`, fmt.Sprintf(`"xrt_mode": %d`, code), 1)
				res, err := ParseTimeline([]byte(b), Planned)
				if err != nil || !strings.HasPrefix(res.Activities[0].Mode, "XRT "+name+";") {
					t.Errorf("code %d: %v %q", code, err, res.Activities[0].Mode)
				}
			}
			var se *connectors.SchemaError
			if _, err := ParseTimeline([]byte(strings.Replace(plan, `"xrt_mode": 0`, `"xrt_mode": "PC"`, 1)), Planned); !errors.As(err, &se) || se.Column != "xrt_mode" {
				t.Errorf("a string xrt_mode: %v", err)
			}
		}},
		{Name: "status: an object or a bare string; Rejected is an error", Cite: citeStatus, Check: func(t *testing.T) {
			if !strings.Contains(plan, `"status": "Accepted"`) || !strings.Contains(flown, `"status": {`) {
				t.Fatal("fixtures should carry both status shapes")
			}
			for _, rej := range []string{`{"status": "Rejected", "entries": []}`, `{"status": {"status": "Accepted", "errors": ["bad begin"]}, "entries": []}`} {
				if _, err := ParseTimeline([]byte(rej), Planned); !errors.Is(err, connectors.ErrRejected) {
					t.Errorf("%s: %v", rej, err)
				}
			}
		}},
		{Name: "obs_id: 11-digit archive string, or the spacecraft integer segment<<24 | target_id", Cite: citeObsID, Check: func(t *testing.T) {
			b := strings.Replace(plan, `"obs_id": "03400165002"`, fmt.Sprintf(`"obs_id": %d`, 2<<24|3400165), 1)
			res, err := ParseTimeline([]byte(b), Planned)
			if err != nil || res.Activities[0].ID != "swift:03400165002" {
				t.Fatalf("%v %v", err, res.Activities[0].ID)
			}
			b = strings.Replace(plan, `"obs_id": "03400165002",`, ``, 1)
			if res, err := ParseTimeline([]byte(b), Planned); err != nil || res.Activities[0].ID != "swift:03400165002" {
				t.Fatalf("without obs_id: %v", err)
			}
		}},
		{Name: "times: spacecraft time, corrected by /swift/clock (batched), UTC = swifttime + utcf, recorded on the activity", Cite: citeClock, Check: func(t *testing.T) {
			s, _ := New(Options{HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(t, "testdata/swift"), Retries: -1}})
			acts, err := activities.Collect(s.Activities(context.Background(), day))
			if err != nil || len(acts) != 9 {
				t.Fatalf("%d, %v", len(acts), err)
			}
			times := listingTimes(t, []byte(flown), []byte(plan))
			raw := map[string]time.Time{}
			for _, r := range [][]byte{[]byte(flown), []byte(plan)} {
				tl := AsFlown
				if string(r) == plan {
					tl = Planned
				}
				res, _ := ParseTimeline(r, tl)
				for _, a := range res.Activities {
					if _, ok := raw[a.ID]; !ok {
						raw[a.ID] = a.Start
					}
				}
			}
			for _, a := range acts {
				want := raw[a.ID].Add(time.Duration(math.Round(testUTCF(raw[a.ID], times[0]) * 1e9)))
				if !a.Start.Equal(want) {
					t.Errorf("%s starts %s, want spacecraft %s + UTCF = %s", a.ID, a.Start, raw[a.ID], want)
				}
				l := a.Links[len(a.Links)-1]
				if !strings.Contains(l.Title, "UTCF") || !strings.Contains(l.Title, "spacecraft time -28.") || !strings.Contains(l.URL, "/swift/clock?swifttime=") {
					t.Errorf("%s: correction not recorded: %+v", a.ID, l)
				}
				if err := a.Validate(); err != nil {
					t.Error(err)
				}
			}
		}},
		{Name: "clock failure: the last UTCF received applied, else spacecraft time, counted and recorded", Cite: citeClock, Check: func(t *testing.T) {
			var clockUp atomic.Bool
			clockUp.Store(true)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case strings.HasSuffix(r.URL.Path, "/swift/planquery"):
					fmt.Fprint(w, plan)
				case strings.HasSuffix(r.URL.Path, "/swift/clock") && clockUp.Load():
					var ts []time.Time
					for _, v := range r.URL.Query()["swifttime"] {
						tt, _ := time.Parse(clockLayout, v)
						ts = append(ts, tt)
					}
					w.Write(clockReply(ts))
				default:
					http.Error(w, "down", http.StatusServiceUnavailable)
				}
			}))
			defer srv.Close()
			list := func(s *Source) ([]activities.Activity, *connectors.Stats) {
				var st connectors.Stats
				acts, err := activities.Collect(s.Activities(connectors.WithStats(context.Background(), &st), day))
				if err != nil {
					t.Fatal(err)
				}
				return acts, &st
			}
			open := func() *Source {
				s, _ := New(Options{BaseURL: srv.URL, Timelines: []Timeline{Planned}, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
				return s
			}
			fresh := open()
			clockUp.Store(false)
			acts, stats := list(fresh)
			if stats.Counts()["warning: "+WarnClockUncorrect] != 9 || acts[0].Start.Format(time.TimeOnly) != "00:05:00" ||
				!strings.Contains(acts[0].Links[len(acts[0].Links)-1].Title, "uncorrected") {
				t.Errorf("no clock, no UTCF known: %v, %s", stats, acts[0].Start)
			}
			s := open()
			clockUp.Store(true)
			list(s)
			clockUp.Store(false)
			acts, stats = list(s)
			if stats.Counts()["warning: "+WarnClockLast] != 9 || acts[0].Start.Format(time.TimeOnly) != "00:04:31" {
				t.Errorf("clock down after a success: %v, %s", stats, acts[0].Start)
			}
		}},
	})
}

func FuzzParseClock(f *testing.F) {
	f.Add([]byte(`{"entries": [{"met": 1, "utcf": -28.5, "isutc": false}], "status": "Accepted"}`), 1)
	f.Add([]byte(`{"entries": []}`), 0)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		u, err := ParseClock(b, n)
		if err == nil && len(u) != n {
			t.Fatalf("%d corrections for %d times", len(u), n)
		}
	})
}
