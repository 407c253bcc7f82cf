package run

import (
	"sort"

	"github.com/golit/golit/interp/parse"
)

// declStore holds the notebook's current declarations.
type declStore struct {
	byKey  map[string]*parse.Declaration
	byName map[string]*parse.Declaration // declared name -> entry (methods excluded)
	// methods indexes the method entries by method name, then key, so
	// that what looks for the notebook's String or MarshalJSON methods
	// after every cell does not go through every declaration.
	methods map[string]map[string]*parse.Declaration
	seq     int

	// Entries (by key) and variables (by name) whose parts of the
	// declarations may have changed since DeclarationChanges last ran.
	changedKeys  map[string]bool
	changedNames map[string]bool
	// The parts DeclarationChanges reported, nil before the first call;
	// entry key -> key of its part.
	reported        map[string]string
	entryPart       map[string]string
	reportedImports map[string]string
}

func newDeclStore() *declStore {
	return &declStore{byKey: map[string]*parse.Declaration{}, byName: map[string]*parse.Declaration{},
		methods:     map[string]map[string]*parse.Declaration{},
		changedKeys: map[string]bool{}, changedNames: map[string]bool{}}
}

// touch records that d (its key and names) changed.
func (s *declStore) touch(d *parse.Declaration) {
	s.changedKeys[d.Key] = true
	for _, n := range d.Names {
		s.changedNames[n] = true
	}
}

// touchName records that the variable name changed (defined by a
// statement, or its cell changed).
func (s *declStore) touchName(name string) { s.changedNames[name] = true }

// add records d, replacing what declared the same key or names before.
func (s *declStore) add(d *parse.Declaration) {
	s.seq++
	d.Seq = s.seq
	s.touch(d)
	if old := s.byKey[d.Key]; old != nil {
		s.remove(old)
	}
	if d.Kind != parse.MethodDecl {
		for _, n := range d.Names {
			if old := s.byName[n]; old != nil {
				s.dropName(old, n)
			}
			s.byName[n] = d
		}
	}
	s.byKey[d.Key] = d
	if d.Kind == parse.MethodDecl && len(d.Names) == 1 {
		m := s.methods[d.Names[0]]
		if m == nil {
			m = map[string]*parse.Declaration{}
			s.methods[d.Names[0]] = m
		}
		m[d.Key] = d
	}
}

// methodsNamed returns the notebook's methods called name (of any type),
// keyed by entry key. The map must not be modified.
func (s *declStore) methodsNamed(name string) map[string]*parse.Declaration {
	return s.methods[name]
}

// dropName removes name from old; an entry left without names goes away.
func (s *declStore) dropName(old *parse.Declaration, name string) {
	s.touch(old)
	var keep []string
	for _, n := range old.Names {
		if n != name {
			keep = append(keep, n)
		}
	}
	old.Names = keep
	delete(s.byName, name)
	if len(keep) == 0 {
		delete(s.byKey, old.Key)
	}
}

func (s *declStore) remove(d *parse.Declaration) {
	s.touch(d)
	delete(s.byKey, d.Key)
	if d.Kind == parse.MethodDecl && len(d.Names) == 1 {
		if m := s.methods[d.Names[0]]; m[d.Key] == d {
			delete(m, d.Key)
			if len(m) == 0 {
				delete(s.methods, d.Names[0])
			}
		}
	}
	if d.Kind != parse.MethodDecl {
		for _, n := range d.Names {
			if s.byName[n] == d {
				delete(s.byName, n)
			}
		}
	}
}

// forgetName removes name, declared again by a statement (x := ...).
func (s *declStore) forgetName(name string) {
	if old := s.byName[name]; old != nil && old.Kind != parse.MethodDecl {
		s.dropName(old, name)
	}
}

// sorted returns the entries in definition order.
func (s *declStore) sorted() []*parse.Declaration {
	out := make([]*parse.Declaration, 0, len(s.byKey))
	for _, d := range s.byKey {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// dependents returns, in definition order, the functions, methods and types
// that must be compiled again because they mention a name in changed
// (transitively), or are methods of a type in changedTypes. Entries in skip
// (just compiled) are left out.
func (s *declStore) dependents(changed map[string]bool, changedTypes map[string]bool, skip map[*parse.Declaration]bool) []*parse.Declaration {
	todo := map[string]bool{}
	for n := range changed {
		todo[n] = true
	}
	picked := map[*parse.Declaration]bool{}
	for {
		grew := false
		for _, d := range s.byKey {
			if picked[d] || skip[d] || d.Kind == parse.VarDecl || d.Kind == parse.ConstDecl {
				continue
			}
			hit := d.Kind == parse.MethodDecl && changedTypes[d.Recv]
			if !hit {
				for r := range d.Refs {
					if todo[r] {
						hit = true
						break
					}
				}
			}
			if hit {
				picked[d] = true
				grew = true
				for _, n := range d.Names {
					todo[n] = true
				}
				if d.Kind == parse.TypeDecl {
					for _, n := range d.Names {
						changedTypes[n] = true
					}
				}
			}
		}
		if !grew {
			break
		}
	}
	var out []*parse.Declaration
	for d := range picked {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}
