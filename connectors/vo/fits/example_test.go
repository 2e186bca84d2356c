package fits_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/vo/fits"
)

// Reading the pointing of the Fermi spacecraft from an FT2 file, row by
// row.
func Example() {
	f, err := os.Open("testdata/FERMI_POINTING_FINAL_875_2025065_2025072_00.fits")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	r := fits.NewReader(f, fits.Options{})
	for {
		h, err := r.NextHDU()
		if err != nil {
			fmt.Println(err)
			return
		}
		if h.Name == "SC_DATA" {
			break
		}
	}
	t := r.Table()
	start, ra, dec := t.ColumnIndex("START"), t.ColumnIndex("RA_SCZ"), t.ColumnIndex("DEC_SCZ")
	for n := 0; n < 3 && r.Next(); n++ {
		row := r.Row()
		s, _ := row.Float(start)
		a, _ := row.Float(ra)
		d, _ := row.Float(dec)
		fmt.Printf("MET %.0f s: z axis at RA %.3f, Dec %.3f\n", s, a, d)
	}
	// Output:
	// MET 762911940 s: z axis at RA 30.837, Dec -26.251
	// MET 762912000 s: z axis at RA 33.526, Dec 56.466
	// MET 762912060 s: z axis at RA 36.506, Dec 54.795
}
