# ctype.s: character classes of the C locale, for bytes 0..255 (anything
# above 127 is in no class). Each returns 1 or 0.

        .text
        .global isdigit, isalpha, isalnum, isspace, isupper, islower, isxdigit, toupper, tolower

# int isdigit(int c): '0'..'9'
isdigit:
        addi  r0, r0, -'0'
        sltui r0, r0, 10
        ret

# int isupper(int c): 'A'..'Z'
isupper:
        addi  r0, r0, -'A'
        sltui r0, r0, 26
        ret

# int islower(int c): 'a'..'z'
islower:
        addi  r0, r0, -'a'
        sltui r0, r0, 26
        ret

# int isalpha(int c): a letter
isalpha:
        ori   r1, r0, 0x20
        addi  r1, r1, -'a'
        sltui r1, r1, 26
        li    r2, 0x7f          # only ASCII: 0xc1 | 0x20 is not a letter
        sleu  r2, r0, r2
        and   r0, r1, r2
        ret

# int isalnum(int c): a letter or a digit
isalnum:
        addi  r1, r0, -'0'
        sltui r1, r1, 10
        ori   r2, r0, 0x20
        addi  r2, r2, -'a'
        sltui r2, r2, 26
        li    r3, 0x7f
        sleu  r3, r0, r3
        and   r2, r2, r3
        or    r0, r1, r2
        ret

# int isxdigit(int c): 0-9, a-f, A-F
isxdigit:
        addi  r1, r0, -'0'
        sltui r1, r1, 10
        ori   r2, r0, 0x20
        addi  r2, r2, -'a'
        sltui r2, r2, 6
        li    r3, 0x7f
        sleu  r3, r0, r3
        and   r2, r2, r3
        or    r0, r1, r2
        ret

# int isspace(int c): ' ', \t \n \v \f \r
isspace:
        seqi  r1, r0, ' '
        addi  r2, r0, -9
        sltui r2, r2, 5
        or    r0, r1, r2
        ret

# int toupper(int c): c, with 'a'..'z' made upper case
toupper:
        addi  r1, r0, -'a'
        sltui r1, r1, 26
        beqz  r1, 1f
        addi  r0, r0, 'A' - 'a'
1:      ret

# int tolower(int c): c, with 'A'..'Z' made lower case
tolower:
        addi  r1, r0, -'A'
        sltui r1, r1, 26
        beqz  r1, 1f
        addi  r0, r0, 'a' - 'A'
1:      ret
