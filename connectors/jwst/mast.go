package jwst

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/arcsecond-go/arcsecond/connectors"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

// MASTColumns are the CAOM columns ACROSS keeps from MAST
// (read_mast_observations).
var MASTColumns = []string{"instrument_name", "filters", "obs_id", "target_name", "s_ra", "s_dec", "em_min", "em_max"}

// MASTRow is what a MAST CAOM row gives a visit.
type MASTRow struct {
	InstrumentName string   `json:"instrument_name"`
	Filters        string   `json:"filters"`
	ObsID          string   `json:"obs_id"`
	TargetName     string   `json:"target_name"`
	RA             *float64 `json:"s_ra"`
	Dec            *float64 `json:"s_dec"`
	// EMMin and EMMax are in nm, as ACROSS reads them.
	EMMin *float64 `json:"em_min"`
	EMMax *float64 `json:"em_max"`
}

// ParseMAST reads MAST rows: a reply of POST /api/v0/invoke
// ({"status": ..., "data": [...]}) or a JSON array of rows. A reply still
// EXECUTING is an error saying so.
func ParseMAST(b []byte) ([]MASTRow, error) {
	b = bytes.TrimSpace(b)
	if title, ok := archive.LooksLikeHTML(b); ok {
		return nil, &connectors.HTMLError{Source: Name, What: "a MAST reply (JSON)", Title: title}
	}
	if len(b) > 0 && b[0] == '[' {
		var rows []MASTRow
		if err := json.Unmarshal(b, &rows); err != nil {
			return nil, &connectors.SchemaError{Source: Name, Column: "", Reason: "MAST rows: " + err.Error()}
		}
		return rows, nil
	}
	var env struct {
		Status string    `json:"status"`
		Msg    string    `json:"msg"`
		Data   []MASTRow `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, &connectors.SchemaError{Source: Name, Column: "", Reason: "MAST reply: " + err.Error()}
	}
	switch env.Status {
	case "COMPLETE", "":
		return env.Data, nil
	case "EXECUTING":
		return nil, fmt.Errorf("%s: MAST is still executing the query; ask again", Name)
	default:
		return nil, fmt.Errorf("%s: MAST status %s: %s", Name, env.Status, env.Msg)
	}
}

// Join gives each activity the position, filters and wavelength range of the first MAST row of its target (a row
// with no wavelength range is passed over, as ACROSS passes it over).
// Activities whose target has no usable row are counted in res under
// WarnNotInMAST.
func Join(acts []activities.Activity, rows []MASTRow, res *connectors.Reply) {
	first := map[string]MASTRow{}
	for _, r := range rows {
		if _, seen := first[r.TargetName]; !seen {
			first[r.TargetName] = r
		}
	}
	for i := range acts {
		a := &acts[i]
		r, ok := first[a.Target.Name]
		if !ok || r.EMMin == nil || r.EMMax == nil || (*r.EMMin == 0 && *r.EMMax == 0) || r.RA == nil || r.Dec == nil {
			res.Warn(WarnNotInMAST)
			continue
		}
		p, err := activities.NewPointing(*r.RA, *r.Dec, nil)
		if err != nil {
			res.Warn(WarnNotInMAST)
			continue
		}
		a.Pointing = &p
		archive.SetPosition(&a.Target, p.RA, p.Dec)
		a.Filter = r.Filters
		if bp, err := activities.BandpassFromWavelength(activities.Wavelength(*r.EMMin)*activities.Nanometre,
			activities.Wavelength(*r.EMMax)*activities.Nanometre); err == nil && !math.IsInf(*r.EMMax, 0) {
			a.Bandpass = &bp
		}
	}
}
