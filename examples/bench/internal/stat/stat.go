// Package stat summarises the times of repeated runs, for the benchmark
// commands: bench's table and ab's comparisons report the same median.
package stat

import (
	"slices"
	"time"
)

// Median is the middle of ds (the mean of the two middle ones for an even
// count), which it leaves as it is; ds must not be empty.
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
