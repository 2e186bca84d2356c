package obscore

import (
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/internal/httpx/vcrtest"
)

var update = flag.Bool("update", false, "rebuild the cassettes in testdata (the DaCHS one needs ARCSECOND_TAP_URL)")

// dachsCassetteURL is the address the DaCHS cassette was recorded from.
const dachsCassetteURL = "http://localhost:8080/tap"

// pyvoQuery is the ADQL that produced testdata/obscore-image.xml: the
// file's INFO name="query" holds DaCHS's translation of it (the columns of
// SELECT * and LIMIT 10 for TOP 10).
const pyvoQuery = "SELECT TOP 10 * FROM ivoa.obscore WHERE dataproduct_type = 'image'"

const pyvoURL = "http://dc.zah.uni-heidelberg.de/tap"

func form(q string, maxrec int, format string) url.Values {
	v := url.Values{"REQUEST": {"doQuery"}, "LANG": {"ADQL"}, "QUERY": {q}, "MAXREC": {itoa(maxrec)}}
	if format != "" {
		v.Set("RESPONSEFORMAT", format)
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestBuildCassettes(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rebuild the cassettes")
	}
	body, err := os.ReadFile("testdata/obscore-image.xml")
	if err != nil {
		t.Fatal(err)
	}
	err = vcrtest.NewCassette("testdata/pyvo_obscore_image",
		"body = astropy/pyvo@64fbf2f55f962d82997d887815703d7303d24ac7 pyvo/dal/tests/data/tap/obscore-image.xml (BSD-3-Clause), a real ObsCore result of the GAVO DaCHS TAP service at dc.zah.uni-heidelberg.de, unchanged; the request is reconstructed from the query in its INFO").
		Add(vcrtest.Interaction{Method: "POST", URL: pyvoURL + "/sync", Form: form(pyvoQuery, 10, ""),
			ContentType: "application/x-votable+xml", Body: body,
			Provenance: "pyvo test data file, unchanged"}).Save()
	if err != nil {
		t.Fatal(err)
	}
	base := os.Getenv("ARCSECOND_TAP_URL")
	if base == "" {
		t.Fatal("ARCSECOND_TAP_URL is needed to record the DaCHS cassette")
	}
	s, err := New(Options{URL: dachsCassetteURL})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Query(dachsWindow)
	if err != nil {
		t.Fatal(err)
	}
	b := vcrtest.NewCassette("testdata/dachs_obscore",
		"bodies recorded from the DaCHS TAP service of .ci/setup.d/40-dachs.sh (ivoa.obscore publishing testdata/dachs of this repository) on "+time.Now().UTC().Format("2006-01-02")+" by TestBuildCassettes -update, unchanged")
	for _, format := range []string{"", "csv"} {
		f := form(q, DefaultMaxRec, format)
		resp, err := http.PostForm(base+"/sync", f)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("recording: HTTP %d, %v", resp.StatusCode, err)
		}
		b.Add(vcrtest.Interaction{Method: "POST", URL: dachsCassetteURL + "/sync", Form: f,
			ContentType: resp.Header.Get("Content-Type"), Body: body,
			Provenance: "DaCHS sync reply, format " + map[string]string{"": "VOTable", "csv": "CSV"}[format]})
	}
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
}
