package subscribe_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

func ExampleMatcher() {
	m := subscribe.NewMatcher()
	s, err := subscribe.ParseSubscription([]byte(`{"id": "muse-ngc1068",
		"criteria": {"instruments": ["MUSE"], "regions": [{"ra": 40.67, "dec": -0.01, "radius": 0.05}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Add(s); err != nil {
		fmt.Println(err)
		return
	}
	a := activities.Activity{ID: "eso:1", Source: "eso", Kind: activities.KindStarted,
		Facility: "VLT UT4", Instrument: "MUSE", Target: activities.Target{Name: "NGC 1068", FOVRadius: 0.008}}
	a.Target.SetPosition(40.6696, -0.0133)
	for _, match := range m.Match(&a) {
		fmt.Println(match.Subscription.ID)
		for _, r := range match.Reasons {
			if r.DistanceDeg != nil {
				fmt.Printf("  %s %s at %.4f°\n", r.Criterion, r.Text(), *r.DistanceDeg)
			} else {
				fmt.Printf("  %s %s\n", r.Criterion, r.Text())
			}
		}
	}
	// Output:
	// muse-ngc1068
	//   instrument MUSE
	//   region cone(40.67, -0.01, 0.05) at 0.0033°
}

func ExampleParseSubscription_error() {
	_, err := subscribe.ParseSubscription([]byte(`{"id": "x", "criteria": {"regions": [{"ra": 10, "dec": -95, "radius": 0}]}}`))
	fmt.Println(err)
	// Output:
	// subscription "x": criteria.regions[0].dec: -95 is outside [-90, 90]
	// criteria.regions[0].radius: 0 must be > 0 (degrees)
}

func ExampleVerify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"type":"activity.matched"}`)
	now := time.Unix(1_800_000_000, 0)
	sig, _ := subscribe.Sign("msg_1", now, body, secret)
	h := http.Header{}
	h.Set(subscribe.HeaderID, "msg_1")
	h.Set(subscribe.HeaderTimestamp, "1800000000")
	h.Set(subscribe.HeaderSignature, sig)
	fmt.Println(subscribe.Verify(h, body, now, 5*time.Minute, secret))
	// Output: <nil>
}
