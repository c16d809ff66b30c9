package vm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"linkvm/asm"
	"linkvm/objfmt"
	"linkvm/staticld"
)

// Test programs are assembled with package asm and linked with package
// staticld, as vmas and vmld would; the source file is called "t.s".

// testFile is the source file name in line tables of test images.
const testFile = "t.s"

// assemble builds an executable image from src, failing the test on errors.
func assemble(t testing.TB, src string) *objfmt.File {
	t.Helper()
	img, err := assembleErr(src)
	require.NoError(t, err)
	return img
}

// assembleErr assembles src (with _start made global) and links it alone,
// as `vmas t.s && vmld t.vo` would.
func assembleErr(src string) (*objfmt.File, error) {
	obj, err := asm.Assemble(testFile, []byte("\t.global _start;"+src), asm.Options{})
	if err != nil {
		return nil, err
	}
	return staticld.Link(staticld.Config{}, []staticld.Input{{Name: "t.vo", File: obj}})
}

// result is what a test program did.
type result struct {
	status int
	stdout string
	stderr string
	err    error
	proc   *Process
}

// runSrc assembles src and runs it with cfg (Stdout and Stderr are
// captured unless set), failing the test if it cannot be loaded.
func runSrc(t testing.TB, src string, cfg Config) result {
	t.Helper()
	return runImg(t, assemble(t, src), cfg)
}

// runImg loads img as t.img and runs it with cfg, as runSrc does.
func runImg(t testing.TB, img *objfmt.File, cfg Config) result {
	t.Helper()
	var out, errb strings.Builder
	if cfg.Stdout == nil {
		cfg.Stdout = &out
	}
	if cfg.Stderr == nil {
		cfg.Stderr = &errb
	}
	if cfg.Args == nil {
		cfg.Args = []string{"t"}
	}
	p, err := Load(img, "t.img", cfg)
	require.NoError(t, err)
	status, err := p.Run()
	return result{status, out.String(), errb.String(), err, p}
}
