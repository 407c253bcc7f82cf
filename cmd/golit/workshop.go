package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/golit/golit"
	"github.com/golit/golit/internal/atomicfile"
)

// defaultWorkshopDir is where `golit workshop` writes without a DIR.
const defaultWorkshopDir = "golit-workshop"

// manifestName is the file in a workshop folder that records what golit
// wrote there (a SHA-256 per file), so that a later run can tell an
// attendee's edited copy from a file golit wrote and nobody touched.
const manifestName = ".golit-workshop.json"

// manifest is the content of manifestName.
type manifest struct {
	Golit string            `json:"golit"`
	Files map[string]string `json:"files"` // slash path -> hex SHA-256 of what golit wrote
}

// workshopFile is one file of the embedded workshop.
type workshopFile struct {
	name string // slash path relative to the workshop folder
	data []byte
	sum  string
}

// runWorkshop is `golit workshop [--force] [--lab] [DIR] [-- LAB ARGS]`.
func runWorkshop(args []string, stdout, stderr io.Writer) int {
	var labArgs []string
	for i, a := range args {
		if a == "--" {
			args, labArgs = args[:i], args[i+1:]
			break
		}
	}
	fset := flag.NewFlagSet("golit workshop", flag.ContinueOnError)
	fset.SetOutput(stderr)
	force := fset.Bool("force", false, "replace files you changed with the original ones")
	lab := fset.Bool("lab", false, "open the notebooks in JupyterLab afterwards")
	fset.Usage = func() {
		fmt.Fprint(stderr, "Usage: golit workshop [--force] [--lab] [DIR] [-- JUPYTERLAB ARGS]\n"+
			"  writes the workshop notebooks and their data into DIR (default ./"+defaultWorkshopDir+")\n")
		fset.PrintDefaults()
	}
	// Flags may come before or after DIR.
	var pos []string
	for {
		if err := fset.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fset.NArg() == 0 {
			break
		}
		pos = append(pos, fset.Arg(0))
		args = fset.Args()[1:]
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "golit workshop: one folder only, got %q\n", pos)
		return 2
	}
	if len(labArgs) > 0 && !*lab {
		fmt.Fprintln(stderr, "golit workshop: arguments after -- are for JupyterLab and need --lab")
		return 2
	}
	dir := defaultWorkshopDir
	if len(pos) == 1 {
		dir = pos[0]
	}
	if dir == "" {
		fmt.Fprintln(stderr, "golit workshop: the folder name is empty")
		return 2
	}

	files, err := workshopFiles()
	if err != nil {
		fmt.Fprintln(stderr, "golit workshop: reading the embedded workshop:", err)
		return 1
	}
	if err := writeWorkshop(dir, files, *force, stdout); err != nil {
		fmt.Fprintln(stderr, "golit workshop:", err)
		return 1
	}
	if *lab {
		return openLab(dir, labArgs, stdout, stderr)
	}
	fmt.Fprintf(stdout, "Open them with: golit workshop --lab %s   (or: cd %s && jupyter lab)\n", shellQuote(dir), shellQuote(dir))
	return 0
}

