// Package atomicfile writes a file so that readers see either the old
// content or the new, never half of it: the data goes to a temporary file
// in the same directory, which is then renamed over the target.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to name (mode 0644) through a temporary file in the
// same directory. The directory must exist. On error the temporary file is
// removed and name is left as it was.
func Write(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err1 := f.Close(); err == nil {
		err = err1
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
