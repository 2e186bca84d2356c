//go:build !unix

package vsop87

func cpuNanos() int64 { return 0 }
