// Package loadavg reads the system's load averages, which the project's
// benchmarks and timing logs print beside their figures (a figure measured
// on a loaded machine says so).
package loadavg

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Read returns the 1-, 5- and 15-minute load averages from /proc/loadavg.
func Read() ([3]float64, error) {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l, err
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return l, fmt.Errorf("loadavg: /proc/loadavg holds %q", b)
	}
	for i := range l {
		if l[i], err = strconv.ParseFloat(f[i], 64); err != nil {
			return l, fmt.Errorf("loadavg: /proc/loadavg: %w", err)
		}
	}
	return l, nil
}

// String is the three load averages as /proc/loadavg prints them
// ("0.55 1.52 2.81"), or "unknown" where they cannot be read.
func String() string {
	l, err := Read()
	if err != nil {
		return "unknown"
	}
	return strconv.FormatFloat(l[0], 'f', 2, 64) + " " + strconv.FormatFloat(l[1], 'f', 2, 64) + " " + strconv.FormatFloat(l[2], 'f', 2, 64)
}
