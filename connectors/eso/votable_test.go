package eso

import (
	"errors"
	"strings"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors"
)

// A hand-written VOTable (SYNTHETIC, not a recorded reply: no real dbo.raw
// VOTable is available) with dbo.raw's column names and types, to check
// the VOTable path: char timestamps, doubles, nulls, OVERFLOW.
const rawVOTable = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
<TABLE>
<FIELD name="dp_id" datatype="char" arraysize="*"/>
<FIELD name="exp_start" datatype="char" arraysize="*" xtype="timestamp"/>
<FIELD name="dp_cat" datatype="char" arraysize="*"/>
<FIELD name="instrument" datatype="char" arraysize="*"/>
<FIELD name="telescope" datatype="char" arraysize="*"/>
<FIELD name="ra" datatype="double" unit="deg"/>
<FIELD name="dec" datatype="double" unit="deg"/>
<FIELD name="exposure" datatype="float" unit="s"/>
<DATA><TABLEDATA>
<TR><TD>MUSE.2026-11-26T03:00:00.000</TD><TD>2026-11-26T03:00:00.000</TD><TD>SCIENCE</TD><TD>MUSE</TD><TD>ESO-VLT-U4</TD><TD>150.1</TD><TD>2.2</TD><TD>600</TD></TR>
<TR><TD>MUSE.2026-11-26T02:00:00.000</TD><TD>2026-11-26T02:00:00.000</TD><TD>CALIB</TD><TD>MUSE</TD><TD>ESO-VLT-U4</TD><TD/><TD/><TD>1</TD></TR>
<TR><TD>FORS2.2026-11-26T04:00:00.000</TD><TD>2026-11-26T04:00:00Z</TD><TD>SCIENCE</TD><TD>FORS2</TD><TD>ESO-VLT-U1</TD><TD/><TD/><TD/></TR>
</TABLEDATA></DATA></TABLE>
<INFO name="QUERY_STATUS" value="OVERFLOW"/>
</RESOURCE></VOTABLE>`

func TestRawVOTable(t *testing.T) {
	res, err := Parse([]byte(rawVOTable))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 3 || len(res.Activities) != 2 || res.Skipped["calibration frame (dp_cat=CALIB)"] != 1 || !res.Truncated {
		t.Fatalf("records %d activities %d skipped %v truncated %v", res.Records, len(res.Activities), res.Skipped, res.Truncated)
	}
	a := res.Activities[0]
	if a.Facility != "VLT UT4 (Yepun)" || *a.Exposure != 600 || a.Target.RA == nil || a.Target.FOVRadius == 0 {
		t.Errorf("%+v", a)
	}
	if b := res.Activities[1]; b.Target.RA != nil || b.Exposure != nil || b.Facility != "VLT UT1 (Antu)" {
		t.Errorf("nulls: %+v", b)
	}
	// The same columns with a number where the timestamp was: drift.
	bad := strings.Replace(rawVOTable, "<TD>2026-11-26T03:00:00.000</TD>", "<TD>61370.125</TD>", 1)
	var se *connectors.SchemaError
	if _, err := Parse([]byte(bad)); !errors.As(err, &se) || se.Column != "exp_start" {
		t.Fatalf("MJD in exp_start: got %v", err)
	}
}

func TestRegistry(t *testing.T) {
	t.Setenv(EnvToken, "")
	src, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"products": "raw,processed"}})
	if err != nil || src.Name() != Name || len(src.(*Source).parts) != 2 {
		t.Fatalf("%v %v", src, err)
	}
	if _, err := connectors.Open(Name, connectors.Config{Settings: map[string]string{"products": "cooked"}}); err == nil {
		t.Fatal("unknown product accepted")
	}
}
