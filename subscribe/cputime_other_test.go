//go:build !linux

package subscribe

import "time"

// threadCPU falls back to the wall clock where no thread CPU clock is
// available.
func threadCPU() int64 { return time.Now().UnixNano() }
