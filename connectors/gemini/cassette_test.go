package gemini

import (
	"flag"
	"os"
	"testing"

	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassettes in testdata from the recorded bodies")

const m101URL = DefaultBaseURL + "/jsonsummary/notengineering/NotFail/object=m101"

// TestBuildCassettes rebuilds testdata/m101.yaml from testdata/m101.json
// (go test -run BuildCassettes -update). The body is not altered.
func TestBuildCassettes(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassettes")
	}
	body, err := os.ReadFile("testdata/m101.json")
	if err != nil {
		t.Fatal(err)
	}
	err = vcrtest.NewCassette("testdata/m101",
		"body = astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8 astroquery/gemini/tests/data/m101.json "+
			"(BSD-3-Clause), recorded from the Gemini archive for an object=m101 query; the request is the one astroquery's "+
			"Observations.query_object('m101') makes; the body is byte for byte the recorded one.").
		Add(vcrtest.Interaction{URL: m101URL, ContentType: "application/json", Body: body}).Save()
	if err != nil {
		t.Fatal(err)
	}
}
