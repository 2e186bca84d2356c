package recorded_test

import (
	"fmt"
	"log"

	"github.com/arcsecond-go/arcsecond/connectors/recorded"
)

func Example() {
	root, err := recorded.RepoRoot()
	if err != nil {
		log.Fatal(err)
	}
	files, err := recorded.Files(root + "/connectors/hst/testdata/caom.json")
	if err != nil {
		log.Fatal(err)
	}
	rep, err := recorded.Load(files[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(files[0].Parser, rep.Records, "records,", len(rep.Activities), "HST activities")
	// Output: hst-mast 19 records, 4 HST activities
}
