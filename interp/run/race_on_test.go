//go:build race

package run

// raceEnabled tells tests that the race detector is on.
const raceEnabled = true
