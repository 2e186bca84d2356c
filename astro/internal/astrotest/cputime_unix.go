//go:build unix

package astrotest

import "syscall"

// cpuNanos returns the CPU time (user + system) the process has used. The
// benchmarks report it per operation next to wall time, because on a shared,
// loaded machine wall time mostly measures the other tenants.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
