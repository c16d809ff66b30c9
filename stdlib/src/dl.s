# dl.s: the dynamic loading calls (system calls 10..13, docs/linking.md):
# dlopen, dlsym, dlclose, dlerror.

        .text
        .global dlopen, dlsym, dlclose, dlerror

# void *dlopen(const char *name, int flags): a handle, or NULL (see dlerror).
dlopen:
        sys   10
        ret

# void *dlsym(void *handle, const char *name): the symbol's address, or NULL.
dlsym:
        sys   11
        ret

# int dlclose(void *handle): 0, or -1.
dlclose:
        sys   12
        ret

# char *dlerror(void): the last error as a NUL-terminated string (cut to
# 255 bytes, in a static buffer the next call overwrites), or NULL if
# there was none since the last call.
dlerror:
        la    r1, buf
        mov   r0, r1
        li    r2, 255
        sys   13                # the error's full length, 0 if none
        beqz  r0, 2f
        li    r8, 255
        bleu  r0, r8, 1f
        mov   r0, r8
1:      la    r1, buf
        add   r8, r1, r0
        li    r9, 0
        st8   r9, [r8]
        mov   r0, r1
        ret
2:      li    r0, 0
        ret

        .bss
buf:    .zero 256
