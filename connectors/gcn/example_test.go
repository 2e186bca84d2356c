package gcn_test

import (
	"fmt"
	"os"

	"github.com/arcsecond-go/arcsecond/connectors/gcn"
)

func ExampleDecode() {
	// A SWIFT_POINTDIR packet as GCN sends it over Kafka
	// (topic gcn.classic.binary.SWIFT_POINTDIR).
	b, err := os.ReadFile("testdata/classic/SWIFT_POINTDIR/example.bin")
	if err != nil {
		panic(err)
	}
	n, err := gcn.Decode("gcn.classic.binary.SWIFT_POINTDIR", b)
	if err != nil {
		panic(err)
	}
	a := n.Activities[0]
	fmt.Println(a.ID, a.Kind, a.Target.Name, *a.Target.RA, *a.Target.Dec)
	fmt.Println(a.Start.Format("2006-01-02T15:04:05Z"), a.Duration())

	// A JSON notice becomes an alert.
	n, err = gcn.Decode("gcn.notices.maxi.gsc.unknown", []byte(`{"mission":"MAXI","alert_type":"update",
		"trigger_time":"2023-02-20T08:56:01Z","id":"9995289617","event_name":"GRB 230220A",
		"ra":346.56,"dec":18.61,"ra_dec_error":1.5}`))
	if err != nil {
		panic(err)
	}
	al := n.Alerts[0]
	fmt.Println(al.ID, al.EventType, al.Localization, al.Localization.Contains(346.0, 18.0))
	// Output:
	// swift:00097317002 planned URAT1-687234652 213.1096 47.3553
	// 2024-05-09T23:16:00Z 6m0s
	// gcn:maxi.gsc.unknown:9995289617 x-ray transient circle(346.560, 18.610, r=1.5) true
}
