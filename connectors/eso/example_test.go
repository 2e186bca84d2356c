package eso_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/eso"
)

func ExampleParseRaw() {
	body, err := os.ReadFile("testdata/query_main_sgra.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := eso.ParseRaw(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := res.Activities[0]
	fmt.Println(res.Records, len(res.Activities))
	fmt.Println(a.ID)
	fmt.Println(a.Observatory, "/", a.Facility, "/", a.Instrument, a.Mode, a.Filter)
	fmt.Println(a.Programme.ID, a.Programme.PI, a.Target.Name, *a.Exposure)
	// Output:
	// 23 23
	// eso:SINFO.2013-08-27T01:05:24.328
	// Cerro Paranal Observatory / VLT UT4 (Yepun) / SINFONI IR_SPECTROSCOPY H+K
	// 091.B-0088(B) GILLESSEN SGR A 300
}

func ExamplePlace() {
	p := eso.Place("ESO-VLT-U1", "FORS2")
	fmt.Println(p.Facility, "at", p.Observatory)
	// Output: VLT UT1 (Antu) at Cerro Paranal Observatory
}
