package supervise

import (
	"os"
	"path/filepath"
	"testing"
)

// writeFiles lays out files under root: path -> content.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCgroupMemoryLimit(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"no cgroup file", map[string]string{}, 0},
		{"v2 without a limit", map[string]string{
			"proc/self/cgroup": "0::/user.slice/jupyter\n",
			"sys/fs/cgroup/user.slice/jupyter/memory.max": "max\n",
			"sys/fs/cgroup/user.slice/memory.max":         "max\n",
		}, 0},
		{"v2, the pod's limit one level up is the tightest", map[string]string{
			"proc/self/cgroup": "0::/kubepods/pod1/server\n",
			"sys/fs/cgroup/kubepods/pod1/server/memory.max": "max\n",
			"sys/fs/cgroup/kubepods/pod1/memory.max":        "1073741824\n",
			"sys/fs/cgroup/kubepods/memory.max":             "8589934592\n",
		}, 1 << 30},
		{"v2 inside a container (path /)", map[string]string{
			"proc/self/cgroup":         "0::/\n",
			"sys/fs/cgroup/memory.max": "536870912\n",
		}, 512 << 20},
		{"v1 memory controller", map[string]string{
			"proc/self/cgroup": "12:cpu,cpuacct:/docker/abc\n11:memory:/docker/abc\n",
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "2147483648\n",
		}, 2 << 30},
		{"v1 without a limit (a huge number)", map[string]string{
			"proc/self/cgroup":                           "11:memory:/\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, c.files)
			if got := cgroupMemoryLimit(root); got != c.want {
				t.Errorf("cgroupMemoryLimit = %d, want %d", got, c.want)
			}
		})
	}
}
