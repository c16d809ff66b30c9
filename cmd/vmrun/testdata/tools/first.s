# first.vso for reload.s: f returns 1. Its 4000 bytes of data are part of
# the process's memory while it is loaded.
        .text
        .global f
f:
        li    r0, 1
        ret

        .data
buf:    .zero 4000
