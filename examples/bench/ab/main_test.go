package main

import (
	"bytes"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain makes the test binary a program to compare when AB_CHILD is
// set: it exits with that status.
func TestMain(m *testing.M) {
	if v := os.Getenv("AB_CHILD"); v != "" {
		if v == "fail" {
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestAbRunsEachProgramInTurn(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	t.Setenv("AB_CHILD", "ok")
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"-n", "3", self, self, "--", "-test.run", "^$"}, &out, &errOut))
	line := regexp.QuoteMeta(self) + ` +min \d+\.\d{4} s  median \d+\.\d{4} s`
	assert.Regexp(t, "^"+line+"\n"+line+`  ÷ first \d+\.\d{4}\n$`, out.String())
	assert.Empty(t, errOut.String())
}

func TestAbErrors(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	t.Setenv("AB_CHILD", "fail")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{self}, "usage: ab [-n rounds] PROGRAM... -- [ARG...]"},
		{[]string{"--", "x"}, "usage: ab [-n rounds] PROGRAM... -- [ARG...]"},
		{[]string{"-n", "0", self, "--"}, "usage: ab [-n rounds] PROGRAM... -- [ARG...]"},
		{[]string{self, "--"}, self + ": exit status 3"},
	} {
		var out, errOut bytes.Buffer
		err := run(tc.args, &out, &errOut)
		require.Error(t, err, "%q", tc.args)
		assert.Equal(t, tc.want, err.Error())
	}
}
