# nbody: the Benchmarks Game's n-body, in linkvm assembly.
#
# Models the orbits of the Jovian planets with the reference programs'
# simple symplectic integrator: the Sun, Jupiter, Saturn, Uranus and
# Neptune, with the reference constants; the Sun's velocity is offset so
# that the total momentum is zero; the energy of the system is printed
# with "%.9f" before and after N steps of advance(0.01):
#
#   -0.169075164
#   -0.169087605
#
# Every floating-point operation is done in the reference program's order
# (the C program by Christoph Bauer: distance = sqrt(dx*dx + dy*dy +
# dz*dz), mag = dt / (distance * distance * distance), ...). linkvm's
# doubles are IEEE-754 binary64 with no fused multiply-add, so the output
# is the reference's, bit for bit.
#
# N must be a whole number >= 0: anything else prints the usage line and
# exits with 2.

        .equ  NBODIES, 5
        .equ  X, 0              # struct body { double x, y, z, vx, vy, vz, mass; }
        .equ  Y, 8
        .equ  Z, 16
        .equ  VX, 24
        .equ  VY, 32
        .equ  VZ, 40
        .equ  MASS, 48
        .equ  BODY_SIZE, 56

        .text
        .global main

# int main(int argc, char **argv)
main:
        enter 32                # 2 saved registers above 1 printf slot
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        call  parse_n
        li    r8, 0
        blt   r0, r8, .Lusage   # no N, or a negative one
        mov   r16, r0           # r16: steps left
        call  init_bodies
        call  offset_momentum
        call  energy
        st64  r0, [sp]
        la    r0, fmt_energy
        call  printf
        fli   r17, 0.01         # r17: dt
        beqz  r16, 2f
1:      mov   r0, r17
        call  advance
        addi  r16, r16, -1
        bnez  r16, 1b
2:      call  energy
        st64  r0, [sp]
        la    r0, fmt_energy
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
        ld64  r17, [fp - 16]
        leave
        ret

# void init_bodies(void): scales the table's velocities (in AU per day)
# by DAYS_PER_YEAR and its masses (in solar masses) by SOLAR_MASS =
# 4 * PI * PI, as the reference's initializers do, each product rounded
# once.
init_bodies:
        fli   r8, 4.0
        fli   r9, 3.141592653589793     # PI
        fmul  r8, r8, r9
        fmul  r8, r8, r9                # r8: SOLAR_MASS = (4 * PI) * PI
        fli   r9, 365.24                # r9: DAYS_PER_YEAR
        la    r10, bodies
        addi  r11, r10, NBODIES * BODY_SIZE
1:      ld64  r12, [r10 + VX]
        fmul  r12, r12, r9
        st64  r12, [r10 + VX]
        ld64  r12, [r10 + VY]
        fmul  r12, r12, r9
        st64  r12, [r10 + VY]
        ld64  r12, [r10 + VZ]
        fmul  r12, r12, r9
        st64  r12, [r10 + VZ]
        ld64  r12, [r10 + MASS]
        fmul  r12, r12, r8
        st64  r12, [r10 + MASS]
        addi  r10, r10, BODY_SIZE
        bltu  r10, r11, 1b
        la    r10, solar_mass
        st64  r8, [r10]
        ret

# void offset_momentum(void): gives the Sun the velocity that makes the
# total momentum zero: v_sun = -p / SOLAR_MASS, p = sum of v * mass.
offset_momentum:
        li    r0, 0             # px, py, pz = 0.0 (all bits zero)
        li    r1, 0
        li    r2, 0
        la    r10, bodies
        addi  r11, r10, NBODIES * BODY_SIZE
