# strings: libstd's string functions and printf's formats, one call per
# line of output, each line showing the call and what it returned.
# See README.md; docs/stdlib.md describes every function.

        .text
        .global main
main:
        enter 64                # [sp] .. [sp + 40]: printf's arguments
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]

        # Length, copying, appending.
        la    r0, linkvm
        call  strlen
        st64  r0, [sp]
        la    r0, strlen_fmt
        call  printf
        la    r0, buf
        la    r1, hello
        call  strcpy            # buf = "Hello, "
        la    r1, linkvm
        call  strcat            # returns buf: "Hello, linkvm"
        st64  r0, [sp]
        la    r0, strcat_fmt
        call  printf

        # Comparing: only the sign of the result means something.
        la    r0, apple
        la    r1, apricot
        call  strcmp
        st64  r0, [sp]
        la    r0, strcmp_fmt
        call  printf
        la    r0, linker
        la    r1, linkvm
        li    r2, 4
        call  strncmp
        st64  r0, [sp]
        la    r0, strncmp_fmt
        call  printf

        # Searching: a pointer into the string, or NULL.
        la    r0, dotted
        li    r1, '.'
        call  strchr
        st64  r0, [sp]
        la    r0, strchr_fmt
        call  printf
        la    r0, dotted
        li    r1, '.'
        call  strrchr
        st64  r0, [sp]
        la    r0, strrchr_fmt
        call  printf
        la    r0, haystack
        la    r1, dyn
        call  strstr
        st64  r0, [sp]
        la    r0, strstr_fmt
        call  printf
        la    r0, haystack
        la    r1, shared
        call  strstr            # not found: NULL, printed as %p
        st64  r0, [sp]
        la    r0, strstr_none_fmt
        call  printf

        # A copy in the heap, changed in place, then freed.
        la    r0, linkvm
        call  strdup
        mov   r16, r0
        mov   r17, r0
1:      ld8u  r0, [r17]
        beqz  r0, 2f
        call  toupper
        st8   r0, [r17]
        addi  r17, r17, 1
        jmp   1b
2:      st64  r16, [sp]
        la    r0, strdup_fmt
        call  printf
        mov   r0, r16
        call  free

        # snprintf stores at most size-1 bytes and a NUL, and returns the
        # length the whole result would have had.
        la    r0, buf
        li    r1, 8
        la    r2, pair_fmt
        li    r8, 1234
        st64  r8, [sp]
        li    r8, 5678
        st64  r8, [sp + 8]
        call  snprintf
        st64  r0, [sp]
        la    r8, buf
        st64  r8, [sp + 8]
        la    r0, snprintf_fmt
        call  printf

        # Parsing numbers.
        la    r0, minus42
        call  atoi
        st64  r0, [sp]
        la    r0, atoi_fmt
        call  printf
        la    r0, hex_rest
        addi  r1, fp, -24       # &end
        li    r2, 16
        call  strtol
        st64  r0, [sp]
        ld64  r8, [fp - 24]
        st64  r8, [sp + 8]
        la    r0, strtol_fmt
        call  printf
        la    r0, octal
        li    r1, 0             # no end pointer
        li    r2, 0             # base 0: from the prefix
        call  strtol
        st64  r0, [sp]
        la    r0, strtol0_fmt
        call  printf

        # printf: widths, flags, conversions.
        li    r8, 42
        st64  r8, [sp]
        st64  r8, [sp + 8]
        st64  r8, [sp + 16]
        st64  r8, [sp + 24]
        la    r0, widths_fmt
        call  printf
        li    r8, 255
        st64  r8, [sp]
        st64  r8, [sp + 8]
        st64  r8, [sp + 16]
        st64  r8, [sp + 24]
        la    r0, bases_fmt
        call  printf
        la    r8, linkvm
        st64  r8, [sp]
        st64  r8, [sp + 8]
        st64  r8, [sp + 16]
        li    r8, 'A'
        st64  r8, [sp + 24]
        la    r0, str_fmt
        call  printf
        fli   r8, 3.141592653589793 # a double: its bits in one slot
        st64  r8, [sp]
        st64  r8, [sp + 8]
        st64  r8, [sp + 16]
        st64  r8, [sp + 24]
        la    r0, float_fmt
        call  printf
        li    r8, 12            # * takes the width from the arguments,
        st64  r8, [sp]
        li    r8, 4             # .* the precision,
        st64  r8, [sp + 8]
        fli   r8, 2.718281828459045
        st64  r8, [sp + 16]     # then comes the value
        fli   r8, -0.5
        st64  r8, [sp + 24]
        la    r0, float2_fmt
        call  printf

        li    r0, 0
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

        .bss
buf:    .zero 64

        .rodata
linkvm:   .asciz "linkvm"
hello:    .asciz "Hello, "
apple:    .asciz "apple"
apricot:  .asciz "apricot"
linker:   .asciz "linker"
dotted:   .asciz "lib.std.vso"
haystack: .asciz "static and dynamic"
dyn:      .asciz "dyn"
shared:   .asciz "shared"
minus42:  .asciz "  -42"
hex_rest: .asciz "0x1F rest"
octal:    .asciz "0755"

strlen_fmt:       .asciz "strlen(\"linkvm\") = %ld\n"
strcat_fmt:       .asciz "strcpy, then strcat: \"%s\"\n"
strcmp_fmt:       .asciz "strcmp(\"apple\", \"apricot\") = %ld (negative: apple sorts first)\n"
strncmp_fmt:      .asciz "strncmp(\"linker\", \"linkvm\", 4) = %ld\n"
strchr_fmt:       .asciz "strchr(\"lib.std.vso\", '.') -> \"%s\"\n"
strrchr_fmt:      .asciz "strrchr(\"lib.std.vso\", '.') -> \"%s\"\n"
strstr_fmt:       .asciz "strstr(\"static and dynamic\", \"dyn\") -> \"%s\"\n"
strstr_none_fmt:  .asciz "strstr(\"static and dynamic\", \"shared\") -> %p\n"
strdup_fmt:       .asciz "strdup, then toupper on each byte: \"%s\"\n"
pair_fmt:         .asciz "%d-%d"
snprintf_fmt:     .asciz "snprintf(buf, 8, \"%%d-%%d\", 1234, 5678) = %d, buf = \"%s\"\n"
atoi_fmt:         .asciz "atoi(\"  -42\") = %d\n"
strtol_fmt:       .asciz "strtol(\"0x1F rest\", &end, 16) = %ld, end -> \"%s\"\n"
strtol0_fmt:      .asciz "strtol(\"0755\", NULL, 0) = %ld (octal)\n"
widths_fmt:       .asciz "%%5d [%5d]  %%-5d [%-5d]  %%05d [%05d]  %%+d [%+d]\n"
bases_fmt:        .asciz "%%x %x  %%X %X  %%#x %#x  %%o %o\n"
str_fmt:          .asciz "%%s [%s]  %%.4s [%.4s]  %%8s [%8s]  %%c %c\n"
float_fmt:        .asciz "%%f %f  %%.2f %.2f  %%e %e  %%g %g\n"
float2_fmt:       .asciz "%%*.*f [%*.*f]  %%+.1f %+.1f\n"
