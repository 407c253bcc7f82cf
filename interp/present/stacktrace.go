package present

// StackTrace is the interpreted stack of a panic, ready to show.
type StackTrace struct {
	Frames      []string // "In[1]:2:14: deep", "in deep, declared at In[1]:1:6", ...
	Approximate bool     // some frames show a declaration, not a running line
}