1:      ld64  r12, [r10 + MASS]
        ld64  r13, [r10 + VX]
        fmul  r13, r13, r12
        fadd  r0, r0, r13       # px += vx * mass
        ld64  r13, [r10 + VY]
        fmul  r13, r13, r12
        fadd  r1, r1, r13       # py += vy * mass
        ld64  r13, [r10 + VZ]
        fmul  r13, r13, r12
        fadd  r2, r2, r13       # pz += vz * mass
        addi  r10, r10, BODY_SIZE
        bltu  r10, r11, 1b
        la    r10, solar_mass
        ld64  r12, [r10]
        la    r10, bodies       # the Sun is bodies[0]
        fneg  r0, r0
        fdiv  r0, r0, r12
        st64  r0, [r10 + VX]    # vx = -px / SOLAR_MASS
        fneg  r1, r1
        fdiv  r1, r1, r12
        st64  r1, [r10 + VY]
        fneg  r2, r2
        fdiv  r2, r2, r12
        st64  r2, [r10 + VZ]
        ret

# double energy(void): the kinetic energy of every body minus the
# potential energy of every pair.
energy:
        li    r0, 0             # r0: e = 0.0
        fli   r15, 0.5
        la    r10, bodies       # r10: body i
        addi  r11, r10, NBODIES * BODY_SIZE
1:      ld64  r12, [r10 + MASS] # r12: mass i
        ld64  r1, [r10 + VX]    # e += 0.5 * mass * (vx*vx + vy*vy + vz*vz)
        fmul  r1, r1, r1
        ld64  r2, [r10 + VY]
        fmul  r2, r2, r2
        fadd  r1, r1, r2
        ld64  r2, [r10 + VZ]
        fmul  r2, r2, r2
        fadd  r1, r1, r2
        fmul  r2, r15, r12
        fmul  r1, r2, r1
        fadd  r0, r0, r1
        ld64  r3, [r10 + X]     # r3, r4, r5: x, y, z of body i
        ld64  r4, [r10 + Y]
        ld64  r5, [r10 + Z]
        addi  r13, r10, BODY_SIZE       # r13: body j, for j > i
        bgeu  r13, r11, 3f
2:      ld64  r1, [r13 + X]     # e -= (mass i * mass j) / distance
        fsub  r1, r3, r1        # dx
        fmul  r1, r1, r1
        ld64  r2, [r13 + Y]
        fsub  r2, r4, r2        # dy
        fmul  r2, r2, r2
        fadd  r1, r1, r2
        ld64  r2, [r13 + Z]
        fsub  r2, r5, r2        # dz
        fmul  r2, r2, r2
        fadd  r1, r1, r2
        fsqrt r1, r1            # distance
        ld64  r2, [r13 + MASS]
        fmul  r2, r12, r2
        fdiv  r2, r2, r1
        fsub  r0, r0, r2
        addi  r13, r13, BODY_SIZE
        bltu  r13, r11, 2b
3:      addi  r10, r10, BODY_SIZE
        bltu  r10, r11, 1b
        ret

# void advance(double dt): one step. For every pair (i, j), i < j, the
# velocities change by the pull of the other body, with the reference
# programs' mag = dt / (d2 * sqrt(d2)) and each body's mass times mag
# computed once per pair; then every position moves by dt * velocity. Body i's position, velocity and mass stay in
# registers while it meets every j; its velocity is stored after, which
# leaves the order of the operations unchanged.
advance:
        enter 48
        st64  r16, [fp - 8]
        st64  r17, [fp - 16]
        st64  r18, [fp - 24]
        st64  r19, [fp - 32]
        st64  r20, [fp - 40]
        la    r10, bodies       # r10: body i
        addi  r11, r10, NBODIES * BODY_SIZE
1:      ld64  r1, [r10 + X]     # r1-r3: x, y, z of body i
        ld64  r2, [r10 + Y]
        ld64  r3, [r10 + Z]
        ld64  r4, [r10 + VX]    # r4-r6: its velocity
        ld64  r5, [r10 + VY]
        ld64  r6, [r10 + VZ]
        ld64  r7, [r10 + MASS]  # r7: its mass
        addi  r12, r10, BODY_SIZE       # r12: body j, for j > i
        bgeu  r12, r11, 3f
