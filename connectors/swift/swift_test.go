package swift

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassettes in testdata")

const merged = "merged into its observation's activity"

func TestFixtureCounts(t *testing.T) {
	for _, tc := range []struct {
		file       string
		tl         Timeline
		records    int
		activities int
		skipped    map[string]int
	}{
		// IC 3599 (00010375133) has two snapshots in the plan
		{"testdata/planquery_2025-07-01.json", Planned, 10, 9, map[string]int{merged: 1}},
		{"testdata/obsquery_2025-07-01_synthetic.json", AsFlown, 6, 6, map[string]int{}},
	} {
		res, err := ParseTimeline(archivetest.Read(t, tc.file), tc.tl)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		t.Logf("%s: %d records: %d activities; skipped: %s; warnings: %s", tc.file, res.Records, len(res.Activities),
			connectors.FormatCounts(res.Skipped), connectors.FormatCounts(res.Warnings))
		if res.Skipped == nil {
			res.Skipped = map[string]int{}
		}
		if res.Records != tc.records || len(res.Activities) != tc.activities || !maps.Equal(res.Skipped, tc.skipped) ||
			!maps.Equal(res.Warnings, map[string]int{WarnSpacecraftTime: 1}) {
			t.Errorf("%s: got %d records, %d activities, skipped %v, warnings %v; want %d, %d, %v", tc.file, res.Records,
				len(res.Activities), res.Skipped, res.Warnings, tc.records, tc.activities, tc.skipped)
		}
		for _, a := range res.Activities {
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %s: %v", tc.file, a.ID, err)
			}
		}
	}
}

func TestDecoding(t *testing.T) {
	res, err := ParseTimeline(archivetest.Read(t, "testdata/planquery_2025-07-01.json"), Planned)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]activities.Activity{}
	for _, a := range res.Activities {
		byID[a.ID] = a
	}
	au := byID["swift:03400165002"]
	if au.Filter != "uvw1+uvw2+uvm2" || au.Mode != "XRT Auto; UVOT 0x308f" || *au.Exposure != 1140 || au.Kind != activities.KindPlanned ||
		au.Target.Name != "AU_Mic" || au.Target.FOVRadius == 0 || au.Programme.ID != "3400165" {
		t.Errorf("%+v", au)
	}
	ic := byID["swift:00010375133"]
	if *ic.Exposure != 2100 || ic.Start.Format(time.RFC3339) != "2025-07-01T01:06:00Z" || ic.End.Format(time.RFC3339) != "2025-07-01T02:51:00Z" {
		t.Errorf("IC 3599 not merged over its two snapshots: %+v", ic)
	}
	fl, err := ParseTimeline(archivetest.Read(t, "testdata/obsquery_2025-07-01_synthetic.json"), AsFlown)
	if err != nil {
		t.Fatal(err)
	}
	a := fl.Activities[0]
	// synthetic: begin+12 s, settle begin+102 s, end−5 s of a 1140 s slot
	if a.ID != au.ID || a.Kind != activities.KindCompleted || *a.Exposure != 1140-102-5 || a.Revision <= au.Revision {
		t.Errorf("as-flown %+v vs planned %+v", a, au)
	}
}

func TestDrift(t *testing.T) {
	b := string(archivetest.Read(t, "testdata/obsquery_2025-07-01_synthetic.json"))
	var se *connectors.SchemaError
	if _, err := ParseTimeline([]byte(strings.Replace(b, `"settle"`, `"settled"`, 1)), AsFlown); !errors.As(err, &se) || se.Column != "settle" {
		t.Fatalf("want a SchemaError naming settle, got %v", err)
	}
	if _, err := ParseTimeline([]byte(strings.Replace(b, `"entries"`, `"rows"`, 1)), AsFlown); !errors.As(err, &se) || se.Column != "entries" {
		t.Fatalf("want a SchemaError naming entries, got %v", err)
	}
	res, err := ParseTimeline([]byte(strings.Replace(b, `"uvot_mode": 12431`, `"uvot_mode": 39321`, 1)), AsFlown)
	if err != nil || res.Warnings[`unknown uvot mode 0x9999`] != 1 {
		t.Fatalf("want a counted warning naming the UVOT mode, got %v %v", res, err)
	}
	res, err = ParseTimeline([]byte(strings.Replace(b, `"2025-07-01T00:05:12.000"`, `"07/01/2025 00:05"`, 1)), AsFlown)
	if err != nil || res.Skipped[SkipBadTime] != 1 {
		t.Fatalf("want the entry skipped as %q, got %v %v", SkipBadTime, res, err)
	}
	rejected := `{"status":{"status":"Rejected","errors":["begin after end"]},"entries":[]}`
	if _, err := ParseTimeline([]byte(rejected), Planned); err == nil || !strings.Contains(err.Error(), "begin after end") {
		t.Fatalf("want the API's error, got %v", err)
	}
}

var day = activities.Window{Start: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)}

