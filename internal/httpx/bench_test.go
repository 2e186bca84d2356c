package httpx

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGet compares a buffered GET through Client (retry loop, rate
// limiter with no limit, redaction set-up, resty, truncation check) with
// the peer: a bare net/http Client.Get + io.ReadAll, on a local
// httptest server, for a small JSON-sized and a large VOTable-sized body.
func BenchmarkGet(b *testing.B) {
	for _, size := range []int{1 << 10, 8 << 20} {
		body := bytes.Repeat([]byte("x"), size)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.Write(body)
		}))
		tr := &http.Transport{MaxIdleConnsPerHost: 4}
		ctx := context.Background()
		url := srv.URL + "/obs?token=abc&limit=10"

		b.Run(fmt.Sprintf("nethttp/%dKiB", size>>10), func(b *testing.B) {
			hc := &http.Client{Transport: tr}
			b.SetBytes(int64(size))
			for b.Loop() {
				resp, err := hc.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				got, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || len(got) != size {
					b.Fatal(err, len(got))
				}
			}
		})
		b.Run(fmt.Sprintf("httpx/%dKiB", size>>10), func(b *testing.B) {
			c := New(Options{Transport: tr, RatePerHost: -1})
			b.SetBytes(int64(size))
			for b.Loop() {
				resp, err := c.Get(ctx, url, nil)
				if err != nil || len(resp.Body) != size {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("httpx-stream/%dKiB", size>>10), func(b *testing.B) {
			c := New(Options{Transport: tr, RatePerHost: -1})
			b.SetBytes(int64(size))
			for b.Loop() {
				req, _ := http.NewRequest("GET", url, nil)
				resp, err := c.Stream(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || n != int64(size) {
					b.Fatal(err, n)
				}
			}
		})
		tr.CloseIdleConnections()
		srv.Close()
	}
}
