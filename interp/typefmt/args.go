package typefmt

import (
	"fmt"
	"go/ast"
	"reflect"
	"strings"
)

// operand is an argument of a fmt function that prints a notebook value:
// a fmt.Formatter that prints it as a compiled program would.
type operand struct {
	r  *Registry
	v  reflect.Value
	st ast.Expr // declared type, when the source gave it (see Typed)
}

// Format implements fmt.Formatter.
func (o operand) Format(f fmt.State, verb rune) {
	var spec strings.Builder
	spec.WriteByte('%')
	for _, c := range "+-# 0" {
		if f.Flag(int(c)) {
			spec.WriteRune(c)
		}
	}
	if w, ok := f.Width(); ok {
		fmt.Fprintf(&spec, "%d", w)
	}
	if pr, ok := f.Precision(); ok {
		fmt.Fprintf(&spec, ".%d", pr)
	}
	spec.WriteRune(verb)
	p := &printer{r: o.r, w: f, spec: spec.String(), verb: verb,
		plus: verb == 'v' && f.Flag('+'), sharp: verb == 'v' && f.Flag('#')}
	p.value(o.v, 0, true, o.st)
}

// Printer returns x as an operand for fmt's functions that prints as a
// compiled program would (x itself when fmt prints it right).
func (r *Registry) Printer(x any) any {
	if t, ok := x.(typed); ok {
		v, st := unTyped(t)
		return operand{r: r, v: reflect.ValueOf(v), st: st}
	}
	if !r.Needs(x) {
		return x
	}
	return operand{r: r, v: reflect.ValueOf(x)}
}

// Args returns the operands of Print, Println and their kin with the
// notebook's values wrapped by Printer.
func (r *Registry) Args(a []any) []any {
	var out []any
	for i, x := range a {
		y := r.Printer(x)
		if v, st := unTyped(x); st != nil && r.plainTyped(v, st) {
			y = v // printed as fmt prints it; keeps Print's spacing
		}
		if _, changed := x.(typed); changed && out == nil {
			out = append(make([]any, 0, len(a)), a[:i]...)
		}
		if out == nil {
			if _, changed := y.(operand); !changed {
				continue
			}
			out = append(make([]any, 0, len(a)), a[:i]...)
		}
		out = append(out, y)
	}
	if out == nil {
		return a
	}
	return out
}

// TypeName returns what %T prints for x in a compiled program.
func (r *Registry) TypeName(x any) string {
	x, st := unTyped(x)
	if st != nil && x != nil {
		if s := r.staticString(st, reflect.TypeOf(x)); s != "" {
			return s
		}
	}
	v, w := unwrapYaegi(reflect.ValueOf(x))
	if !v.IsValid() {
		return "<nil>"
	}
	if w != nil && !trusted(r, v) {
		return fmt.Sprintf("%T", x)
	}
	return r.TypeString(v.Type())
}

// Printf returns a format and operands for Printf and its kin: %T of a
// notebook value becomes %s of its Go name, the other operands are wrapped
// by Printer, except those of %w (which must stay errors for Errorf) and
// %p. An operand printed both with %T and another verb (through explicit
// argument indexes) keeps fmt's %T.
func (r *Registry) Printf(format string, a []any) (string, []any) {
	need := false
	for _, x := range a {
		if _, ok := x.(typed); ok || r.Needs(x) {
			need = true
			break
		}
	}
	if !need {
		return format, a
	}
	verbs := scan(format, len(a))
	var out []any
	fb := []byte(nil)
	set := func(i int, x any) {
		if out == nil {
			out = append([]any(nil), a...)
		}
		out[i] = x
	}
	for i, x := range a {
		vs := verbs[i]
		onlyT := len(vs) > 0
		for _, d := range vs {
			onlyT = onlyT && d.verb == 'T'
		}
		raw, _ := unTyped(x)
		_, isTyped := x.(typed)
		if onlyT {
			if name := r.TypeName(x); raw != nil && name != fmt.Sprintf("%T", raw) {
				if fb == nil {
					fb = []byte(format)
				}
				for _, d := range vs {
					fb[d.pos] = 's'
				}
				set(i, name)
			} else if isTyped {
				set(i, raw)
			}
			continue
		}
		wrap := true
		for _, d := range vs {
			if d.verb == 'w' || d.verb == 'p' || d.verb == 'T' {
				wrap = false
			}
		}
		if !wrap {
			if isTyped {
				set(i, raw)
			}
			continue
		}
		if y, ok := r.Printer(x).(operand); ok {
			set(i, y)
		}
	}
	if fb != nil {
		format = string(fb)
	}
	if out == nil {
		return format, a
	}
	return format, out
}

// directive is one verb of a format: the byte offset of the verb.
type directive struct {
	verb rune
	pos  int
}

// scan finds, for each of n operands, the verbs that print it.
func scan(format string, n int) (verbs [][]directive) {
	verbs = make([][]directive, n)
	arg := 0
	use := func(d directive) {
		if arg >= 0 && arg < n {
			verbs[arg] = append(verbs[arg], d)
		}
		arg++
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
	flags:
		for ; i < len(format); i++ {
			switch format[i] {
			case '+', '-', '#', ' ', '0':
			default:
				break flags
			}
		}
		index := func() {
			if i < len(format) && format[i] == '[' {
				j := strings.IndexByte(format[i:], ']')
				if j < 0 {
					return
				}
				k := 0
				for _, c := range format[i+1 : i+j] {
					if c < '0' || c > '9' {
						k = -1
						break
					}
					k = k*10 + int(c-'0')
				}
				if k > 0 {
					arg = k - 1
				}
				i += j + 1
			}
		}
		number := func() {
			index()
			if i < len(format) && format[i] == '*' {
				use(directive{verb: '*', pos: i})
				i++
				return
			}
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
		}
		number()
		if i < len(format) && format[i] == '.' {
			i++
			number()
		}
		index()
		if i >= len(format) {
			break
		}
		if format[i] == '%' {
			continue
		}
		c := rune(format[i])
		if c >= 0x80 {
			c = 'v' // a verb of more than one byte (invalid: fmt says so)
		}
		use(directive{verb: c, pos: i})
	}
	return verbs
}
