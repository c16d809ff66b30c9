/* gen.c writes the golden C printf and strtod outputs the hostlib tests
 * compare with (fmtfloat.golden, strtod.golden):
 *   gcc -O0 -o gen gen.c && ./gen fmt > fmtfloat.golden && ./gen strtod > strtod.golden
 * Lines: bits (hex) TAB spec TAB output; input TAB bits TAB consumed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) { /* xorshift64* */
	state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}
static double fromBits(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static uint64_t toBits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }

static const char *specs[] = {
	"%f", "%e", "%g", "%F", "%E", "%G",
	"%.0f", "%.0e", "%.0g", "%#.0f", "%#.0e", "%#.0g", "%#g", "%#.3g",
	"%.1f", "%.3e", "%.3g", "%.9f", "%.17g", "%.20e", "%.30f", "%.60e",
	"%+f", "% e", "%+.2g", "% .4f", "%+#.5G", "%.1g", "%.2f", "%.15g",
	"%.400f", "%.800e", "%#.12g", "%.25G",
};

static int nvals = 0;
static double vals[4000];

static void add(double d) { vals[nvals++] = d; }

int main(int argc, char **argv) {
	if (argc < 2) return 2;
	if (strcmp(argv[1], "fmt") == 0) {
		double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 0.1, 0.2, 0.3,
			1e-5, 1e-4, 9.9999e-5, 0.0001, 123456.0, 1234567.0, 999999.5, 9999995.0,
			1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 1e100, 1e300, 1.7976931348623157e308,
			2.2250738585072014e-308, 4.9406564584124654e-324, 1e-310, -1e-320,
			3.141592653589793, 2.718281828459045, 0.125, 0.375, 1023.5, 0.05, 0.15, 0.25,
			-0.16907516382852447, -0.16908760523460617, 5.5, 6.5, 0.95, 0.995, 9.5, 99.5};
		for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) add(fixed[i]);
		add(fromBits(0x7ff0000000000000ull)); add(fromBits(0xfff0000000000000ull));
		add(fromBits(0x7ff8000000000000ull)); add(fromBits(0xfff8000000000000ull));
		add(fromBits(0x7ff0000000000001ull));
		for (int i = 0; i < 120; i++) { /* random bit patterns (finite) */
			uint64_t b = next();
			if (((b >> 52) & 0x7ff) == 0x7ff) b ^= 1ull << 62;
			add(fromBits(b));
		}
		for (int i = 0; i < 120; i++) { /* moderate magnitudes */
			double m = (double)(next() >> 11) / 9007199254740992.0;
			int e = (int)(next() % 40) - 20;
			double d = m;
			while (e > 0) { d *= 10; e--; }
			while (e < 0) { d /= 10; e++; }
			if (next() & 1) d = -d;
			add(d);
		}
		for (int i = 0; i < 20; i++) add((double)(int)(next() % 2000) / 8.0); /* ties */
		for (int v = 0; v < nvals; v++)
			for (unsigned s = 0; s < sizeof specs / sizeof specs[0]; s++) {
				if (s >= 30 && v >= 60 && v % 10 != 0) continue; /* long outputs: fewer values */
				printf("%016llx\t%s\t", (unsigned long long)toBits(vals[v]), specs[s]);
				printf(specs[s], vals[v]);
				printf("\n");
			}
		return 0;
	}
	if (strcmp(argv[1], "strtod") == 0) {
		const char *ins[] = {"0", "-0", "+1", "1.5", "  \t\n42", "1e10", "1e", "1e+", "1e-3x",
			".5", "5.", ".", "-.", "+", "", "abc", "0x", "0x1p3", "0x1.8", "0X1.8P-2", "0x.8p1",
			"0xg", "inf", "-INF", "infinity", "Infinit", "nan", "-nan", "NaN(123)", "nan(", "nan(ab_1)x",
			"1e400", "-1e400", "1e-400", "4.9406564584124654e-324", "2.4703282292062328e-324",
			"2.4703282292062327e-324", "0.1", "0.30000000000000004", "123456789012345678901234567890",
			"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
			"3.14159 rest", "-  1", "1..2", "00012", "1_000", "0x1P", "0x1p+", "9007199254740993",
			"\v\f\r 7", "1e0001", "1.000000000000000000000000000000001",
			"0.000000000000000000000000000000000000000000000000001e51"};
		for (unsigned i = 0; i < sizeof ins / sizeof ins[0]; i++) {
			char *end;
			double d = strtod(ins[i], &end);
			for (const char *p = ins[i]; *p; p++) {
				if (*p == '\\') printf("\\\\");
				else if (*p < 32) printf("\\x%02x", *p);
				else putchar(*p);
			}
			printf("\t%016llx\t%d\n", (unsigned long long)toBits(d), (int)(end - ins[i]));
		}
		return 0;
	}
	return 2;
}
