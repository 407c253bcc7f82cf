//go:build !unix

package timing

import "time"

// cpuTimes reports that CPU times are not available on this system.
func cpuTimes() (user, sys time.Duration, ok bool) { return 0, 0, false }
