# rand.s: rand and srand, a deterministic xorshift64* generator (Vigna):
#
#   state ^= state >> 12; state ^= state << 25; state ^= state >> 27
#   rand() = (state * 0x2545F4914F6CDD1D) >> 33      in 0..RAND_MAX
#
# RAND_MAX is 0x7fffffff. srand(seed) sets state = seed ^ 0x9E3779B97F4A7C15
# (or that constant itself if the result is 0, which xorshift cannot
# leave). A program that never calls srand behaves as after srand(1).

        .text
        .global rand, srand

# int rand(void)
rand:
        la    r8, state
        ld64  r0, [r8]
        shri  r1, r0, 12
        xor   r0, r0, r1
        shli  r1, r0, 25
        xor   r0, r0, r1
        shri  r1, r0, 27
        xor   r0, r0, r1
        st64  r0, [r8]
        li64  r1, 0x2545F4914F6CDD1D
        mul   r0, r0, r1
        shri  r0, r0, 33
        ret

# void srand(unsigned seed)
srand:
        li64  r1, 0x9E3779B97F4A7C15
        xor   r0, r0, r1
        bnez  r0, 1f
        mov   r0, r1
1:      la    r8, state
        st64  r0, [r8]
        ret

        .data
        .align 8
state:  .quad 0x9E3779B97F4A7C14  # 1 ^ 0x9E3779B97F4A7C15
