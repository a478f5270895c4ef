/**
 * Two outputs side by side with what changed marked: the words the second drops as `<del>` on
 * the left, the words it adds as `<ins>` on the right; every piece of text escaped through
 * `html`. Diffing two long, unlike texts word by word costs seconds, so each diff has a time
 * limit, after which the texts are diffed line by line, and a page a budget: past it, or when
 * the lines take too long too, the texts are shown plain, and the page says so.
 */
import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff'
import { html, type Markup } from '../html/escape.js'

/** Milliseconds one diff may take before it gives up (words, then again by lines). */
const DIFF_TIMEOUT_MS = 25

/** Milliseconds a page's diffs may take together; the rest are shown plain. */
export const PAGE_DIFF_BUDGET_MS = 400

/** What a page's diffs have spent; one per rendered page. */
export class DiffBudget {
  private spent = 0
  constructor(private readonly limitMs: number = PAGE_DIFF_BUDGET_MS) {}

  /** Whether the page's diffs have used up their time. */
  get exhausted(): boolean {
    return this.spent >= this.limitMs
  }

  /** Runs `work` and counts its time against the budget. */
  run<T>(work: () => T): T {
    const start = performance.now()
    try {
      return work()
    } finally {
      this.spent += performance.now() - start
    }
  }
}

/** Both sides of a diff as markup, and whether the marks are there. */
export interface DiffedPair {
  readonly before: Markup
  readonly after: Markup
  /** Why the texts are shown without marks; null when they are diffed. */
  readonly plain: string | null
}

/** `before` and `after` marked up: deletions on the left, insertions on the right. */
export function diffPair(before: string, after: string, budget: DiffBudget): DiffedPair {
  const plain = (why: string) => ({ before: html`${before}`, after: html`${after}`, plain: why })
  if (budget.exhausted) return plain('not diffed: this page spent its time on the diffs above')
  const changes = budget.run(
    () =>
      diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS }) ??
      diffLines(before, after, { timeout: DIFF_TIMEOUT_MS }),
  )
  if (changes === undefined) return plain('not diffed: the outputs are too different')
  return { before: side(changes, 'removed'), after: side(changes, 'added'), plain: null }
}

function side(changes: readonly ChangeObject<string>[], marked: 'added' | 'removed'): Markup {
  const other = marked === 'added' ? 'removed' : 'added'
  return html`${changes.map((c) => {
    if (c[other]) return null
    if (!c[marked]) return c.value
    return marked === 'added' ? html`<ins>${c.value}</ins>` : html`<del>${c.value}</del>`
  })}`
}
