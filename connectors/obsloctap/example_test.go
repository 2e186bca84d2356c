package obsloctap_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/obsloctap"
)

// A recorded ivoa.obsplan reply: the planning log of one observation,
// scheduled and then performed.
func ExampleParseReply() {
	reply := "t_planning,obs_id,t_min,t_max,facility_name,instrument_name,execution_status,s_ra,s_dec\n" +
		"60857.5,29614,60860.5525463,,Chandra,ACIS-I,Scheduled,207.2196,26.5908\n" +
		"60861.0833333,29614,60860.5525463,60861.0411458,Chandra,ACIS-I,Performed,207.2196,26.5908\n"
	res, err := obsloctap.ParseReply([]byte(reply), &obsloctap.Converter{Source: "cxc"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, a := range res.Activities {
		fmt.Println(a.ID, a.Kind, a.Instrument, a.Start.Format("2006-01-02T15:04"), a.End.Format("15:04"))
	}
	fmt.Println(res.Skipped)
	// Output:
	// cxc:29614 completed ACIS-I 2025-07-04T13:15 00:59
	// map[superseded by a later row of the same observation:1]
}
