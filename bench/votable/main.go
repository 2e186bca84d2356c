// Command votable-bench streams VOTable files with the arcsecond reader,
// decoding every cell of every row, and prints the row count and the time
// taken for each file. It is the arcsecond side of the comparison with
// STILTS and astropy run by run.sh (see README.md).
//
//	go run ./bench/votable FILE...
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/arcsecond-go/arcsecond/connectors/vo/votable"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: votable-bench FILE...")
		os.Exit(2)
	}
	if prof := os.Getenv("CPUPROFILE"); prof != "" {
		f, err := os.Create(prof)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	for _, p := range os.Args[1:] {
		start := time.Now()
		n, checksum, err := readAll(context.Background(), p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "votable-bench:", err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
		fmt.Printf("arcsecond %s rows=%d seconds=%.3f checksum=%.6g vmhwm_kib=%s\n", filepath.Base(p), n, time.Since(start).Seconds(), checksum, peakRSS())
	}
}

// readAll reads every table of a file and touches every cell through the
// typed accessors, so nothing is left undecoded.
func readAll(ctx context.Context, path string) (int64, float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r := votable.NewReader(f, votable.Options{Context: ctx, HrefDir: filepath.Dir(path)})
	var n int64
	var sum float64
	for {
		t, err := r.NextTable()
		if err != nil {
			break
		}
		for row, err := range r.Rows() {
			if err != nil {
				return n, sum, err
			}
			n++
			for i := range t.Fields {
				if v, ok := row.Float(i); ok {
					sum += v
				} else if b, ok := row.Bytes(i); ok {
					sum += float64(len(b))
				}
			}
		}
	}
	return n, sum, r.Close()
}

// peakRSS returns the process's peak resident set size (VmHWM) in KiB as
// the kernel reports it, or "?".
func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			return string(bytes.TrimSuffix(bytes.TrimSpace(v), []byte(" kB")))
		}
	}
	return "?"
}
