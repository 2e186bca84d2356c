package connectors_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/arcsecond-go/arcsecond/activities"
	"github.com/arcsecond-go/arcsecond/connectors"
)

// A listing's counts go to the Stats its context carries, and its error,
// whatever the connector, matches one of the shared kinds.
func Example() {
	src := activities.FromSlice("demo", nil)
	var st connectors.Stats
	ctx := connectors.WithStats(context.Background(), &st)
	for _, err := range src.Activities(ctx, activities.Window{}) {
		switch {
		case errors.Is(err, connectors.ErrTruncated):
			fmt.Println("narrow the window")
		case errors.Is(err, connectors.ErrAuthRequired), errors.Is(err, connectors.ErrAuthExpired):
			fmt.Println("set the credentials:", connectors.Env("demo"))
		case err != nil:
			fmt.Println("failed:", err)
		}
	}
	fmt.Printf("%d records, counts %q\n", st.Records(), st.String())
	// Output: 0 records, counts ""
}

// An unknown setting is refused, naming it.
func ExampleOpen() {
	registerNop()
	_, err := connectors.Open("test-nop", connectors.Config{Settings: map[string]string{"clas": "science"}})
	fmt.Println(err)
	// Output: connectors: opening test-nop: unknown setting "clas" (known: class, instrument): invalid request
}
