package obsloctap

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors/obscore"
	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

// cassetteURL is the address the DaCHS cassette was recorded from.
const cassetteURL = "http://localhost:8080/tap"

const cassette = "testdata/dachs_obsplan"

func form(q string, format string) url.Values {
	v := url.Values{"REQUEST": {"doQuery"}, "LANG": {"ADQL"}, "QUERY": {q}, "MAXREC": {strconv.Itoa(obscore.DefaultMaxRec)}}
	if format != "" {
		v.Set("RESPONSEFORMAT", format)
	}
	return v
}

// TestBuildCassette records the replies of the DaCHS service to the
// Chandra window query, as VOTable and CSV (run with -update and
// ARCSECOND_TAP_URL).
func TestBuildCassette(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassette")
	}
	base := os.Getenv("ARCSECOND_TAP_URL")
	if base == "" {
		t.Fatal("ARCSECOND_TAP_URL is needed to record the DaCHS cassette")
	}
	s, err := New(Options{URL: cassetteURL})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Query(chandraWindow)
	if err != nil {
		t.Fatal(err)
	}
	b := vcrtest.NewCassette(cassette,
		"bodies recorded from the DaCHS 2.7 TAP service of .ci/setup.d/40-dachs.sh publishing ivoa.obsplan by .ci/setup.d/45-obsplan.sh (testdata/dachs/obsplan.rd and obsplan.csv of this repository) on "+time.Now().UTC().Format("2006-01-02")+" by TestBuildCassette -update, unchanged")
	for _, format := range []string{"", "csv"} {
		f := form(q, format)
		resp, err := http.PostForm(base+"/sync", f)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("recording: HTTP %d, %v", resp.StatusCode, err)
		}
		b.Add(vcrtest.Interaction{Method: "POST", URL: cassetteURL + "/sync", Form: f,
			ContentType: resp.Header.Get("Content-Type"), Body: body,
			Provenance: "DaCHS sync reply, format " + map[string]string{"": "VOTable", "csv": "CSV"}[format]})
	}
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
}
