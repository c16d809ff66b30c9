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
