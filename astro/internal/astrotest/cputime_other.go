//go:build !unix

package astrotest

func cpuNanos() int64 { return 0 }
