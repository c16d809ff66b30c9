// Package stat summarises the times of repeated runs, for the benchmark
// commands: bench's table and ab's comparisons report the same median.
package stat

import "slices"

// number is what Median takes the middle of: times, counts, ratios.
type number interface{ ~int64 | ~float64 }

// Median is the middle of ds (the mean of the two middle ones for an even
// count), which it leaves as it is; ds must not be empty.
func Median[T number](ds []T) T {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
