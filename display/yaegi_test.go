package display

import (
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// rendererWrapper plays the part of the wrapper type `yaegi extract`
// generates for the Renderer interface.
type rendererWrapper struct {
	IValue  any
	WRender func() Bundle
}

func (w rendererWrapper) Render() Bundle { return w.WRender() }

// Cells are interpreted by yaegi: a cell's own type with a Render method
// reaches compiled code as a Renderer only through a parameter of type
// Renderer. This test pins down that behaviour and the workaround.
func TestInterpretedRenderer(t *testing.T) {
	if testing.Short() {
		t.Skip("interpreter start-up")
	}
	r := withPublisher(t)
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	err := i.Use(interp.Exports{"github.com/golit/golit/display/display": {
		"Show": reflect.ValueOf(Show), "ShowRenderer": reflect.ValueOf(ShowRenderer),
		"DisplayRenderer": reflect.ValueOf(DisplayRenderer), "HTML": reflect.ValueOf((*HTML)(nil)),
		"Bundle": reflect.ValueOf((*Bundle)(nil)), "Renderer": reflect.ValueOf((*Renderer)(nil)),
		"_Renderer": reflect.ValueOf((*rendererWrapper)(nil)), "NewProgress": reflect.ValueOf(NewProgress),
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = i.Eval(`
import "github.com/golit/golit/display"

type Card struct{ Name string }

func (c Card) Render() display.Bundle {
	return display.Bundle{"text/html": "<b>" + c.Name + "</b>", "text/plain": c.Name}
}

func main() {
	display.Show(display.HTML("<i>x</i>"))
	display.ShowRenderer(Card{"card"})
	h := display.DisplayRenderer(Card{"v1"})
	h.UpdateRenderer(Card{"v2"})
	bar := display.NewProgress(3, "p")
	bar.Add(3)
	bar.Close()
}`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range r.snapshot() {
		if h, ok := c.b["text/html"].(string); ok && !strings.Contains(h, "flex") {
			got = append(got, c.kind+" "+h)
		} else {
			got = append(got, c.kind+" "+c.b["text/plain"].(string))
		}
	}
	want := "display <i>x</i>|display <b>card</b>|display <b>v1</b>|update <b>v2</b>|" +
		"display p:   0%|          | 0/3 [00:00<?, ?it/s]"
	if s := strings.Join(got, "|"); !strings.HasPrefix(s, want) || !strings.Contains(s, "p: 100%|██████████| 3/3") {
		t.Fatalf("got %q", s)
	}
}
