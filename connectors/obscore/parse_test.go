package obscore

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/connectortest"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// TestParsePyvoObsCore runs the real GAVO DaCHS ObsCore reply of pyvo's
// test data through the parser and checks the first record field by field.
func TestParsePyvoObsCore(t *testing.T) {
	res, err := ParseReply(archivetest.Read(t, "testdata/obscore-image.xml"), &Converter{Source: "gavo"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("obscore-image.xml: records=%d activities=%d skipped={%s} warnings={%s}", res.Records, len(res.Activities),
		connectors.FormatCounts(res.Skipped), connectors.FormatCounts(res.Warnings))
	if res.Records != 10 || len(res.Activities) != 10 || res.SkippedTotal() != 0 {
		t.Fatalf("records %d, activities %d, skipped %v; want 10, 10, none", res.Records, len(res.Activities), res.Skipped)
	}
	// The reply has no proposal_id nor obs_creator_name: counted, named.
	if res.Warnings["column absent: proposal_id"] != 1 || res.Warnings["column absent: obs_creator_name"] != 1 {
		t.Errorf("warnings %v: want the absent proposal_id and obs_creator_name named", res.Warnings)
	}
	a := res.Activities[0]
	if a.ID != "gavo:ivo://org.gavo.dc/~?potsdam/data/fits/POT032_000002E.fits" {
		t.Errorf("ID %q", a.ID)
	}
	if a.Facility != "Astrophysikalisches Observatorium Potsdam" || a.Instrument != "AO Potsdam, CdC 32-cm refractor" {
		t.Errorf("facility %q instrument %q", a.Facility, a.Instrument)
	}
	if !a.Start.Equal(time.Date(1913, 8, 26, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("start %s", a.Start)
	}
	if len(a.Target.Region) != 4 || a.Target.FOVRadius < 1.8 || a.Target.FOVRadius > 1.9 {
		t.Errorf("region %v fov %v", a.Target.Region, a.Target.FOVRadius)
	}
	for _, a := range res.Activities {
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.ID, err)
		}
		j, _ := a.MarshalJSON()
		if err := connectortest.ValidateJSON(j); err != nil {
			t.Errorf("%s: schema: %v", a.ID, err)
		}
	}
}

func TestSchemaDrift(t *testing.T) {
	c := &Converter{Source: "x", Facility: "T"}
	// A renamed required column is a SchemaError naming it.
	_, err := ParseReply([]byte("obs_id,t_start,s_ra,s_dec\na,58000,10,20\n"), c)
	var se *connectors.SchemaError
	if !errors.As(err, &se) || se.Column != "t_min" {
		t.Fatalf("renamed t_min: got %v, want a SchemaError naming t_min", err)
	}
	// A date format change (ISO strings where MJD numbers were) is one too.
	_, err = ParseReply([]byte("obs_id,t_min,s_ra,s_dec\na,2019-10-01T00:00:00,10,20\n"), c)
	if !errors.As(err, &se) || se.Column != "t_min" {
		t.Fatalf("t_min as ISO text: got %v, want a SchemaError naming t_min", err)
	}
	// A unit change (JD instead of MJD) too.
	_, err = ParseReply([]byte("obs_id,t_min,s_ra,s_dec\na,2458757.5,10,20\n"), c)
	if !errors.As(err, &se) || se.Column != "t_min" {
		t.Fatalf("t_min in JD: got %v, want a SchemaError naming t_min", err)
	}
	// An unknown dataproduct_type is a counted warning naming the value.
	res, err := ParseReply([]byte("obs_id,t_min,s_ra,s_dec,dataproduct_type\na,58000,10,20,hologram\n"), c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Warnings["unknown dataproduct_type: hologram"] != 1 || len(res.Activities) != 1 {
		t.Fatalf("warnings %v, %d activities", res.Warnings, len(res.Activities))
	}
	// Records without a start or a facility are skipped with a reason.
	res, err = ParseReply([]byte("obs_id,t_min,s_ra,s_dec,facility_name\na,,10,20,X\nb,58000,10,20,\n"), &Converter{Source: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped[SkipNoStart] != 1 || res.Skipped[SkipNoFacility] != 1 {
		t.Fatalf("skipped %v", res.Skipped)
	}
}

func TestHTMLReply(t *testing.T) {
	_, err := ParseReply([]byte("<!DOCTYPE html><html><head><title>Maintenance</title></head></html>"), &Converter{Source: "x"})
	var he *connectors.HTMLError
	if !errors.As(err, &he) || he.Title != "Maintenance" {
		t.Fatalf("got %v", err)
	}
}

func TestSTCS(t *testing.T) {
	for s, n := range map[string]int{
		"Polygon ICRS 265.13 -53.69 265.22 -53.69 265.22 -53.64":        3,
		"POLYGON J2000 264.9 -29.6 265.8 -28.3 266.9 -28.9 266.1 -30.2": 4,
		"POLYGON 1 2 3 4 5 6":                 3,
		"POLYGON ICRS TOPOCENTER 1 2 3 4 5 6": 3,
		"CIRCLE ICRS 1 2 3":                   0, "POSITION J2000 266.4 -29.0": 0, "POLYGON ICRS 1 2 3": 0, "POLYGON ICRS 1 2 3 4 5 x": 0,
		"POLYGON ICRS 1 95 3 4 5 6": 0,
	} {
		if got := len(ParseSTCSPolygon(s)); got != n {
			t.Errorf("%q: %d vertices, want %d", s, got, n)
		}
	}
	if !strings.Contains(mjdLiteral(time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)), "58757") {
		t.Errorf("mjd literal %s", mjdLiteral(time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)))
	}
}

func TestRegistryNeedsURL(t *testing.T) {
	t.Setenv(EnvURL, "")
	_, err := connectors.Open(Name, connectors.Config{})
	if err == nil || !strings.Contains(err.Error(), EnvURL) {
		t.Fatalf("got %v, want an error naming %s", err, EnvURL)
	}
	t.Setenv(EnvURL, "http://localhost:8080/tap")
	if _, err := connectors.Open(Name, connectors.Config{}); err != nil {
		t.Fatal(err)
	}
}

func TestParseReplyOverflow(t *testing.T) {
	b, _ := os.ReadFile("testdata/obscore-image.xml")
	b = []byte(strings.Replace(string(b), "</TABLE>", `</TABLE><INFO name="QUERY_STATUS" value="OVERFLOW"/>`, 1))
	res, err := ParseReply(b, &Converter{Source: "gavo"})
	if err != nil || !res.Truncated || len(res.Activities) != 10 {
		t.Fatalf("%v truncated=%v", err, res != nil && res.Truncated)
	}
}

// TestRecordedCounts prints and checks, for every recorded reply, the
// records, activities and skipped records by reason.
func TestRecordedCounts(t *testing.T) {
	pyvo, _ := os.ReadFile("testdata/obscore-image.xml")
	for _, c := range []struct {
		name       string
		body       []byte
		records    int
		activities int
	}{{"dachs_obscore.yaml (VOTable)", dachsBody(t), 40, 40}, {"dachs_obscore.yaml (CSV)", dachsCSV(t), 40, 40},
		{"obscore-image.xml", pyvo, 10, 10}} {
		res, err := ParseReply(c.body, &Converter{Source: "x"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		t.Logf("%s: records=%d activities=%d skipped={%s} warnings={%s}", c.name, res.Records, len(res.Activities),
			connectors.FormatCounts(res.Skipped), connectors.FormatCounts(res.Warnings))
		if res.Records != c.records || len(res.Activities) != c.activities || res.Records != len(res.Activities)+res.SkippedTotal() {
			t.Errorf("%s: %d records, %d activities, skipped %v", c.name, res.Records, len(res.Activities), res.Skipped)
		}
	}
}
