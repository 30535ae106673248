package core

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHKLLayoutWarnings: the layout check warns once, at the first line
// with other than four columns or with an index written as a real, and
// stays silent on well-formed files (blank lines and CRLF included).
func TestHKLLayoutWarnings(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ content, want string }{
		{"0 0 0 10\n1 0 0 5\n\n 2\t0 0 4\r\n", ""},
		{"0 0 0 10\n1 0 0 5 7\n1 2 3\n", "line 2 has 5 columns"},
		{"0 0 0 10\n1 0 0\n", "line 2 has 3 columns"},
		{"0 0 0 10\n1 0 0 5 1 2 3 4 5 6\n", "line 2 has 10 columns"},
		{"0 0 0 10\n1 0.0 0 5\n", `line 2 writes an index as "0.0"`},
		{"0 0 0 10\n1e0 0 0 5\n", `line 2 writes an index as "1e0"`},
		{"0 0 0 1.5e2\n", ""},
		{"0\u00a00 0 10\n", ""}, // Unicode white space separates fields too
	} {
		path := filepath.Join(dir, "t.hkl")
		require.NoError(t, os.WriteFile(path, []byte(c.content), 0o644))
		var log bytes.Buffer
		warnHKLLayout(path, &log)
		if c.want == "" {
			require.Empty(t, log.String(), "%q", c.content)
		} else {
			require.Contains(t, log.String(), c.want, "%q", c.content)
			require.Equal(t, 1, bytes.Count(log.Bytes(), []byte("\n")), "one warning")
		}
	}
}
