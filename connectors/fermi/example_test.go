package fermi_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/fermi"
)

func ExampleParse() {
	b, err := os.ReadFile("testdata/FERMI_POINTING_FINAL_875_2025065_2025072_00.fits")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := fermi.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[1]
	fmt.Println(a.ID, a.Kind, a.Fidelity, a.Start.Format("2006-01-02T15:04:05Z"), *a.Exposure)
	fmt.Printf("z axis (%.3f, %.3f), roll %.1f, %d footprint vertices\n", a.Pointing.RA, a.Pointing.Dec, *a.Pointing.Roll, len(a.Footprints[0].Polygon))
	// Output:
	// fermi-lat:762912000 planned high 2025-03-05T23:59:55Z 60
	// z axis (33.526, 56.466), roll 229.3, 24 footprint vertices
}

func ExampleFileName() {
	fmt.Println(fermi.FileName("PRELIM", 878, 0))
	// Output: FERMI_POINTING_PRELIM_878_2025086_2025093_00.fits
}
