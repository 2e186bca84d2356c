package subscribe_test

import (
	"fmt"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/subscribe"
)

// A server matching a live feed finds the hits under the matcher's lock
// and computes their reasons afterwards, when it delivers them.
func ExampleMatcher_AppendHits() {
	m := subscribe.NewMatcher()
	for _, js := range []string{
		`{"id": "every-hst", "criteria": {"facilities": ["HST"]}}`,
		`{"id": "also-hst", "criteria": {"facilities": ["HST"]}}`,
		`{"id": "hst-m31", "criteria": {"facilities": ["HST"], "regions": [{"ra": 10.68, "dec": 41.27, "radius": 1}]}}`,
		`{"id": "eso-109", "criteria": {"programmes": ["109.*"]}}`,
	} {
		s, err := subscribe.ParseSubscription([]byte(js))
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := m.Add(s); err != nil {
			fmt.Println(err)
			return
		}
	}
	a := activities.Activity{ID: "hst:1", Source: "hst", Kind: activities.KindStarted, Facility: "HST",
		Instrument: "WFC3/UVIS", Programme: activities.Programme{ID: "GO-17001"}}
	a.Target.SetPosition(10.7, 41.3)
	hits := m.AppendHits(nil, &a)
	fmt.Println(len(hits), "hits")
	for _, match := range subscribe.AppendMatches(nil, &a, hits) {
		if match.Subscription.ID == "hst-m31" {
			for _, r := range match.Reasons {
				fmt.Println(r.Criterion, r.Text())
			}
		}
	}
	// Output:
	// 3 hits
	// facility HST
	// region cone(10.68, 41.27, 1)
}
