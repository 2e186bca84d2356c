package catalogs_test

import (
	"fmt"

	"github.com/arcsecond-go/arcsecond/catalogs"
)

func ExampleSiteByName() {
	s, err := catalogs.SiteByName("VLT")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s (MPC %s): %.3f %.3f %.0f m %s\n", s.Name, s.MPCCode, s.Longitude, s.Latitude, s.Height, s.TimeZone)
	// Output: Cerro Paranal Observatory (MPC 309): -70.403 -24.626 2635 m America/Santiago
}

func ExampleStarCatalog_Nearest() {
	std, err := catalogs.Standards()
	if err != nil {
		panic(err)
	}
	// Landolt standards nearest to T Phe A (00 30 09.5 -46 31 29).
	near, err := std.Nearest(7.5396, -46.5247, 3, catalogs.Filter{Catalogues: []string{"Landolt_1992"}})
	if err != nil {
		panic(err)
	}
	for _, m := range near {
		v, _ := m.Mag("V")
		fmt.Printf("%-8s V=%.3f %.4f deg\n", m.Name, v.Value, m.Separation)
	}
	// Output:
	// T Phe A  V=14.651 0.0000 deg
	// T Phe D  V=13.118 0.0253 deg
	// T Phe C  V=14.376 0.0261 deg
}

func ExampleInstrument() {
	in, err := catalogs.Instrument("HST", "wfc3_uvis")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s on %s, FoV radius %.4f deg\n", in.Name, in.Facility, in.FOVRadiusDeg)
	// Output: WFC3/UVIS on HST, FoV radius 0.0318 deg
}

func ExampleNormalizeName() {
	fmt.Println(catalogs.NormalizeName("M 31"), catalogs.NormalizeName("Messier 31"), catalogs.NormalizeName("Cerro Pachón"))
	// Output: m31 m31 cerropachon
}
