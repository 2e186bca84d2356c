package tap

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

// benchVOTable builds an ObsCore-like result of n rows.
func benchVOTable(b *testing.B, n int, format votable.Format) []byte {
	b.Helper()
	fields := []votable.Field{
		{Name: "obs_id", Datatype: "char", Arraysize: "*"},
		{Name: "facility_name", Datatype: "char", Arraysize: "*"},
		{Name: "s_ra", Datatype: "double", Unit: "deg"},
		{Name: "s_dec", Datatype: "double", Unit: "deg"},
		{Name: "t_min", Datatype: "double", Unit: "d"},
		{Name: "t_exptime", Datatype: "double", Unit: "s"},
		{Name: "calib_level", Datatype: "short"},
		{Name: "access_estsize", Datatype: "long"},
	}
	var buf bytes.Buffer
	w, err := votable.NewWriter(&buf, &votable.Table{Name: "result", Fields: fields}, votable.WriterOptions{Format: format})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := w.WriteRow(fmt.Sprintf("obs%08d", i), "ESO-VLT-U4", float64(i%360)+0.123456, float64(i%180)-90.5, 58119.0+float64(i)/100, 1200.0, int16(i%4), int64(i)*7); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(votable.Info{Name: "QUERY_STATUS", Value: "OVERFLOW"}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkSyncResult measures a sync query end to end through a local
// HTTP server: request, response streaming and decoding every cell.
func BenchmarkSyncResult(b *testing.B) {
	for _, format := range []votable.Format{votable.FormatTabledata, votable.FormatBinary2} {
		const n = 100000
		doc := benchVOTable(b, n, format)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-votable+xml")
			w.Write(doc)
		}))
		c, _ := NewClient(srv.URL)
		b.Run(string(format), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.Sync(context.Background(), Query{ADQL: "SELECT * FROM ivoa.obscore"})
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				var sum float64
				for row, err := range res.Rows() {
					if err != nil {
						b.Fatal(err)
					}
					v, _ := row.Float(2)
					sum += v
					rows++
				}
				if rows != n || !res.Overflow() {
					b.Fatalf("rows %d overflow %v", rows, res.Overflow())
				}
				res.Close()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		srv.Close()
	}
}
