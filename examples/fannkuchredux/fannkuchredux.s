# fannkuchredux: the Benchmarks Game's fannkuch-redux, in linkvm assembly.
#
# For every permutation of 0..N-1, in the order of the reference
# programs, count the flips: while the first element k is not 0, reverse
# the first k+1 elements. Print a checksum (the flip counts added for the
# permutations of even index, subtracted for those of odd index), then
# the largest flip count:
#
#   228
#   Pfannkuchen(7) = 16
#
# The permutations are generated as the reference does: perm1 starts as
# 0..N-1; the next permutation rotates its first r+1 elements left by
# one, where count[r] says how many rotations of that prefix are left
# (Tompkins-Paige). The three arrays live in the stack frame, one byte an
# element, each padded to a multiple of 16 bytes so that perm1 is copied
# to perm 8 bytes at a time.
#
# N must be a whole number from 1 to 20 (beyond 20, N! does not fit in
# 64 bits): anything else prints the usage line and exits with 2.

        .equ  MAX_N, 20

        .text
        .global main

# int main(int argc, char **argv)
main:
        enter 32                # 1 saved register above 3 printf slots
        st64  r16, [fp - 8]
        call  parse_n
        addi  r8, r0, -1
        li    r9, MAX_N - 1
        bltu  r9, r8, .Lusage   # N - 1 outside 0..MAX_N-1
        mov   r16, r0           # r16: N
        call  fannkuch
        st64  r0, [sp]          # checksum
        st64  r16, [sp + 8]     # N
        st64  r1, [sp + 16]     # largest flip count
        la    r0, fmt_result
        call  printf
        li    r0, 0
        b     .Lreturn
.Lusage:
        la    r0, usage_msg
        li    r1, 2
        call  fputs
        li    r0, 2
.Lreturn:
        ld64  r16, [fp - 8]
        leave
        ret

# fannkuch(long n) returns the checksum in r0 and the largest flip count
# in r1, for n >= 1. A leaf: everything lives in r0-r15 and in its frame.
fannkuch:
        enter 0
        addi  r8, r0, 15
        andi  r8, r8, -16       # r8: bytes per array, a multiple of 16
        sub   sp, sp, r8
        mov   r1, sp            # r1: perm1, the current permutation
        sub   sp, sp, r8
        mov   r2, sp            # r2: perm, the copy that is flipped
        sub   sp, sp, r8
        mov   r3, sp            # r3: count
        add   r15, r2, r8       # r15: the end of perm's padded bytes

        li    r9, 0             # perm1 = 0, 1, ..., n-1
1:      add   r10, r1, r9
        st8   r9, [r10]
        addi  r9, r9, 1
        blt   r9, r0, 1b

        mov   r4, r0            # r4: r, the length of the prefix rotated
        li    r5, 0             # r5: checksum
        li    r6, 0             # r6: largest flip count
        li    r7, 0             # r7: 1 when the permutation's index is odd

.Lpermutation:
        li    r9, 1             # count[i-1] = i for i = r, ..., 2
2:      beq   r4, r9, 3f
        add   r10, r3, r4
        st8   r4, [r10 - 1]
        addi  r4, r4, -1
        b     2b

3:      li    r8, 0             # r8: flips
        ld8u  r9, [r1]          # r9: k, the first element
        beqz  r9, .Lcounted     # no flip: no need for the copy
        mov   r10, r1           # perm = perm1, a word at a time
        mov   r11, r2
4:      ld64  r12, [r10]
        st64  r12, [r11]
        addi  r10, r10, 8
        addi  r11, r11, 8
        bltu  r11, r15, 4b
.Lflip:                         # reverse perm[0..k]: k >= 1, so a swap at least
        mov   r10, r2           # r10: lo
        add   r11, r2, r9       # r11: hi
5:      ld8u  r12, [r10]
        ld8u  r13, [r11]
        st8   r13, [r10]
        st8   r12, [r11]
        addi  r10, r10, 1
        addi  r11, r11, -1
        bltu  r10, r11, 5b
        addi  r8, r8, 1
        ld8u  r9, [r2]
        bnez  r9, .Lflip
.Lcounted:
        bge   r6, r8, 6f
        mov   r6, r8
6:      bnez  r7, 7f            # even index: add, odd: subtract
        add   r5, r5, r8
        b     .Lnext
7:      sub   r5, r5, r8

.Lnext:                         # the next permutation, or the end
        beq   r4, r0, .Ldone    # every prefix fully rotated: done
        ld8u  r12, [r1]         # r12: perm1[0]
        mov   r10, r1           # perm1[i] = perm1[i+1] for i < r
        add   r11, r1, r4
8:      ld8u  r13, [r10 + 1]
        st8   r13, [r10]
        addi  r10, r10, 1
        bltu  r10, r11, 8b
        st8   r12, [r11]        # perm1[r] = the old perm1[0]
        add   r10, r3, r4       # --count[r]
        ld8u  r13, [r10]
        addi  r13, r13, -1
        st8   r13, [r10]
        bnez  r13, 9f           # this prefix has rotations left
        addi  r4, r4, 1
        b     .Lnext
9:      xori  r7, r7, 1
        b     .Lpermutation

.Ldone:
        mov   r0, r5
        mov   r1, r6
        leave
        ret

# long parse_n(int argc, char **argv): N, the program's one argument, if
# it is a whole decimal number; else -1.
parse_n:
        enter 16
        li    r8, 2
        bne   r0, r8, 1f        # not exactly one argument
        ld64  r0, [r1 + 8]      # argv[1]
        st64  r0, [fp - 8]
        addi  r1, fp, -16       # &end
        li    r2, 10
        call  strtol
        ld64  r8, [fp - 16]     # end: after the last digit
        ld64  r9, [fp - 8]
        beq   r8, r9, 1f        # no digits at all
        ld8u  r8, [r8]
        beqz  r8, 2f            # nothing after them
1:      li    r0, -1
2:      leave
        ret

        .rodata
fmt_result:
        .asciz "%ld\nPfannkuchen(%ld) = %ld\n"
usage_msg:
        .asciz "usage: fannkuchredux N\n"
