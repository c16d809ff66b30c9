// Package stat summarises the times of repeated runs, for the benchmark
// commands: bench's table and ab's comparisons run their rounds in the
// same order and report the same median and paired ratio.
package stat

import (
	"slices"
	"time"
)

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

// Order is the order in which round k runs n programs: as given in even
// rounds, the other way round in odd ones, so that what runs just before
// each, and its place in the round, alternate.
func Order(n, k int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
		if k%2 == 1 {
			order[i] = n - 1 - i
		}
	}
	return order
}

// Ratio is the median over the rounds of a's time over b's in the same
// round (a and b hold one time per round, in order): the machine's drift
// from one round to the next, which moves single times by several percent,
// falls on both sides of each ratio alike.
func Ratio(a, b []time.Duration) float64 {
	qs := make([]float64, len(a))
	for k := range a {
		qs[k] = float64(a[k]) / float64(b[k])
	}
	return Median(qs)
}
