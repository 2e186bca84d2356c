package eso

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

const (
	aq        = "astropy/astroquery@2e8c636ba874bd33258100e6766d04c94fe2fca8:"
	citeCone  = aq + "astroquery/eso/utils.py (_build_adql_string: intersects(s_region, circle('ICRS', ra, dec, r))=1)"
	citeAuth  = aq + "astroquery/eso/core.py (EsoClass.AUTH_URL, _authenticate: GET with response_type 'id_token token', grant_type password, client_id clientid, client_secret clientSecret, username, password)"
	citeIDTok = aq + "astroquery/eso/core.py (_authenticate reads 'id_token'; _get_auth_header sends 'Bearer ' + id_token)"
	citeExp   = aq + "astroquery/eso/core.py (_AuthInfo: exp of the token's payload, expired 600 s early)"
	citeNames = aq + "astroquery/eso/core.py (_EsoNames: raw_table dbo.raw, phase3_table ivoa.ObsCore)"
	citeRaw   = aq + "astroquery/eso/tests/data/query_main_sgra.csv (header of a real dbo.raw result)"
	citeTAP   = "IVOA TAP 1.1 §2.7.1 (https://www.ivoa.net/documents/TAP/20190927/): RESPONSEFORMAT absent means VOTable"
)

// tapRecorder is a local TAP service recording each sync query's form and
// answering an empty VOTable.
type tapRecorder struct {
	mu    sync.Mutex
	forms []url.Values
}

func (r *tapRecorder) start(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req.ParseForm()
		r.mu.Lock()
		r.forms = append(r.forms, req.PostForm)
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-votable+xml")
		w.Write([]byte(emptyVOTable))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestContract(t *testing.T) {
	cone := &Cone{RA: 266.41681662, Dec: -29.00782497, Radius: 0.1775}
	w := activities.Window{Start: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	archivetest.RunContract(t, []archivetest.Row{
		{Name: "request: ObsCore and dbo.raw cones are INTERSECTS(s_region, CIRCLE(...)) = 1", Cite: citeCone, Check: func(t *testing.T) {
			var rec tapRecorder
			u := rec.start(t)
			for _, p := range []Product{Processed, Raw} { // the reply does not matter here
				s := mustNew(t, Options{URL: u, Cone: cone, Products: []Product{p}, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
				activities.Collect(s.Activities(context.Background(), w))
			}
			if len(rec.forms) != 2 {
				t.Fatalf("%d queries sent", len(rec.forms))
			}
			for _, f := range rec.forms {
				q := f.Get("QUERY")
				if !strings.Contains(q, "INTERSECTS(s_region, CIRCLE('ICRS', 266.41681662, (-29.00782497), 0.1775)) = 1") || strings.Contains(q, "POINT(") {
					t.Errorf("query %s", q)
				}
			}
		}},
		{Name: "request: RESPONSEFORMAT left out, so the service answers VOTable", Cite: citeTAP, Check: func(t *testing.T) {
			var rec tapRecorder
			u := rec.start(t)
			s := mustNew(t, Options{URL: u, HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			activities.Collect(s.Activities(context.Background(), w))
			if len(rec.forms) != 1 || rec.forms[0].Has("RESPONSEFORMAT") && rec.forms[0].Get("RESPONSEFORMAT") != "votable" {
				t.Fatalf("forms %v", rec.forms)
			}
		}},
		{Name: "request: tables dbo.raw (raw) and ivoa.ObsCore (processed)", Cite: citeNames, Check: func(t *testing.T) {
			s := mustNew(t, Options{Products: []Product{Raw, Processed}})
			qs, err := s.Query(w)
			if err != nil || !strings.Contains(qs[0], "FROM dbo.raw") || !strings.Contains(qs[1], "FROM ivoa.ObsCore") {
				t.Fatalf("%q %v", qs, err)
			}
		}},
		{Name: "request: token endpoint, GET with the password grant parameters", Cite: citeAuth, Check: func(t *testing.T) {
			tok := newTokenServer(t, time.Hour) // checks every parameter
			if DefaultAuthURL != "https://www.eso.org/sso/oidc/token" {
				t.Errorf("DefaultAuthURL %s", DefaultAuthURL)
			}
			if _, err := NewOIDC(tok.URL, testUser, testPassword, connectors.HTTPOptions{Retries: -1}).Token(context.Background()); err != nil {
				t.Fatal(err)
			}
		}},
		{Name: "response: the id_token (not the access_token) is the bearer", Cite: citeIDTok, Check: func(t *testing.T) {
			tok := newTokenServer(t, time.Hour)
			var bearers []string
			tap := tapServer(t, &bearers)
			s := mustNew(t, Options{URL: tap.URL, AuthURL: tok.URL, Username: testUser, Password: testPassword, ADQL: replays[0].query,
				Format: "csv", HTTPOptions: connectors.HTTPOptions{Retries: -1, RatePerHost: -1}})
			if _, err := activities.Collect(s.Activities(context.Background(), replays[0].window)); err != nil {
				t.Fatal(err)
			}
			if len(bearers) != 1 || strings.Contains(bearers[0], "ACCESS") || !strings.HasPrefix(bearers[0], "Bearer ey") {
				t.Fatalf("bearers %q", bearers)
			}
		}},
		{Name: "response: the id_token's exp; renewed 10 minutes before it", Cite: citeExp, Check: func(t *testing.T) {
			if TokenMargin != 10*time.Minute {
				t.Fatalf("TokenMargin %v", TokenMargin)
			}
			tok := newTokenServer(t, 5*time.Minute) // already within the margin: each call renews
			o := NewOIDC(tok.URL, testUser, testPassword, connectors.HTTPOptions{Retries: -1, RatePerHost: -1})
			o.Token(context.Background())
			o.Token(context.Background())
			if tok.calls.Load() != 2 {
				t.Fatalf("%d token requests, want 2", tok.calls.Load())
			}
		}},
		{Name: "response: the dbo.raw columns read are columns of ESO's reply", Cite: citeRaw, Check: func(t *testing.T) {
			b, err := os.ReadFile("testdata/query_main_sgra.csv")
			if err != nil {
				t.Fatal(err)
			}
			header, _, _ := strings.Cut(string(b), "\n")
			have := map[string]bool{}
			for _, c := range strings.Split(strings.TrimSpace(header), ",") {
				have[c] = true
			}
			for _, c := range append(append([]string{}, RawRequiredColumns()...), RawOptionalColumns()...) {
				if !have[c] {
					t.Errorf("column %q is read but not in ESO's dbo.raw reply", c)
				}
			}
		}},
	})
}

const emptyVOTable = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results">
<INFO name="QUERY_STATUS" value="OK"/><TABLE><FIELD name="obs_id" datatype="char" arraysize="*"/>
<FIELD name="t_min" datatype="double"/><FIELD name="s_ra" datatype="double"/><FIELD name="s_dec" datatype="double"/>
<DATA><TABLEDATA></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`
