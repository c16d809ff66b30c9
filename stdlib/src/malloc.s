# malloc.s: the memory allocator: malloc, free, calloc, realloc and
# malloc_usable_size. docs/stdlib.md describes the design:
#
# - Segregated size classes, each with a LIFO free list. A request of n
#   bytes gets the class of its capacity: classes 1..64 hold 16, 32, ...,
#   1024 bytes (n rounded up to 16); classes 65.. hold 2048, 4096, ...
#   bytes (n rounded up to a power of two), up to 2^46.
# - Every block is a 16-byte header, [capacity][USED|class or FREE|class],
#   followed by the payload, so payloads are 16-byte aligned. A free
#   block keeps its class and links to the next free block of the class
#   through its first payload word.
# - free pushes the block on its class's list and malloc pops from it, so
#   a program that frees and allocates again reuses memory exactly and
#   the heap stops growing. New blocks are carved from the top of the
#   heap, grown with sbrk in 64 KiB steps.
# - free of a pointer that is not an allocated block (a double free, a
#   pointer into the middle of a block) stops the program with user trap
#   7 when the header shows it (so a corrupted heap is caught early).

        .equ  NCLASS, 128
        .equ  SMALL_MAX, 1024
        .equ  MAX_REQUEST, 0x400000000000     # 2^46
        .equ  CHUNK, 65536
        .equ  USED, 0xA110C00                 # header word 1: USED | class
        .equ  FREE, 0xF4EE000                 #            or FREE | class
        .equ  TRAP_BAD_FREE, 7

        .text
        .global malloc, free, calloc, realloc, malloc_usable_size

# void *malloc(size_t n): a 16-byte aligned block of at least n bytes, or
# NULL if the heap cannot grow (or n is above 2^46). malloc(0) returns a
# unique pointer.
#
# The fast path, a small request whose class has a free block, is 14
# instructions: the header word USED|class is USED + class (USED's low
# byte is 0), and n - 1 tests n == 0 and n > 1024 with one unsigned
# compare.
malloc:
        addi  r9, r0, -1        # n - 1: 0 wraps round to the largest
        li    r8, SMALL_MAX
        bgeu  r9, r8, .Lbig     # n == 0 or n > SMALL_MAX
        shri  r9, r9, 4         # r9: class - 1 = (n - 1) / 16
        shli  r12, r9, 3
        la    r11, heads + 8
        add   r11, r11, r12     # r11: &heads[class]
        ld64  r0, [r11]
        beqz  r0, 1f
        ld64  r12, [r0]         # pop
        st64  r12, [r11]
        addi  r12, r9, USED + 1
        st64  r12, [r0 - 8]
        ret
1:      addi  r9, r9, 1         # none free: carve one, class r9
        shli  r10, r9, 4        # r10: capacity
        b     .Lcarve

.Lbig:                          # n == 0, or a large request
        li    r9, 1             # malloc(0): the smallest class
        li    r10, 16
        beqz  r0, 3f
        li64  r8, MAX_REQUEST
        bgtu  r0, r8, .Lnomem
        li    r10, 2048         # large: the next power of two
        li    r9, 65
4:      bgeu  r10, r0, 3f
        shli  r10, r10, 1
        addi  r9, r9, 1
        b     4b
3:      la    r11, heads        # r10: capacity, r9: class
        shli  r12, r9, 3
        add   r11, r11, r12     # r11: &heads[class]
        ld64  r0, [r11]
        beqz  r0, .Lcarve
        ld64  r12, [r0]         # pop
        st64  r12, [r11]
        addi  r12, r9, USED
        st64  r12, [r0 - 8]
        ret

.Lcarve:                        # a new block of r10 bytes, class r9
        la    r13, top
        ld64  r14, [r13]        # r14: top (next free byte)
        ld64  r15, [r13 + 8]    # r15: end of the heap we own
        addi  r12, r10, 16      # r12: block size
        sub   r8, r15, r14
        bgeu  r8, r12, 5f
        li    r8, CHUNK - 1     # grow: the block, 16 bytes to align, in chunks
        add   r0, r12, r8
        addi  r0, r0, 16
        not   r8, r8
        and   r0, r0, r8
        mov   r8, r0            # r8: growth
        sys   6                 # sbrk: the old break, or -ENOMEM
        li    r1, 0
        blt   r0, r1, .Lnomem
        beq   r0, r15, 6f       # contiguous with what we own
        addi  r14, r0, 15       # else start over there (16-byte aligned)
        andi  r14, r14, -16
6:      add   r15, r0, r8
        st64  r15, [r13 + 8]
5:      st64  r10, [r14]        # header
        addi  r1, r9, USED
        st64  r1, [r14 + 8]
        addi  r0, r14, 16
        add   r14, r14, r12
        st64  r14, [r13]
        ret

.Lnomem:
        li    r0, 0
        ret

# void free(void *p): p from malloc, calloc or realloc, or NULL. The
# header word of a block in use is USED + class, class 1..NCLASS-1: one
# unsigned compare checks both.
free:
        beqz  r0, 1f
        ld64  r8, [r0 - 8]
        addi  r9, r8, -(USED + 1) # r9: class - 1, if the block is in use
        li    r10, NCLASS - 1
        bgeu  r9, r10, 2f
        addi  r8, r8, FREE - USED # FREE | class
        st64  r8, [r0 - 8]
        shli  r9, r9, 3
        la    r11, heads + 8
        add   r11, r11, r9      # r11: &heads[class]
        ld64  r9, [r11]         # push
        st64  r9, [r0]
        st64  r0, [r11]
1:      ret
2:      trap  TRAP_BAD_FREE     # double free, or not a block

# size_t malloc_usable_size(void *p): the capacity of p's block (0 for
# NULL): realloc within it never moves the block.
malloc_usable_size:
        beqz  r0, 1f
        ld64  r0, [r0 - 16]
1:      ret

# void *calloc(size_t n, size_t size): a zeroed block of n*size bytes, or
# NULL if that overflows or memory runs out.
calloc:
        enter 16
        st64  r16, [fp - 8]
        mul   r16, r0, r1
        beqz  r0, 1f
        divu  r8, r16, r0
        bne   r8, r1, 2f        # overflow
1:      mov   r0, r16
        call  malloc
        beqz  r0, 3f
        li    r1, 0
        mov   r2, r16
        call  memset
        b     3f
2:      li    r0, 0
3:      ld64  r16, [fp - 8]
        leave
        ret

# void *realloc(void *p, size_t n): p's block resized to n bytes, the
# contents kept up to the smaller size; p itself when its block is large
# enough. realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns
# NULL. If memory runs out it returns NULL and p is untouched.
realloc:
        enter 16
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        mov   r16, r0
        mov   r17, r1
        bnez  r16, 1f
        mov   r0, r17
        call  malloc
        b     9f
1:      bnez  r17, 2f
        call  free
        li    r0, 0
        b     9f
2:      ld64  r8, [r16 - 16]    # capacity
        mov   r0, r16
        bleu  r17, r8, 9f
        mov   r0, r17
        call  malloc
        beqz  r0, 9f
        mov   r17, r0
        mov   r1, r16
        ld64  r2, [r16 - 16]
        call  memcpy
        mov   r0, r16
        call  free
        mov   r0, r17
9:      ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        leave
        ret

        .bss
        .align 16
heads:  .zero 8 * NCLASS        # free list of each class
top:    .zero 16                # top of the heap in use, end of the heap owned