2:      ld64  r13, [r12 + X]
        fsub  r13, r1, r13      # r13: dx
        ld64  r14, [r12 + Y]
        fsub  r14, r2, r14      # r14: dy
        ld64  r15, [r12 + Z]
        fsub  r15, r3, r15      # r15: dz
        fmul  r8, r13, r13      # d2 = dx*dx + dy*dy + dz*dz
        fmul  r9, r14, r14
        fadd  r8, r8, r9
        fmul  r9, r15, r15
        fadd  r8, r8, r9
        fsqrt r9, r8            # mag = dt / (d2 * sqrt(d2))
        fmul  r9, r8, r9
        fdiv  r16, r0, r9       # r16: mag
        ld64  r17, [r12 + MASS]
        fmul  r17, r17, r16     # r17: mass j * mag
        fmul  r8, r13, r17      # vi -= d * (mass j * mag)
        fsub  r4, r4, r8
        fmul  r8, r14, r17
        fsub  r5, r5, r8
        fmul  r8, r15, r17
        fsub  r6, r6, r8
        fmul  r16, r7, r16      # r16: mass i * mag
        ld64  r18, [r12 + VX]   # vj += d * (mass i * mag)
        ld64  r19, [r12 + VY]
        ld64  r20, [r12 + VZ]
        fmul  r8, r13, r16
        fadd  r18, r18, r8
        fmul  r8, r14, r16
        fadd  r19, r19, r8
        fmul  r8, r15, r16
        fadd  r20, r20, r8
        st64  r18, [r12 + VX]
        st64  r19, [r12 + VY]
        st64  r20, [r12 + VZ]
        addi  r12, r12, BODY_SIZE
        bltu  r12, r11, 2b
3:      st64  r4, [r10 + VX]
        st64  r5, [r10 + VY]
        st64  r6, [r10 + VZ]
        addi  r10, r10, BODY_SIZE
        bltu  r10, r11, 1b

        la    r10, bodies       # x += dt * vx, ...
4:      ld64  r4, [r10 + VX]
        fmul  r4, r0, r4
        ld64  r1, [r10 + X]
        fadd  r1, r1, r4
        st64  r1, [r10 + X]
        ld64  r5, [r10 + VY]
        fmul  r5, r0, r5
        ld64  r2, [r10 + Y]
        fadd  r2, r2, r5
        st64  r2, [r10 + Y]
        ld64  r6, [r10 + VZ]
        fmul  r6, r0, r6
        ld64  r3, [r10 + Z]
        fadd  r3, r3, r6
        st64  r3, [r10 + Z]
        addi  r10, r10, BODY_SIZE
        bltu  r10, r11, 4b
        ld64  r16, [fp - 8]
        ld64  r17, [fp - 16]
        ld64  r18, [fp - 24]
        ld64  r19, [fp - 32]
        ld64  r20, [fp - 40]
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

        .data
        .align 8
# The five bodies as the reference gives them: position in AU, velocity
# in AU per day and mass in solar masses; init_bodies converts the last
# two to the units of the model (years, and 4*PI*PI for the Sun's mass).
bodies:
        # the Sun
        .double 0, 0, 0
        .double 0, 0, 0
        .double 1.0
        # Jupiter
        .double 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01
        .double 1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05
        .double 9.54791938424326609e-04
        # Saturn
        .double 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01
        .double -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05
        .double 2.85885980666130812e-04
        # Uranus
        .double 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01
        .double 2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05
        .double 4.36624404335156298e-05
        # Neptune
        .double 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01
        .double 2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05
        .double 5.15138902046611451e-05

        .bss
        .align 8
solar_mass:
        .zero 8                 # SOLAR_MASS, computed by init_bodies

        .rodata
fmt_energy:
        .asciz "%.9f\n"
usage_msg:
        .asciz "usage: nbody N\n"
