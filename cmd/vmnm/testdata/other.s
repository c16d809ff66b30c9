# other.s: a second archive member, defining helper and extern_obj for
# kinds.s.

        .global helper, extern_obj
        .text
helper: li    r0, 1
        ret

        .data
extern_obj: .quad 7
