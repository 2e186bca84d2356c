//go:build race

package arcsecond

const raceEnabled = true
