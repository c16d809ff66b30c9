package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// series is one kind of bar of the plot: linkvm over one peer.
type series struct {
	ID     string // the peer's impl ID
	Label  string
	Color  string
	Target float64 // the ratio to stay under, drawn as a line
}

// plotSeries are the plot's bars, per benchmark.
var plotSeries = []series{
	{lua54.ID, "linkvm ÷ Lua 5.4", "#4e79a7", luaTarget},
	{luajitOff.ID, "linkvm ÷ LuaJIT -joff", "#f28e2b", luajitTarget},
}

// ratioSVG draws, for every benchmark, linkvm's time over each peer's as
// horizontal bars, with the targets as vertical lines. Peers not measured
// are left out; with none it returns "".
func ratioSVG(rep *report) string {
	var ss []series
	for _, s := range plotSeries {
		if rep.has(s.ID) {
			ss = append(ss, s)
		}
	}
	if len(ss) == 0 || len(rep.Rows) == 0 {
		return ""
	}
	const (
		width   = 640
		left    = 150 // the benchmark names
		right   = 40  // room for the last bar's label
		top     = 50  // title and legend
		barH    = 14
		gap     = 12 // between benchmarks
		axisH   = 30
		plotW   = width - left - right
		fontCSS = `font-family="sans-serif" font-size="12"`
	)
	maxQ := 1.5
	for _, r := range rep.Rows {
		for _, s := range ss {
			maxQ = math.Max(maxQ, r.ratio(s.ID))
		}
	}
	maxQ = math.Ceil(maxQ*2) / 2 // the axis ends on a multiple of 0.5
	x := func(q float64) float64 { return left + q/maxQ*plotW }
	groupH := len(ss)*barH + gap
	plotH := len(rep.Rows) * groupH
	height := top + plotH + axisH

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="18" %s font-weight="bold">linkvm's time over its peers' (lower is better)</text>`+"\n", left, fontCSS)
	lx := float64(left)
	for _, s := range ss {
		fmt.Fprintf(&b, `<rect x="%.1f" y="28" width="12" height="12" fill="%s"/>`+"\n", lx, s.Color)
		fmt.Fprintf(&b, `<text x="%.1f" y="38" %s>%s (target %s)</text>`+"\n", lx+16, fontCSS, html.EscapeString(s.Label), targetText(s))
		lx += 230
	}
	// Grid and axis labels every 0.5.
	for q := 0.0; q <= maxQ+1e-9; q += 0.5 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x(q), top, x(q), top+plotH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" %s text-anchor="middle">%.1f</text>`+"\n", x(q), top+plotH+16, fontCSS, q)
	}
	for i, r := range rep.Rows {
		y0 := top + i*groupH + gap/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" %s text-anchor="end">%s %s</text>`+"\n",
			left-8, y0+len(ss)*barH/2+4, fontCSS, html.EscapeString(r.Bench.Name), html.EscapeString(r.Bench.Arg))
		for k, s := range ss {
			q := r.ratio(s.ID)
			y := y0 + k*barH
			if q == 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", left, y, x(q)-left, barH-2, s.Color)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-family="sans-serif" font-size="10">%.2f</text>`+"\n", x(q)+3, y+barH-4, q)
		}
	}
	for _, s := range ss {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="5,3"/>`+"\n",
			x(s.Target), top, x(s.Target), top+plotH, s.Color)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, top, left, top+plotH)
	b.WriteString("</svg>\n")
	return b.String()
}

// targetText is how the legend states a series' target.
func targetText(s series) string {
	if s.Target == luajitTarget {
		return fmt.Sprintf("&lt; %g", s.Target)
	}
	return fmt.Sprintf("≤ %g", s.Target)
}
