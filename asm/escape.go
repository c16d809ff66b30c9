package asm

import (
	"fmt"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// unquote decodes a String or Char token, quotes included. On error it
// returns the offset in runes, from the token's start, of the bad escape and
// a message.
//
// Escapes: \n \t \r \0 \\ \" \' \xH or \xHH (hex), \N, \NN or \NNN (octal,
// at most 255).
func unquote(tok string) (out []byte, errAt int, msg string) {
	body := tok[1 : len(tok)-1]
	col := 1 // runes from the token start; the quote is rune 0
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			_, n := utf8.DecodeRuneInString(body[i:])
			out = append(out, body[i:i+n]...)
			i += n
			col++
			continue
		}
		start := col
		if i+1 >= len(body) {
			return nil, start, "unterminated escape sequence"
		}
		e := body[i+1]
		switch e {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case '\\', '"', '\'':
			out = append(out, e)
		case 'x':
			j := i + 2
			v := 0
			for j < len(body) && j < i+4 && isHex(body[j]) {
				v = v*16 + hexVal(body[j])
				j++
			}
			if j == i+2 {
				return nil, start, `\x escape needs one or two hex digits`
			}
			out = append(out, byte(v))
			col += j - i
			i = j
			continue
		default:
			if e >= '0' && e <= '7' {
				j := i + 1
				v := 0
				for j < len(body) && j < i+4 && body[j] >= '0' && body[j] <= '7' {
					v = v*8 + int(body[j]-'0')
					j++
				}
				if v > 255 {
					return nil, start, fmt.Sprintf(`octal escape \%s out of range (at most \377)`, body[i+1:j])
				}
				out = append(out, byte(v))
				col += j - i
				i = j
				continue
			}
			r, _ := utf8.DecodeRuneInString(body[i+1:])
			return nil, start, fmt.Sprintf(`unknown escape sequence \%c`, r)
		}
		i += 2
		col += 2
	}
	return out, 0, ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// advance moves a position right by n runes on the same line.
func advance(pos lexer.Position, n int) lexer.Position {
	pos.Column += n
	return pos
}

// charValue decodes a character literal: exactly one character (a byte from
// an escape, or one UTF-8 encoded rune, giving its code point).
func charValue(tok string) (int64, int, string) {
	b, at, msg := unquote(tok)
	if msg != "" {
		return 0, at, msg
	}
	if len(b) == 1 {
		return int64(b[0]), 0, ""
	}
	r, n := utf8.DecodeRune(b)
	if len(b) == 0 || n != len(b) || r == utf8.RuneError {
		return 0, 0, "character literal must hold exactly one character"
	}
	return int64(r), 0, ""
}