// workshopFiles returns the embedded workshop, sorted by name.
func workshopFiles() ([]workshopFile, error) {
	var files []workshopFile
	err := fs.WalkDir(golit.Workshop, golit.WorkshopRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := golit.Workshop.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, golit.WorkshopRoot+"/")
		if name == "workshop-README.md" {
			name = "README.md"
		}
		if strings.HasSuffix(name, ".ipynb") {
			if data, err = unpaired(data); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		files = append(files, workshopFile{name: name, data: data, sum: sha(data)})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, err
}

// unpaired returns a notebook without its jupytext pairing
// (metadata.jupytext.formats). In the repository each notebook is paired
// with its source in notebooks/_src; an attendee's copy stands alone, so
// saving it with jupytext installed writes no _src folder beside it.
// nbformat writes keys sorted with an indent of one space, as Go's
// encoder does for maps, so the rest of the file keeps its shape.
func unpaired(nb []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(nb, &doc); err != nil {
		return nil, err
	}
	meta, _ := doc["metadata"].(map[string]any)
	jt, _ := meta["jupytext"].(map[string]any)
	if _, ok := jt["formats"]; !ok {
		return nb, nil
	}
	delete(jt, "formats")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// writeWorkshop writes files into dir. A file that is already there is
// left alone when it is unchanged, updated when it is what an earlier
// `golit workshop` wrote, and kept (named in the output) when the
// attendee changed it, unless force is set. A folder that exists, is not
// empty and was not written by `golit workshop` is refused unless force
// is set.
func writeWorkshop(dir string, files []workshopFile, force bool, out io.Writer) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cannot create the folder %s: %w\n  Pick a folder you can write to: golit workshop ~/%s", dir, unwrapPath(err), defaultWorkshopDir)
		}
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s exists and is not a folder; pick another name: golit workshop OTHER-FOLDER", dir)
	}

	old := manifest{Files: map[string]string{}}
	mdata, err := os.ReadFile(filepath.Join(dir, manifestName))
	haveManifest := err == nil
	if haveManifest {
		if err := json.Unmarshal(mdata, &old); err != nil || old.Files == nil {
			old.Files = map[string]string{}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	} else if !force {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			return fmt.Errorf("%s is not empty and was not written by golit workshop (it has %s).\n"+
				"  Pick a new or empty folder: golit workshop OTHER-FOLDER\n"+
				"  or write the workshop into this one anyway, replacing files with the same names: golit workshop --force %s",
				dir, describeEntries(entries), shellQuote(dir))
		}
	}
	if err := checkWritable(dir); err != nil {
		return err
	}

	next := manifest{Golit: version, Files: map[string]string{}}
	var added, updated, same, replaced, kept []string
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.name))
		cur, err := os.ReadFile(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			added = append(added, f.name)
		case err != nil:
			return err
		case bytes.Equal(cur, f.data):
			same = append(same, f.name)
			next.Files[f.name] = f.sum
			continue
		case old.Files[f.name] == sha(cur):
			updated = append(updated, f.name) // golit wrote it, nobody changed it
		case force:
			replaced = append(replaced, f.name)
		default:
			kept = append(kept, f.name)
			if s, ok := old.Files[f.name]; ok {
				next.Files[f.name] = s // still what golit wrote, so it stays "changed"
			}
			continue
		}
		if err := writeFileAtomic(target, f.data); err != nil {
			return err
		}
		next.Files[f.name] = f.sum
	}
	mdata, err = json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, manifestName), append(mdata, '\n')); err != nil {
		return err
	}

	switch {
	case len(added) == len(files):
		fmt.Fprintf(out, "Wrote the workshop (%d files) into %s\n", len(files), dir)
	case len(same) == len(files):
		fmt.Fprintf(out, "The workshop in %s is up to date\n", dir)
	default:
		fmt.Fprintf(out, "Workshop in %s: %d new, %d updated, %d unchanged, %d replaced, %d kept\n",
			dir, len(added), len(updated), len(same), len(replaced), len(kept))
	}
	for _, n := range replaced {
		fmt.Fprintf(out, "  replaced your changed copy of %s with the original\n", n)
	}
	if len(kept) > 0 {
		fmt.Fprintf(out, "Kept your changed copies of:\n")
		for _, n := range kept {
			fmt.Fprintf(out, "  %s\n", n)
		}
		fmt.Fprintf(out, "To get an original back, rename your copy and run golit workshop again, or run golit workshop --force %s (replaces every changed file).\n", shellQuote(dir))
	}
	return nil
}

// checkWritable reports a clear error when files cannot be created in dir.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".golit-write-test-*")
	if err != nil {
		return fmt.Errorf("cannot write into %s: %w\n  Pick a folder you can write to: golit workshop ~/%s", dir, unwrapPath(err), defaultWorkshopDir)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// unwrapPath drops the operation and path from a *fs.PathError, whose
// path the message already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// writeFileAtomic writes data to name, making its folder first, through a
// temporary file, so that an interrupted write never leaves half a notebook.
func writeFileAtomic(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(name, data)
}

// describeEntries names a few of a folder's entries for an error message.
func describeEntries(entries []fs.DirEntry) string {
	var names []string
	for i, e := range entries {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(entries)-3))
			break
		}
		names = append(names, e.Name())
	}
	return strings.Join(names, ", ")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./~+:@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
