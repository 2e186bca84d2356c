package jwst

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

type mastRow struct {
	ra, dec      float64
	filters      string
	emMin, emMax float64 // nm
}

// TestAllVisits: every one of the 48 visits against an independent reading
// of the two recorded files (a separate Python pass: column spans from the
// dash runs of the underline; ACROSS's filters — no VISIT ID, PCS MODE
// NONE or COARSE, CATEGORY Calibration — dropped; DURATION dd/hh:mm:ss to
// seconds; the instrument the first word of SCIENCE INSTRUMENT AND MODE;
// then the first MAST row of the target name, unused when em_min and
// em_max are missing or both 0, as ACROSS find_missing_params_from_mast_result).
func TestAllVisits(t *testing.T) {
	res, err := ParseSchedule(archivetest.Read(t, schedule))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ParseMAST(archivetest.Read(t, mastRows))
	if err != nil {
		t.Fatal(err)
	}
	Join(res.Activities, rows, res)
	want := []struct {
		visit, start string
		dur          float64
		inst, mode   string
		target       string
		mast         *mastRow
	}{
		{"7615:5:1", "2025-08-04T04:51:40Z", 7046, "NIRCam", "Engineering Imaging", "P330-E", &mastRow{247.890885, 30.1462222222, "F200W;F356W", 1755.0, 3980.0}},
		{"7615:7:1", "2025-08-04T06:56:31Z", 8610, "NIRCam", "Engineering Imaging", "P330-E", &mastRow{247.890885, 30.1462222222, "F200W;F356W", 1755.0, 3980.0}},
		{"9259:4:1", "2025-08-04T10:09:40Z", 3506, "NIRSpec", "IFU Spectroscopy", "C2024E1", nil},
		{"9259:5:1", "2025-08-04T11:23:17Z", 3506, "NIRSpec", "IFU Spectroscopy", "C2024E1-sky", nil},
		{"7651:13:1", "2025-08-04T13:11:40Z", 5723, "NIRCam", "Coronagraphic Imaging", "1RXS-J124830.1-594449", nil},
		{"7651:14:1", "2025-08-04T15:03:19Z", 5723, "NIRCam", "Coronagraphic Imaging", "1RXS-J123834.9-591645", nil},
		{"7651:15:1", "2025-08-04T16:52:42Z", 5723, "NIRCam", "Coronagraphic Imaging", "CD-58-4463", nil},
		{"7651:16:1", "2025-08-04T18:40:30Z", 5795, "NIRCam", "Coronagraphic Imaging", "ASAS-J124547-5411.0", nil},
		{"7651:17:1", "2025-08-04T20:32:49Z", 5795, "NIRCam", "Coronagraphic Imaging", "ASAS-J123911-5454.9", nil},
		{"7651:18:1", "2025-08-04T22:29:03Z", 5747, "NIRCam", "Coronagraphic Imaging", "CPD-56-5307", nil},
		{"7651:31:1", "2025-08-05T00:23:05Z", 5825, "NIRCam", "Coronagraphic Imaging", "1RXS-J134442.5-634758", nil},
		{"7651:32:1", "2025-08-05T02:15:57Z", 5849, "NIRCam", "Coronagraphic Imaging", "2MASS-J13334410-6359345", nil},
		{"7429:9:1", "2025-08-05T04:22:50Z", 1495, "NIRSpec", "IFU Spectroscopy", "IRAS-18325-5926-NIRSpec", nil},
		{"7532:1:1", "2025-08-05T06:20:00Z", 25968, "MIRI", "Medium Resolution Spectroscopy", "SgrA", nil},
		{"7890:14:1", "2025-08-05T16:21:48Z", 2140, "MIRI", "Medium Resolution Spectroscopy", "WL12", nil},
		{"7890:15:1", "2025-08-05T17:07:02Z", 4009, "MIRI", "Medium Resolution Spectroscopy", "GSS30-IRS3", nil},
		{"7890:16:1", "2025-08-05T18:25:00Z", 2666, "MIRI", "Medium Resolution Spectroscopy", "YLW-16A", nil},
		{"7135:17:1", "2025-08-05T20:00:57Z", 4027, "MIRI", "Medium Resolution Spectroscopy", "GY92-213", nil},
		{"9254:8:1", "2025-08-05T21:58:06Z", 7770, "NIRSpec", "Fixed Slit Spectroscopy", "GRB250706B", nil},
		{"7890:18:1", "2025-08-06T01:42:31Z", 1957, "MIRI", "Medium Resolution Spectroscopy", "RNO91", nil},
		{"6284:1:1", "2025-08-06T04:10:55Z", 19407, "NIRCam", "Grism Time Series", "HD-207496", nil},
		{"5094:2:1", "2025-08-06T10:15:55Z", 2253, "NIRSpec", "IFU Spectroscopy", "3I_ATLAS", &mastRow{5.971e-05, 3.4e-06, "CLEAR;PRISM", 600.0, 5300.0}},
		{"5094:1:1", "2025-08-06T11:03:52Z", 2253, "NIRSpec", "IFU Spectroscopy", "3I_ATLAS", &mastRow{5.971e-05, 3.4e-06, "CLEAR;PRISM", 600.0, 5300.0}},
		{"7814:2:17", "2025-08-06T22:59:15Z", 6210, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:16", "2025-08-07T00:47:36Z", 6027, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:18", "2025-08-07T02:33:33Z", 6027, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:23", "2025-08-07T04:21:27Z", 6210, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:22", "2025-08-07T06:10:27Z", 6027, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"9180:40:1", "2025-08-07T08:26:46Z", 4554, "NIRSpec", "Fixed Slit Spectroscopy", "QSO-J0443-5332", &mastRow{70.85945, -53.5374805556, "F070LP;G140H", 700.0, 5000.0}},
		{"7814:2:15", "2025-08-07T10:18:32Z", 6210, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"5894:2:1", "2025-08-07T12:41:43Z", 23694, "NIRSpec", "Bright Object Time Series", "TOI-4010", &mastRow{20.2148325, 66.0721972222, "CLEAR;PRISM", 600.0, 5300.0}},
		{"7532:2:1", "2025-08-07T21:20:00Z", 25968, "MIRI", "Medium Resolution Spectroscopy", "SgrA", nil},
		{"6362:2:1", "2025-08-08T05:19:13Z", 5988, "NIRSpec", "IFU Spectroscopy", "HIP-99770", &mastRow{303.6334683333, 36.8063055556, "F290LP;G395H", 2870.0, 5140.0}},
		{"4938:2:1", "2025-08-08T08:07:02Z", 40604, "NIRSpec", "Bright Object Time Series", "TOI-2525", &mastRow{86.8507833333, -60.5214083333, "CLEAR;PRISM", 600.0, 5300.0}},
		{"5924:1:1", "2025-08-08T20:30:30Z", 22014, "NIRISS", "Single-Object Slitless Spectroscopy", "HAT-P-11", &mastRow{297.70936375, 48.0808611111, "CLEAR;GR700XD", 600.0, 2800.0}},
		{"7814:2:24", "2025-08-09T03:25:19Z", 6210, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:19", "2025-08-09T05:16:17Z", 6210, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:21", "2025-08-09T07:06:26Z", 6027, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:20", "2025-08-09T08:52:23Z", 6027, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"7814:2:12", "2025-08-09T10:41:44Z", 6210, "MIRI", "Imaging", "UDS-2", &mastRow{34.37777625, -5.2711444444, "F1280W", 11600.0, 14000.0}},
		{"4713:2:1", "2025-08-09T12:55:51Z", 12726, "NIRSpec", "MultiObject Spectroscopy", "catalog_J0100_phaseII_v1", &mastRow{15.05354375, 28.0404305556, "F070LP;G140M", 700.0, 5000.0}},
		{"9225:1:1", "2025-08-09T17:10:16Z", 1568, "NIRCam", "Imaging", "DRACO-F1", &mastRow{260.19702125, 57.9113805556, "F200W;F277W", 1755.0, 3127.0}},
		{"7532:3:1", "2025-08-09T18:50:00Z", 25968, "MIRI", "Medium Resolution Spectroscopy", "SgrA", nil},
		{"5716:1:1", "2025-08-10T03:51:21Z", 27513, "NIRSpec", "IFU Spectroscopy", "NGC-0315", &mastRow{14.45368, 30.35245, "F170LP;G235H", 1660.0, 5000.0}},
		{"7615:6:1", "2025-08-10T12:17:58Z", 10937, "NIRCam", "Engineering Imaging", "P330-E", &mastRow{247.890885, 30.1462222222, "F200W;F356W", 1755.0, 3980.0}},
		{"8882:47:1", "2025-08-10T15:27:51Z", 3255, "NIRCam", "Coronagraphic Imaging", "P330-E", &mastRow{247.890885, 30.1462222222, "F200W;F356W", 1755.0, 3980.0}},
		{"8882:48:1", "2025-08-10T16:27:31Z", 3202, "NIRCam", "Coronagraphic Imaging", "P330-E", &mastRow{247.890885, 30.1462222222, "F200W;F356W", 1755.0, 3980.0}},
		{"7073:21:1", "2025-08-10T18:23:40Z", 19716, "NIRISS", "Single-Object Slitless Spectroscopy", "LHS-1140", &mastRow{11.2472120833, -15.2715388889, "CLEAR;GR700XD", 600.0, 2800.0}},
	}
	if len(res.Activities) != len(want) {
		t.Fatalf("%d activities, want %d", len(res.Activities), len(want))
	}
	for i, w := range want {
		a := res.Activities[i]
		start, _ := time.Parse(time.RFC3339, w.start)
		end := start.Add(time.Duration(w.dur) * time.Second)
		if a.ID != "jwst:"+w.visit || !a.Start.Equal(start) || !a.End.Equal(end) || a.Exposure == nil || *a.Exposure != w.dur {
			t.Errorf("%s: %s [%s, %s] %v", w.visit, a.ID, a.Start, a.End, a.Exposure)
		}
		if a.Instrument != w.inst || a.Mode != w.mode || a.Target.Name != w.target || a.Programme.ID != strings.Split(w.visit, ":")[0] {
			t.Errorf("%s: %q %q %q programme %q", w.visit, a.Instrument, a.Mode, a.Target.Name, a.Programme.ID)
		}
		if a.Kind != activities.KindPlanned || a.Facility != "JWST" {
			t.Errorf("%s: %s %s", w.visit, a.Kind, a.Facility)
		}
		if w.mast == nil {
			if a.Pointing != nil || a.Bandpass != nil || a.Filter != "" {
				t.Errorf("%s: joined %v %v %q, want no MAST row", w.visit, a.Pointing, a.Bandpass, a.Filter)
			}
			continue
		}
		m := w.mast
		if a.Pointing == nil || a.Pointing.RA != m.ra || a.Pointing.Dec != m.dec || a.Filter != m.filters {
			t.Errorf("%s: pointing %v filter %q, want (%v, %v) %q", w.visit, a.Pointing, a.Filter, m.ra, m.dec, m.filters)
			continue
		}
		if ra, dec, ok := a.Target.Position(); !ok || ra != m.ra || dec != m.dec {
			t.Errorf("%s: target position %v %v", w.visit, ra, dec)
		}
		if a.Bandpass == nil || math.Abs(a.Bandpass.Min.Metres()*1e9-m.emMin) > 1e-6 || math.Abs(a.Bandpass.Max.Metres()*1e9-m.emMax) > 1e-6 {
			t.Errorf("%s: bandpass %v, want %v-%v nm", w.visit, a.Bandpass, m.emMin, m.emMax)
		}
	}
}
