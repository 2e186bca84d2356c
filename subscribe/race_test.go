//go:build race

package subscribe

func init() { raceEnabled = true }
