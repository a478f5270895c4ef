import { describe, expect, it } from 'vitest'
import { noMentions, oneLine, plainText } from '../../src/utils/sanitize.js'

describe('sanitizing untrusted text', () => {
  it('one line: breaks shown as ⏎, controls and bidi overrides as �, clipped', () => {
    expect(oneLine('a\n::error::x\r\nb\u2028c')).toBe('a ⏎ ::error::x ⏎ b ⏎ c')
    expect(oneLine('\u001b[31mred\u0007\u0000\u009b')).toBe('\ufffd[31mred\ufffd\ufffd\ufffd')
    expect(oneLine('user\u202etxt.exe\u2066\u200f')).toBe('user\ufffdtxt.exe\ufffd\ufffd')
    expect(oneLine('x'.repeat(1_000_000), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(oneLine('a\tb')).toBe('a b')
  })

  it('plain text keeps line breaks and tabs', () => {
    expect(plainText('a\n\tb\r\n\u001b\u202e')).toBe('a\n\tb\r\n\ufffd\ufffd')
  })

  it('mentions notify nobody', () => {
    expect(noMentions('hi @here, @octo-cat and @org/team; mail a@b.c; @ alone')).toBe(
      'hi @\u200dhere, @\u200docto-cat and @\u200dorg/team; mail a@\u200db.c; @ alone',
    )
  })
})
