//go:build !unix

package elpmpp02

func cpuNanos() int64 { return 0 }
