//go:build race

package interp

// raceEnabled tells tests that the race detector is on.
const raceEnabled = true
