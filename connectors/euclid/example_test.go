package euclid_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/euclid"
)

func ExampleParse() {
	b, err := os.ReadFile("testdata/pointing_file_excerpt.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := euclid.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Activities {
		fmt.Println(a.ID, a.Mode, a.Bandpass, len(a.Footprints[0].Polygon), "corners")
	}
	// Output:
	// euclid:1-1-0-VIS imaging 550 nm – 990 nm 4 corners
	// euclid:1-1-0-NISP grism RED 1.25 µm – 1.85 µm 4 corners
}
