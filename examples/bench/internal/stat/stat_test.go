package stat

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	ds := []time.Duration{5, 1, 3}
	assert.Equal(t, time.Duration(3), Median(ds))
	assert.Equal(t, []time.Duration{5, 1, 3}, ds, "Median sorts a copy")
	assert.Equal(t, time.Duration(3), Median([]time.Duration{4, 1, 2, 9}), "even: the mean of 2 and 4")
	assert.Equal(t, time.Duration(7), Median([]time.Duration{7}))
	assert.Equal(t, 1.25, Median([]float64{1.5, 1.0}), "ratios too")
}

func TestOrder(t *testing.T) {
	assert.Equal(t, []int{0, 1, 2}, Order(3, 0))
	assert.Equal(t, []int{2, 1, 0}, Order(3, 1))
	assert.Equal(t, []int{0, 1, 2}, Order(3, 4))
}

func TestRatio(t *testing.T) {
	// Round 2 ran on a busy machine (both twice as long), and round 3's a
	// was slow by itself: the ratio of the medians would be 150/100 = 1.5,
	// the median of the rounds' ratios is 1.1.
	a := []time.Duration{110, 220, 150}
	b := []time.Duration{100, 200, 100}
	assert.InDelta(t, 1.1, Ratio(a, b), 1e-9)
}
