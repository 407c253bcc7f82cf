package steps_test

import (
	"fmt"

	"github.com/golit/golit/steps"
)

// A later cell asks for the calibration; until the calibration cell has
// run, it fails with a message naming that cell.
func ExampleNeed() {
	steps.Forget()
	func() {
		defer func() { fmt.Println(recover()) }()
		steps.Need("calibration", "the cell under “Calibration”")
	}()
	steps.Done("calibration") // what the calibration cell does last
	steps.Need("calibration", "the cell under “Calibration”")
	fmt.Println("calibrated:", steps.Has("calibration"))
	// Output:
	// this cell needs "calibration", which has not run since the kernel started: run the cell under “Calibration” first
	// calibrated: true
}
