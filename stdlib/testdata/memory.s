# memory.s: memmove, memcpy and memset at every small size and offset
# (overlapping both ways for memmove); prints a hash of the buffers after
# each size (hash = hash*31 + byte over 48-byte buffers), and memcmp's
# results.
        .text
        .global main

# fill(buf): buf[i] = i + 1 for i in 0..47; buf2 (right after) = 0x80 + i.
fill:
        li    r8, 0
1:      addi  r9, r8, 1
        add   r10, r0, r8
        st8   r9, [r10]
        addi  r9, r8, 0x80
        st8   r9, [r10 + 48]
        addi  r8, r8, 1
        li    r9, 48
        blt   r8, r9, 1b
        ret

# hash(h, buf): h*31 + byte for the 96 bytes of buf and buf2.
hash:
        li    r8, 0
1:      add   r9, r1, r8
        ld8u  r9, [r9]
        muli  r0, r0, 31
        add   r0, r0, r9
        addi  r8, r8, 1
        li    r9, 96
        blt   r8, r9, 1b
        ret

# run(op): for n in 0..24: h = 0; for d, s in 0..15: fill, op(d, s, n),
# hash; print "n h".
run:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        st64  r21, [fp - 48]
        mov   r21, r0           # op
        li    r16, 0            # n
1:      li    r19, 0            # h
        li    r17, 0            # d
2:      li    r18, 0            # s
3:      la    r0, buf
        call  fill
        mov   r0, r17
        mov   r1, r18
        mov   r2, r16
        callr r21
        mov   r0, r19
        la    r1, buf
        call  hash
        mov   r19, r0
        addi  r18, r18, 1
        li    r8, 16
        blt   r18, r8, 3b
        addi  r17, r17, 1
        blt   r17, r8, 2b
        addi  sp, sp, -16
        st64  r16, [sp]
        st64  r19, [sp + 8]
        la    r0, f_hash
        call  printf
        addi  sp, sp, 16
        addi  r16, r16, 1
        li    r8, 25
        blt   r16, r8, 1b
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
        ld64  r21, [fp - 48]
        leave
        ret

# The operations: (d, s, n).
op_memmove:                     # memmove(buf+d, buf+s, n): overlapping
        enter 0
        la    r8, buf
        add   r0, r8, r0
        add   r1, r8, r1
        call  memmove
        leave
        ret
op_memcpy:                      # memcpy(buf2+d, buf+s, n)
        enter 0
        la    r8, buf
        add   r0, r8, r0
        addi  r0, r0, 48
        add   r1, r8, r1
        call  memcpy
        leave
        ret
op_memset:                      # memset(buf+d, s*17, n)
        enter 0
        la    r8, buf
        add   r0, r8, r0
        muli  r1, r1, 17
        call  memset
        leave
        ret

main:
        enter 16
        st64  r16, [fp - 8]
        la    r0, s_memmove
        call  puts
        la    r0, op_memmove
        call  run
        la    r0, s_memcpy
        call  puts
        la    r0, op_memcpy
        call  run
        la    r0, s_memset
        call  puts
        la    r0, op_memset
        call  run
        # memcmp: equal, differing first byte both ways, n = 0, unsigned bytes
        la    r0, buf
        call  fill
        la    r0, buf
        la    r1, buf
        li    r2, 48
        call  memcmp
        call  show
        la    r0, buf
        addi  r1, r0, 1
        li    r2, 10
        call  memcmp            # 1 - 2
        call  show
        la    r0, buf
        addi  r1, r0, 1
        mov   r8, r0
        mov   r0, r1
        mov   r1, r8
        li    r2, 10
        call  memcmp            # 2 - 1
        call  show
        la    r0, buf
        addi  r1, r0, 5
        li    r2, 0
        call  memcmp
        call  show
        la    r0, buf
        addi  r1, r0, 48        # 0x01 vs 0x80: unsigned
        li    r2, 4
        call  memcmp
        call  show
        ld64  r16, [fp - 8]
        li    r0, 0
        leave
        ret

show:
        enter 16
        st64  r0, [sp]
        la    r0, f_cmp
        call  printf
        leave
        ret

        .rodata
s_memmove: .asciz "memmove"
s_memcpy:  .asciz "memcpy"
s_memset:  .asciz "memset"
f_hash:    .asciz "%d %x\n"
f_cmp:     .asciz "memcmp %d\n"

        .bss
buf:    .zero 96
