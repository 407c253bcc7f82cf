// Package present is the last stage of a cell's way through golit's
// interpreter: it turns what a run produced into what a notebook shows.
// FormatValue writes a result as the text/plain form of Out[n], and
// CompiledForms and ResultText give its rich MIME forms (RichMethods lists
// the display methods the run stage calls on values of notebook types);
// CompileError and PanicError turn yaegi's and go/parser's errors and a
// panic's interpreted stack (StackTrace) into Jupyter errors whose
// positions are In[n]:line:column of the cell, with the offending line
// quoted; the signals (ExitSignal, GoexitSignal, InterruptSignal) are the
// ways a run can end early, named once for both stages.
//
// It knows yaegi only as the source of the values and errors it renders
// (yaegi.Panic, interpreted interface wrappers); it never runs code.
package present
