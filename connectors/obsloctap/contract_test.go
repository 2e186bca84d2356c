package obsloctap

import (
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
)

// TestContract checks, column by column, what the connector takes from an
// ivoa.obsplan row, each row citing where the ObsLocTAP 1.0 Recommendation
// defines the column (see [Columns] and [Spec]). Each case sets one column
// of a base row and checks the activity field it feeds.
func TestContract(t *testing.T) {
	base := map[string]string{"t_planning": "60000.5", "obs_id": "o1", "t_min": "60001", "t_max": "60001.5",
		"facility_name": "F", "execution_status": "Scheduled"}
	cases := []struct {
		col, value string
		check      func(a activities.Activity) bool
	}{
		{"t_planning", "60000.25", func(a activities.Activity) bool {
			return a.Updated.Equal(time.Date(2023, 2, 25, 6, 0, 0, 0, time.UTC)) && a.Revision == a.Updated.UnixMilli()
		}},
		{"target_name", "M 31", func(a activities.Activity) bool { return a.Target.Name == "M 31" }},
		{"obs_id", "X-42", func(a activities.Activity) bool { return a.ID == "c:X-42" && a.DatasetID == "X-42" }},
		{"s_ra", "10.5", func(a activities.Activity) bool { return a.Pointing.RA == 10.5 && *a.Target.RA == 10.5 }},
		{"s_dec", "-5.25", func(a activities.Activity) bool { return a.Pointing.Dec == -5.25 && *a.Target.Dec == -5.25 }},
		{"s_fov", "0.5", func(a activities.Activity) bool { return a.Target.FOVRadius == 0.25 }},
		{"s_region", "POLYGON ICRS 10 -5 11 -5 11 -4", func(a activities.Activity) bool {
			return len(a.Footprints) == 1 && a.Footprints[0].Polygon[2] == [2]float64{11, -4}
		}},
		{"t_min", "60001.25", func(a activities.Activity) bool { return a.Start.Equal(time.Date(2023, 2, 26, 6, 0, 0, 0, time.UTC)) }},
		{"t_max", "60001.75", func(a activities.Activity) bool { return a.End.Equal(time.Date(2023, 2, 26, 18, 0, 0, 0, time.UTC)) }},
		{"t_exptime", "1200", func(a activities.Activity) bool { return *a.Exposure == 1200 }},
		{"em_min", "5e-7", func(a activities.Activity) bool { return a.Bandpass != nil && a.Bandpass.Min == 5e-7 }},
		{"em_max", "6e-7", func(a activities.Activity) bool { return a.Bandpass != nil && a.Bandpass.Max == 6e-7 }},
		{"facility_name", "Chandra", func(a activities.Activity) bool { return a.Facility == "Chandra" }},
		{"instrument_name", "ACIS-I", func(a activities.Activity) bool { return a.Instrument == "ACIS-I" }},
		{"t_plan_exptime", "900", func(a activities.Activity) bool { return *a.Exposure == 900 }},
		{"execution_status", "Performed", func(a activities.Activity) bool { return a.Kind == activities.KindCompleted }},
		{"tracking_type", "Solar-system-object-tracking", func(a activities.Activity) bool {
			return a.Pointing != nil && a.Target.RA == nil
		}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		col := column(c.col)
		if col.Name == "" || !strings.Contains(col.Cite, "ObsLocTAP.tex") {
			t.Fatalf("%s: not in Columns with a citation of the spec", c.col)
		}
		covered[c.col] = true
		row := map[string]string{}
		for k, v := range base {
			row[k] = v
		}
		row[c.col] = c.value
		switch c.col { // the columns a case needs beside its own
		case "em_min":
			row["em_max"] = "6e-7"
		case "em_max":
			row["em_min"] = "5e-7"
		case "s_ra", "s_fov", "s_region", "tracking_type":
			row["s_ra"], row["s_dec"] = "10.5", "-5.25"
		case "s_dec":
			row["s_ra"] = "10.5"
		}
		var names, cells []string
		for k, v := range row {
			names = append(names, k)
			cells = append(cells, v)
		}
		body := strings.Join(names, "\t") + "\n" + strings.Join(cells, "\t") + "\n"
		body = strings.ReplaceAll(body, "\t", ",")
		res, err := ParseReply([]byte(body), &Converter{Source: "c"})
		if err != nil || len(res.Activities) != 1 {
			t.Errorf("%s (%s): %v %+v", c.col, col.Cite, err, res)
			continue
		}
		if !c.check(res.Activities[0]) {
			t.Errorf("%s = %q not read as the spec defines it (%s): %+v", c.col, c.value, col.Cite, res.Activities[0])
		}
	}
	for _, col := range Columns {
		if !covered[col.Name] {
			t.Errorf("column %s is in Columns but no contract case checks it", col.Name)
		}
	}
}

func column(name string) Column {
	for _, c := range Columns {
		if c.Name == name {
			return c
		}
	}
	return Column{}
}
