package eso

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/arcsecond-go/arcsecond/catalogs"
	"github.com/arcsecond-go/arcsecond/connectors/internal/archive"
)

//go:embed mapping.json
var mappingJSON []byte

type telescopeInfo struct {
	Facility string `json:"facility"`
	SiteID   string `json:"site_id"`
}

type mappingData struct {
	Telescopes map[string]telescopeInfo `json:"telescopes"`
	Prefixes   map[string]telescopeInfo `json:"telescope_prefixes"`
	DPCat      map[string]string        `json:"dp_cat"`
}

var mapping = mustMapping()

func mustMapping() *mappingData {
	var m mappingData
	if err := json.Unmarshal(mappingJSON, &m); err != nil {
		panic(fmt.Sprintf("eso: embedded mapping.json: %v", err))
	}
	return &m
}

var siteNames sync.Map // site ID -> name

func siteName(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := siteNames.Load(id); ok {
		return v.(string)
	}
	name := ""
	if cat, err := catalogs.DefaultSites(); err == nil {
		if s, err := cat.ByID(id); err == nil {
			name = s.Name
		}
	}
	siteNames.Store(id, name)
	return name
}

// Placement is where an ESO frame was taken.
type Placement struct {
	Observatory string  // site name from the catalogs ("Cerro Paranal Observatory")
	Facility    string  // telescope ("VLT UT4 (Yepun)")
	FOVRadius   float64 // instrument field-of-view radius in degrees, 0 if unknown
	// KnownTelescope and KnownInstrument say whether the codes were found
	// in mapping.json and catalogs.Instrument.
	KnownTelescope, KnownInstrument bool
}

// Place maps an ESO telescope code ("ESO-VLT-U4") and instrument name
// ("SINFONI") to facility, site and field of view. The archive's telescope
// code wins over the instrument table (instruments move between
// telescopes); the instrument table fills in when the code is empty or
// unknown. An unknown code is kept as the facility name.
func Place(telescope, instrument string) Placement {
	key := telescope + "\x00" + instrument
	if v, ok := places.Load(key); ok {
		return v.(Placement)
	}
	p := place(telescope, instrument)
	places.Store(key, p)
	return p
}

var places sync.Map // telescope + "\x00" + instrument -> Placement

func place(telescope, instrument string) Placement {
	var p Placement
	tel := strings.TrimSpace(telescope)
	if ti, ok := mapping.Telescopes[tel]; ok {
		p.Facility, p.Observatory, p.KnownTelescope = ti.Facility, siteName(ti.SiteID), true
	} else {
		for pre, ti := range mapping.Prefixes {
			if strings.HasPrefix(tel, pre) {
				p.Facility, p.Observatory, p.KnownTelescope = ti.Facility, siteName(ti.SiteID), true
				break
			}
		}
	}
	if instrument != "" {
		if in, err := catalogs.Instrument("ESO", instrument); err == nil {
			p.KnownInstrument = true
			if p.Facility == "" {
				p.Facility = in.Facility
			}
			if p.Observatory == "" {
				p.Observatory = siteName(in.SiteID)
			}
		}
		p.FOVRadius, _ = archive.CatalogFOV("ESO", instrument)
	}
	if p.Facility == "" {
		p.Facility = tel
	}
	return p
}
