package magic

import (
	"context"
	"os"
	"sort"
	"strings"
)

// envMagic is %env: no argument lists the environment, NAME shows one
// variable, NAME=VALUE or NAME VALUE sets one (for the kernel process, so
// os.Getenv in cells and commands run with ! see it).
func envMagic(_ context.Context, r *runner, st Step) (any, error) {
	args := strings.TrimSpace(st.Args)
	if args == "" {
		env := os.Environ()
		sort.Strings(env)
		r.out("%s\n", strings.Join(env, "\n"))
		return nil, nil
	}
	name, value, set := strings.Cut(args, "=")
	if !set {
		name, value, set = strings.Cut(args, " ")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !set {
		v, ok := os.LookupEnv(name)
		if !ok {
			return nil, usageError("Environment does not have key: %s", name)
		}
		r.out("%s\n", v)
		return nil, nil
	}
	if name == "" {
		return nil, usageError("%%env NAME=VALUE needs a NAME")
	}
	if err := os.Setenv(name, value); err != nil {
		return nil, usageError("cannot set %s: %v", name, err)
	}
	r.out("env: %s=%s\n", name, value)
	return nil, nil
}

// cdMagic is %cd [DIR]: change the kernel's working directory (where
// relative paths in cells, ! commands and %%writefile point).
func cdMagic(_ context.Context, r *runner, st Step) (any, error) {
	dir := strings.TrimSpace(st.Args)
	if dir == "" || dir == "~" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, usageError("%v", err)
		}
		dir = home
	} else if rest, ok := strings.CutPrefix(dir, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			dir = home + string(os.PathSeparator) + rest
		}
	}
	if err := os.Chdir(dir); err != nil {
		return nil, usageError("%v", err)
	}
	wd, _ := os.Getwd()
	r.out("%s\n", wd)
	return nil, nil
}

// pwdMagic is %pwd.
func pwdMagic(_ context.Context, r *runner, _ Step) (any, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, usageError("%v", err)
	}
	r.out("%s\n", wd)
	return nil, nil
}
