package obsloctap

import (
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

func FuzzParseReply(f *testing.F) {
	f.Add(archivetest.Read(f, rubinReply))
	f.Add(archivetest.Read(f, "../../testdata/dachs/obsplan.csv"))
	f.Add(recordedVOTable(f))
	f.Add([]byte("t_planning,obs_id,t_min,t_max,facility_name,execution_status,s_region\n60000,a,60000,60001,X,Scheduled,POLYGON 1 2 3 4 5 6\n"))
	f.Add([]byte(`[{"t_planning":1e308,"obs_id":"a","t_min":-1,"facility_name":"X","execution_status":"Aborted","s_region":[1,2,3,4,5,95]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, k := range []Key{KeyObsID, KeyObsIDStart} {
			res, err := ParseReply(b, &Converter{Source: "fz", Key: k})
			if err == nil {
				// Collapsed rows are counted skips: every record is accounted for.
				archivetest.Check(t, res, err)
			}
		}
	})
}
