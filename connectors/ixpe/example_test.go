package ixpe_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/ixpe"
)

func ExampleParse() {
	b, err := os.ReadFile("testdata/ltp_2025-06-17.html")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := ixpe.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[5]
	fmt.Println(a.ID, a.Programme.Type, a.Start.Format("2006-01-02T15"), a.End.Format("2006-01-02T15"))
	// Output:
	// ixpe:0000_D_0_Cyg_X-2_2025-05-28T12 DDT 2025-05-28T12 2025-05-30T12
}
