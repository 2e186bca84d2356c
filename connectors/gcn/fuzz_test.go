package gcn

import (
	"os"
	"path/filepath"
	"testing"
)

// checkNotice fails when a decoded notice holds an invalid record (Decode
// promises valid ones).
func checkNotice(t *testing.T, n *Notice) {
	for i := range n.Activities {
		if err := n.Activities[i].Validate(); err != nil {
			t.Fatalf("invalid activity: %v", err)
		}
	}
	for i := range n.Alerts {
		if err := n.Alerts[i].Validate(); err != nil {
			t.Fatalf("invalid alert: %v", err)
		}
		n.Alerts[i].Localization.Contains(10, 20)
	}
}

func FuzzDecodeClassic(f *testing.F) {
	files, _ := filepath.Glob("testdata/classic/*/example.bin")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := DecodeClassic(b)
		if err != nil {
			if n != nil {
				t.Fatal("a notice with an error")
			}
			return
		}
		checkNotice(t, n)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/maxi/gsc.unknown.schema.json","mission":"MAXI","trigger_time":"2023-02-20T08:56:01Z","id":"1","ra":346.56,"dec":18.61,"rectangular_error_corners":[[345.72,19.547],[345.464,19.29],[347.309,17.634],[347.566,17.889]]}`,
		`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/chime/frb.schema.json","alert_type":"initial","trigger_time":"2024-09-18T07:19:10.765268Z","id":"427","ra":346.7,"dec":12.6,"ra_dec_error":[0.5,0.6,0],"snr":12.7}`,
		`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/heasarc/archive_alert.schema.json","observation_start":"2022-02-21T16:12:23.000","obs_id":"01001099","target_name":"Crab","facility_name":"IXPE"}`,
		`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/boom/alert.schema.json","alert_datetime":"2025-11-30T10:28:57Z","data":{"targets":[{"event_name":"Z","ra":150.1,"dec":15.2}],"photometry":[{"event_name":"Z","observation_start":"2025-11-27T14:03:06.509Z"}]}}`,
		`{"$schema":"https://gcn.nasa.gov/schema/main/gcn/notices/icecube/lvk_nu_track_search.schema.json","ref_ID":"S1","trigger_time":"2023-09-14T11:14:01Z","most_probable_direction":{"ra":17.49,"dec":16.18},"coincident_events":[{"localization":{"ra":17.48,"dec":16.15,"ra_dec_error":0.5}}]}`,
	} {
		f.Add("", []byte(s))
	}
	f.Add("gcn.notices.chime.frb", []byte(`{"trigger_time":"2024-09-18 07:19:03.518831+00:00","id":["a","b"],"ra":-1,"dec":0,"ra_dec_error":[1]}`))
	f.Fuzz(func(t *testing.T, topic string, b []byte) {
		n, err := Decode(topic, b)
		if err != nil {
			return
		}
		checkNotice(t, n)
	})
}
