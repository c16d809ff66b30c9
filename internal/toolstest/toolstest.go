// Package toolstest builds linkvm's command-line tools for tests that run
// them as programs, as a user would after `make tools`.
package toolstest

import (
	"fmt"
	"os/exec"
	"path/filepath"
)

// Build builds the named tools (directories of linkvm/cmd, such as "vmas"
// and "vmld"; none means all of them) into the directory bin, creating
// it. The error carries go build's output.
func Build(bin string, tools ...string) error {
	pkgs := []string{"linkvm/cmd/..."}
	if len(tools) > 0 {
		pkgs = pkgs[:0]
		for _, t := range tools {
			pkgs = append(pkgs, "linkvm/cmd/"+t)
		}
	}
	args := append([]string{"build", "-o", bin + string(filepath.Separator)}, pkgs...)
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("building the tools: %v\n%s", err, out)
	}
	return nil
}
