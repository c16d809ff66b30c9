# strings.s: the string functions, each result printed.
        .text
        .global main

# say(fmt, value): printf(fmt, value)
say:
        enter 16
        st64  r1, [sp]
        call  printf
        leave
        ret

main:
        enter 128               # buf at fp-128 (64 bytes), buf2 at fp-64
        st64  r16, [fp - 8]
        # strlen
        la    r0, hello
        call  strlen
        mov   r1, r0
        la    r0, f_strlen
        call  say
        la    r0, empty
        call  strlen
        mov   r1, r0
        la    r0, f_strlen
        call  say
        # strcmp: sign of each comparison
        la    r0, abc
        la    r1, abd
        call  strcmp
        mov   r1, r0
        la    r0, f_cmp
        call  say
        la    r0, abd
        la    r1, abc
        call  strcmp
        mov   r1, r0
        la    r0, f_cmp
        call  say
        la    r0, abc
        la    r1, abc2
        call  strcmp
        mov   r1, r0
        la    r0, f_cmp
        call  say
        la    r0, abc
        la    r1, ab
        call  strcmp
        mov   r1, r0
        la    r0, f_cmp
        call  say
        la    r0, high
        la    r1, abc
        call  strcmp            # bytes compare unsigned: 0xe9 > 'a'
        mov   r1, r0
        la    r0, f_cmp
        call  say
        # strncmp
        la    r0, abc
        la    r1, abd
        li    r2, 2
        call  strncmp
        mov   r1, r0
        la    r0, f_ncmp
        call  say
        la    r0, abc
        la    r1, abd
        li    r2, 3
        call  strncmp
        mov   r1, r0
        la    r0, f_ncmp
        call  say
        la    r0, abc
        la    r1, abd
        li    r2, 0
        call  strncmp
        mov   r1, r0
        la    r0, f_ncmp
        call  say
        # strcpy, strcat
        addi  r0, fp, -128
        la    r1, hello
        call  strcpy
        la    r1, world
        call  strcat            # strcpy returned the buffer
        mov   r1, r0
        la    r0, f_str
        call  say
        # strncpy: padding, and no NUL when the source is long
        addi  r0, fp, -64
        li    r1, 'z'
        li    r2, 16
        call  memset
        addi  r0, fp, -64
        la    r1, ab
        li    r2, 5
        call  strncpy
        addi  r16, fp, -64
        ld8u  r1, [r16 + 4]     # padded with NUL
        la    r0, f_byte
        call  say
        ld8u  r1, [r16 + 5]     # untouched
        la    r0, f_byte
        call  say
        addi  r0, fp, -64
        la    r1, hello
        li    r2, 3
        call  strncpy
        ld8u  r1, [r16 + 2]     # 'l': the third byte copied
        la    r0, f_byte
        call  say
        # strchr, strrchr: offsets, or -1 for NULL
        la    r0, hello
        li    r1, 'l'
        call  strchr
        call  offset
        la    r0, hello
        li    r1, 'l'
        call  strrchr
        call  offset
        la    r0, hello
        li    r1, 'q'
        call  strchr
        call  offset
        la    r0, hello
        li    r1, 'q'
        call  strrchr
        call  offset
        la    r0, hello
        li    r1, 0
        call  strchr            # the terminator
        call  offset
        la    r0, hello
        li    r1, 0x16f         # only the low byte counts: 'o'
        call  strchr
        call  offset
        # strstr
        la    r0, hello
        la    r1, llo
        call  strstr
        call  offset
        la    r0, hello
        la    r1, empty
        call  strstr
        call  offset
        la    r0, hello
        la    r1, lox
        call  strstr
        call  offset
        la    r0, aab
        la    r1, ab
        call  strstr            # a partial match first
        la    r8, aab
        sub   r1, r0, r8
        la    r0, f_off
        call  say
        ld64  r16, [fp - 8]
        li    r0, 0
        leave
        ret

# offset(p): prints p - hello, or -1 for NULL.
offset:
        enter 0
        li    r1, -1
        beqz  r0, 1f
        la    r8, hello
        sub   r1, r0, r8
1:      la    r0, f_off
        call  say
        leave
        ret

        .rodata
hello:   .asciz "hello"
world:   .asciz ", world"
empty:   .asciz ""
abc:     .asciz "abc"
abc2:    .asciz "abc"
abd:     .asciz "abd"
ab:      .asciz "ab"
aab:     .asciz "xaab"
high:    .asciz "\351"
llo:     .asciz "llo"
lox:     .asciz "lox"
f_strlen: .asciz "strlen %d\n"
f_cmp:   .asciz "strcmp %d\n"
f_ncmp:  .asciz "strncmp %d\n"
f_str:   .asciz "%s\n"
f_byte:  .asciz "byte %d\n"
f_off:   .asciz "offset %d\n"
