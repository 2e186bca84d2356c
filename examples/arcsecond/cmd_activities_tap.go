package main

import (
	"fmt"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
	"github.com/arcsecond-go/arcsecond/connectors/eso"
	_ "github.com/arcsecond-go/arcsecond/connectors/jsonl" // registers the jsonl reply format
	"github.com/arcsecond-go/arcsecond/connectors/obscore"
)

// The TAP-based sources of `arcsecond activities parse/live`: ESO's
// tap_obs (raw frames of dbo.raw, or ivoa.ObsCore products, told apart by
// the reply's columns) and any ObsCore TAP service.
//
//	arcsecond activities parse --source eso connectors/eso/testdata/query_main_sgra.csv
//	ARCSECOND_OBSCORE_URL=http://localhost:18080/tap arcsecond activities live --source obscore --once --since 24h
//
// ESO is queried anonymously unless ARCSECOND_ESO_TOKEN holds an ESO OIDC
// token; an ObsCore service's token, if it needs one, is read from
// ARCSECOND_OBSCORE_TOKEN.
func init() {
	addActivitySource("eso", activitySource{
		Help: "ESO tap_obs reply (VOTable or CSV) of dbo.raw or ivoa.ObsCore",
		Live: func(o liveOptions) (activities.Source, error) {
			return eso.New(eso.Options{URL: o.BaseURL, HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	})
	addActivitySource("obscore", activitySource{
		Help: "ObsCore TAP reply (VOTable or CSV) of any service's ivoa.obscore",
		Live: func(o liveOptions) (activities.Source, error) {
			u := o.BaseURL
			if u == "" {
				u = connectors.Credential("", obscore.EnvURL)
			}
			if u == "" {
				return nil, fmt.Errorf("no ObsCore TAP service: set %s (or --base-url) to its URL", obscore.EnvURL)
			}
			return obscore.New(obscore.Options{URL: u, Token: connectors.Credential("", obscore.EnvToken), HTTPOptions: connectors.HTTPOptions{Timeout: o.Timeout, Retries: o.Retries}})
		},
	})
}
