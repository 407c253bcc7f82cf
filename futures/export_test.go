package futures

// FinishSeq exposes a future's place in the finish order to the tests.
func FinishSeq(f *Future) uint64 { return f.finishSeq() }
