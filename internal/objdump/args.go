package objdump

import "strings"

// SplitFlags expands grouped single-letter flags, as in "objdump -dr" or
// "nm -gu": an argument such as "-dr" whose letters are all in letters
// becomes "-d", "-r". Other arguments, and everything after "--", are left
// alone.
func SplitFlags(args []string, letters string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && strings.Trim(a[1:], letters) == "" {
			for _, c := range a[1:] {
				out = append(out, "-"+string(c))
			}
			continue
		}
		out = append(out, a)
	}
	return out
}
