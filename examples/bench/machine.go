package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// describeMachine gathers what the report says about the machine, the Go
// toolchain goTool and the peers' versions (of those in xs).
func describeMachine(goTool string, xs []impl) machine {
	m := machine{
		Date:  time.Now().UTC().Format("2006-01-02"),
		CPU:   cpuModel(),
		Cores: runtime.NumCPU(),
		OS:    osRelease(),
		Go:    goVersion(goTool),
		Load:  loadAverage() + " before",
	}
	m.Memory = memTotal()
	seen := map[string]bool{}
	for _, x := range xs {
		if x.Tool == "" || seen[x.Tool] {
			continue
		}
		seen[x.Tool] = true
		if v := toolVersion(x.Tool); v != "" {
			m.Versions = append(m.Versions, v)
		}
	}
	return m
}

// procField returns the value of the first "key : value" line of a /proc
// file whose key is key, or "".
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// cpuModel is the CPU's name as /proc/cpuinfo gives it, or GOARCH.
func cpuModel() string {
	if s := procField("/proc/cpuinfo", "model name"); s != "" {
		return "`" + s + "`"
	}
	return runtime.GOARCH
}

// memTotal is the machine's memory, from /proc/meminfo.
func memTotal() string {
	s := strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB")
	kb, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
}

// osRelease is the kernel's name and release.
func osRelease() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return "Linux " + strings.TrimSpace(string(b))
}

// goVersion is what `go version` prints, the version vmrun was built with
// by `make bench`.
func goVersion(goTool string) string {
	out, err := exec.Command(goTool, "version").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
}

// loadAverage is the 1-minute load average, from /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

// toolVersion is the first line a peer prints about its version.
func toolVersion(tool string) string {
	flag := "-v"
	if tool == "python3" {
		flag = "--version"
	}
	out, _ := exec.Command(tool, flag).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if i := strings.Index(line, "  Copyright"); i > 0 {
		line = line[:i]
	}
	if i := strings.Index(line, " -- Copyright"); i > 0 {
		line = line[:i]
	}
	return line
}
