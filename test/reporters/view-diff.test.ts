import { describe, expect, it } from 'vitest'
import { compactHtml } from '../../src/reporters/view/compact.js'
import { DiffBudget, diffPair } from '../../src/reporters/view/diff.js'

describe("the compare page's diff", () => {
  it('marks what B dropped on A and what it added on B, escaping every piece', () => {
    const pair = diffPair('say "hi" to <Ann>', 'say "bye" to <Bob> & co', new DiffBudget())
    expect(pair.plain).toBeNull()
    expect(pair.before.text).toBe('say &quot;<del>hi</del>&quot; to &lt;<del>Ann</del>&gt;')
    expect(pair.after.text).toBe(
      'say &quot;<ins>bye</ins>&quot; to &lt;<ins>Bob</ins>&gt;<ins> &amp; co</ins>',
    )
  })

  it('shows texts plain once the page spent its budget, and says why', () => {
    const budget = new DiffBudget(0)
    const pair = diffPair('a <b>', 'c <d>', budget)
    expect(pair.before.text).toBe('a &lt;b&gt;')
    expect(pair.after.text).toBe('c &lt;d&gt;')
    expect(pair.plain).toContain('not diffed')
  })

  it('gives up word by word on two long unlike texts quickly, and diffs their lines', () => {
    // Words drawn from a small vocabulary by a fixed LCG: unlike texts with much in common.
    const words = (start: number) => {
      let x = start
      return Array.from({ length: 3000 }, () => {
        x = (x * 1103515245 + 12345) % 2147483648
        return `w${x % 1000}`
      }).join(' ')
    }
    const started = performance.now()
    const pair = diffPair(words(1), words(2), new DiffBudget())
    expect(performance.now() - started).toBeLessThan(1000)
    // The word diff gave up; the line diff marks the one line as replaced.
    expect(pair.before.text).toBe(`<del>${words(1)}</del>`)
    expect(pair.after.text).toBe(`<ins>${words(2)}</ins>`)
  })
})

describe('compactHtml', () => {
  it('collapses the whitespace between tags but keeps <pre> as it is', () => {
    const page =
      '<div>\n    <p>a</p>\n  <pre class="output">  x\n\n  <del>y</del>\n  </pre>\n</div>'
    expect(compactHtml(page)).toBe(
      '<div> <p>a</p> <pre class="output">  x\n\n  <del>y</del>\n  </pre> </div>',
    )
  })
})
