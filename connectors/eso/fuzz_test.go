package eso

import (
	"os"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/internal/archive/archivetest"
)

// FuzzParseRaw: any reply gives valid activities with consistent counts,
// or an error, never a panic.
func FuzzParseRaw(f *testing.F) {
	if b, err := os.ReadFile("testdata/query_main_sgra.csv"); err == nil {
		f.Add(b[:min(len(b), 4000)])
	}
	f.Add([]byte("dp_id,exp_start,dp_cat,instrument,telescope,ra,dec,exposure\nX.1,2020-01-01T00:00:00Z,SCIENCE,MUSE,ESO-VLT-U4,10,-20,5\n"))
	f.Add([]byte("dp_id,exp_start,dp_cat,instrument\nX,2020-01-01,CALIB,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ParseRaw(b)
		archivetest.Check(t, res, err)
	})
}
