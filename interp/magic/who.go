package magic

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
)

// sortedVars returns env.Vars() sorted by name, keeping those whose type is
// one of types (all when types is empty).
func (r *runner) sortedVars(types []string) []Var {
	vars := r.env.Vars()
	sort.Slice(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name })
	if len(types) == 0 {
		return vars
	}
	var kept []Var
	for _, v := range vars {
		for _, t := range types {
			if v.Type == t {
				kept = append(kept, v)
				break
			}
		}
	}
	return kept
}

// whoMagic is %who [TYPE...]: the names of notebook variables, separated by
// tabs as IPython prints them.
func whoMagic(_ context.Context, r *runner, st Step) (any, error) {
	vars := r.sortedVars(strings.Fields(st.Args))
	if len(vars) == 0 {
		if st.Args != "" {
			r.out("No variables match your requested type.\n")
		} else {
			r.out("Interactive namespace is empty.\n")
		}
		return nil, nil
	}
	var b strings.Builder
	for _, v := range vars {
		b.WriteString(v.Name)
		b.WriteString("\t")
	}
	b.WriteString("\n")
	r.out("%s", b.String())
	return nil, nil
}

// whosMagic is %whos [TYPE...]: a table of name, type and value.
func whosMagic(_ context.Context, r *runner, st Step) (any, error) {
	vars := r.sortedVars(strings.Fields(st.Args))
	if len(vars) == 0 {
		if st.Args != "" {
			r.out("No variables match your requested type.\n")
		} else {
			r.out("Interactive namespace is empty.\n")
		}
		return nil, nil
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "Variable\tType\tData/Info")
	for _, v := range vars {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, v.Type, oneLine(v.Value, 60))
	}
	tw.Flush()
	lines := strings.SplitN(b.String(), "\n", 2)
	r.out("%s\n%s\n%s", strings.TrimRight(lines[0], " "), strings.Repeat("-", len(strings.TrimRight(lines[0], " "))+4), lines[1])
	return nil, nil
}

// oneLine shortens s to one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// resetMagic is %reset [-f]. Without -f it asks first, as IPython does.
func resetMagic(_ context.Context, r *runner, st Step) (any, error) {
	force := false
	for _, f := range strings.Fields(st.Args) {
		switch f {
		case "-f":
			force = true
		case "-s", "--aggressive":
			// IPython's variants; golit has one kind of reset.
		default:
			return nil, usageError("%%reset takes only -f, got %q", f)
		}
	}
	if !force {
		p, ok := r.env.(Prompter)
		if !ok {
			return nil, usageError("this frontend cannot ask for confirmation: use %%reset -f")
		}
		ans, err := p.Input("Once deleted, variables cannot be recovered. Proceed (y/[n])? ")
		if err != nil {
			return nil, usageError("cannot ask for confirmation (%v): use %%reset -f", err)
		}
		if a := strings.ToLower(strings.TrimSpace(ans)); a != "y" && a != "yes" {
			r.out("Nothing done.\n")
			return nil, nil
		}
	}
	return nil, r.env.Reset()
}
