//go:build linux

package subscribe

import "golang.org/x/sys/unix"

// threadCPU is the calling thread's CPU time in nanoseconds (lock the
// goroutine to its thread around a measurement): time the thread was
// descheduled by other processes on a shared machine does not count.
func threadCPU() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return ts.Nano()
}
