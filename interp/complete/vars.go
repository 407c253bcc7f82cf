package complete

import (
	"go/constant"
	"sort"
	"strings"

	"github.com/golit/golit/interp/magic"
)

// HiddenPrefix starts the names of variables the engine keeps for itself
// in the interpreter's global scope; completion and Vars leave them out.
const HiddenPrefix = "_golit"

// Vars lists the notebook's variables for the %who and %whos magics
// (magic.Env.Vars): name, Go type as the notebook declared it (Point, not
// yaegi's unnamed struct), and a short rendering of the value, sorted by
// name. Constants and hidden names are left out.
func (c *Completer) Vars() []magic.Var {
	r := c.resolver("")
	var out []magic.Var
	for name, v := range r.globals {
		if strings.HasPrefix(name, HiddenPrefix) || name == "_" {
			continue
		}
		if v.IsValid() && v.CanInterface() {
			if _, ok := v.Interface().(constant.Value); ok {
				continue
			}
		}
		if d := r.nb.names[name]; d != nil && d.kind == kindConst {
			continue
		}
		out = append(out, magic.Var{
			Name:  name,
			Type:  typeString(r.named(r.globalType(name))),
			Value: strings.TrimPrefix(valueString(v), "value: "),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