func TestBuildCassettes(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassettes")
	}
	s, _ := New(Options{})
	plan, flown := archivetest.Read(t, "testdata/planquery_2025-07-01.json"), archivetest.Read(t, "testdata/obsquery_2025-07-01_synthetic.json")
	times := listingTimes(t, flown, plan)
	planOnly, flownOnly := listingTimes(t, nil, plan), listingTimes(t, flown, nil)
	err := vcrtest.NewCassette("testdata/swift",
		"planquery body = the 10 real pre-planned timeline rows of NASA-ACROSS/across-data-ingestion@596aa895835e23aa7ab009ab06ed5be63dbc7b57 "+
			"tests/tasks/schedules/swift/mocks/swift_10_rows_of_plan.json (Apache-2.0; flattened from the Swift API by ACROSS), rewritten BY US "+
			"in the API v2 entry shape the client reads (Swift-SOT/swifttools@9270542119539103f3f4edc83c4394bfac4e15d5 planquery.py; see "+
			"testdata/PROVENANCE.md for the field mapping), values unchanged. The obsquery body is SYNTHETIC: the first 6 planned rows with "+
			"invented begin/settle/end offsets, since no real as-flown reply is available. The /swift/clock reply is SYNTHETIC: the "+
			"request is the one this connector makes (one batch, every start and end); its UTCF values are invented for the test, "+
			"not Swift's real correction.").
		Add(vcrtest.Interaction{URL: s.URL(AsFlown, day), ContentType: "application/json", Body: flown,
			Provenance: "SYNTHETIC as-flown reply (see the cassette's provenance)"}).
		Add(vcrtest.Interaction{URL: s.URL(Planned, day), ContentType: "application/json", Body: plan,
			Provenance: "real rows in the v2 shape, envelope built by us"}).
		Add(vcrtest.Interaction{URL: s.clock.URL(times), ContentType: "application/json", Body: clockReply(times),
			Provenance: "SYNTHETIC clock reply for both timelines: UTCF invented (testUTCF)"}).
		Add(vcrtest.Interaction{URL: s.clock.URL(planOnly), ContentType: "application/json", Body: clockReply(planOnly),
			Provenance: "SYNTHETIC clock reply for the planned timeline alone: UTCF invented (testUTCF)"}).
		Add(vcrtest.Interaction{URL: s.clock.URL(flownOnly), ContentType: "application/json", Body: clockReply(flownOnly),
			Provenance: "SYNTHETIC clock reply for the as-flown timeline alone: UTCF invented (testUTCF)"}).Save()
	if err != nil {
		t.Fatal(err)
	}
}

// testUTCF is the invented correction of the synthetic clock reply: -28.5 s
// at the first time, drifting by 1 µs per second after it.
func testUTCF(t, t0 time.Time) float64 { return -28.5 + 1e-6*t.Sub(t0).Seconds() }

// clockReply answers a /swift/clock request for times with the synthetic
// UTCF, in the reply shape of the client's SwiftClockSchema.
func clockReply(times []time.Time) []byte {
	epoch := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString(`{"entries": [`)
	for i, t := range times {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"met": %.6f, "utcf": %.9f, "isutc": false}`, t.Sub(epoch).Seconds(), testUTCF(t, times[0]))
	}
	b.WriteString(`], "status": "Accepted"}`)
	return []byte(b.String())
}

// listingTimes are the times a listing of the two replies sends to the
// clock, in order: the start and end of each activity, as-flown first.
func listingTimes(t testing.TB, flown, plan []byte) []time.Time {
	var times []time.Time
	seen := map[string]bool{}
	for _, r := range []struct {
		b  []byte
		tl Timeline
	}{{flown, AsFlown}, {plan, Planned}} {
		if r.b == nil {
			continue
		}
		res, err := ParseTimeline(r.b, r.tl)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Activities {
			if !seen[a.ID] {
				seen[a.ID] = true
				times = append(times, a.Start, a.End)
			}
		}
	}
	return times
}

func replayed(t testing.TB) *Source {
	s, _ := New(Options{HTTPOptions: connectors.HTTPOptions{Transport: vcrtest.Replay(t, "testdata/swift"), Retries: -1}})
	return s
}

func TestReplayPlannedBecomesCompleted(t *testing.T) {
	s := replayed(t)
	var st connectors.Stats
	acts, err := activities.Collect(s.Activities(connectors.WithStats(context.Background(), &st), day))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[activities.Kind]int{}
	for _, a := range acts {
		kinds[a.Kind]++
	}
	// 6 flown observations; the plan has 9, 6 of which are the flown ones
	if len(acts) != 9 || kinds[activities.KindCompleted] != 6 || kinds[activities.KindPlanned] != 3 {
		t.Fatalf("got %d activities %v", len(acts), kinds)
	}
	if w := st.Counts(); w["skipped: planned observation already flown"] != 6 {
		t.Errorf("warnings %v", w)
	}
}

func FuzzParseTimeline(f *testing.F) {
	f.Add(archivetest.Read(f, "testdata/planquery_2025-07-01.json"), false)
	f.Add(archivetest.Read(f, "testdata/obsquery_2025-07-01_synthetic.json"), true)
	f.Fuzz(func(t *testing.T, b []byte, flown bool) {
		tl := Planned
		if flown {
			tl = AsFlown
		}
		res, err := ParseTimeline(b, tl)
		archivetest.Check(t, res, err)
	})
}

func BenchmarkNormalizeSwift(b *testing.B) {
	archivetest.Normalize(b, archivetest.Read(b, "testdata/planquery_2025-07-01.json"), func(body []byte) (*connectors.Reply, error) {
		return ParseTimeline(body, Planned)
	})
}

// BenchmarkDecodeOnlySwift is the peer of BenchmarkNormalizeSwift: the
// reply decoded by encoding/json into generic values, no normalization.
func BenchmarkDecodeOnlySwift(b *testing.B) {
	type reply struct {
		Entries []map[string]any `json:"entries"`
	}
	archivetest.DecodeJSON(b, archivetest.Read(b, "testdata/planquery_2025-07-01.json"), func(v reply) int { return len(v.Entries) })
}
