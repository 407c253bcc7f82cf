package pool

import (
	"fmt"
	"math"
)

// NoLimit, passed as a limit, lets every task run at once.
const NoLimit = math.MaxInt

// checkLimit rejects a limit below 1. With a limit of 0 no task could ever
// start (errgroup's SetLimit(0) blocks every Go forever); in a notebook that
// looks like a hang, not a mistake, so the helpers say so instead.
func checkLimit(limit int) error {
	if limit < 1 {
		return fmt.Errorf("pool: a limit of %d tasks at once lets no task run: pass at least 1 (pool.NoLimit for no limit)", limit)
	}
	return nil
}
