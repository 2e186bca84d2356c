package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestResolverFlag(t *testing.T) {
	for _, bad := range []string{"simbad", "ftp://cds.unistra.fr/cgi-bin/nph-sesame", "https://x.example/nph-sesame?q=1"} {
		if _, err := parseFlags([]string{"--resolver", bad}, io.Discard); err == nil || !strings.Contains(err.Error(), "--resolver") {
			t.Errorf("--resolver %q: %v, want an error naming --resolver", bad, err)
		}
	}
	for spec, on := range map[string]bool{"": false, "off": false, "sesame": true, "https://vizier.cfa.harvard.edu/viz-bin/nph-sesame": true} {
		c, err := parseFlags([]string{"--resolver=" + spec}, io.Discard)
		if err != nil || (c.resolve != nil) != on || (nodeOptions(c, nil).Resolver != nil) != on {
			t.Errorf("--resolver %q: %v %v, want on=%v", spec, c.resolve, err, on)
		}
	}
	var help bytes.Buffer
	parseFlags([]string{"--help"}, &help)
	if !strings.Contains(help.String(), "-resolver") || !strings.Contains(help.String(), "sesame") {
		t.Errorf("--help does not document --resolver:\n%s", help.String())
	}
}

// TestResolverLookup: activityd --resolver URL answers a dashboard lookup
// the embedded catalogues cannot from the Sesame service at URL.
func TestResolverLookup(t *testing.T) {
	sesame := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/cgi-bin/nph-sesame/-ox/A" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `<Sesame><Target option="A"><name>M 31</name><Resolver name="S=Simbad (via url)">`+
			`<jradeg>10.684708</jradeg><jdedeg>+41.268750</jdedeg></Resolver></Target></Sesame>`)
	}))
	defer sesame.Close()
	addr := serve(t, "--replay", "--open", "--db", ":memory:", "--log-level", "ERROR", "--resolver", sesame.URL+"/cgi-bin/nph-sesame")
	resp, err := http.Get("http://" + addr + "/api/astro/lookup?name=M%2031")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		Targets []struct {
			Kind, Catalogue, Database string
			RA, Dec                   float64
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	if len(m.Targets) != 1 || m.Targets[0].Catalogue != "Sesame" || m.Targets[0].Database != "Simbad" || m.Targets[0].RA != 10.684708 {
		t.Errorf("lookup: %+v", m)
	}
}
