package sqlitedb_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/arcsecond-go/arcsecond/sqlitedb"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "sqlitedb")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlitedb.Open(filepath.Join(dir, "node.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close() // whoever opens the database closes it
	var sync int
	if err := db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
		panic(err)
	}
	fmt.Println("synchronous:", sync)
	// Output: synchronous: 2
}
