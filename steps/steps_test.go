package steps_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/golit/golit/steps"
)

func TestNeedNamesTheCellUntilDone(t *testing.T) {
	steps.Forget()
	need := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = p.(error)
			}
		}()
		steps.Need("calibration", "the cell under “Calibration”")
		return nil
	}
	err := need()
	var missing *steps.MissingError
	if !errors.As(err, &missing) || missing.Name != "calibration" ||
		!strings.Contains(err.Error(), "run the cell under “Calibration” first") {
		t.Fatalf("before Done: %v", err)
	}
	steps.Done("calibration")
	if err := need(); err != nil || !steps.Has("calibration") {
		t.Fatalf("after Done: %v", err)
	}
	steps.Forget("calibration")
	if need() == nil {
		t.Fatal("Forget did not forget")
	}
}
