package asm

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestEnvOverride re-runs the test binary with GOBRAGG_SIMD set and checks
// that init honours it (and ignores an unusable value).
func TestEnvOverride(t *testing.T) {
	if os.Getenv("GOBRAGG_SIMD_CHILD") != "" {
		os.Stdout.WriteString("PATH=" + Path() + "\n")
		return
	}
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	for _, name := range append(Paths(), "bogus") {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEnvOverride$", "-test.v")
		cmd.Env = append(os.Environ(), "GOBRAGG_SIMD="+name, "GOBRAGG_SIMD_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		want := name
		if name == "bogus" {
			want = pathNames[bestPath()]
			if !strings.Contains(string(out), "ignoring GOBRAGG_SIMD") {
				t.Errorf("no warning for bogus value:\n%s", out)
			}
		}
		if !strings.Contains(string(out), "PATH="+want+"\n") {
			t.Errorf("GOBRAGG_SIMD=%s: want path %s, got:\n%s", name, want, out)
		}
	}
}
