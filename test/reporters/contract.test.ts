/**
 * The reporter contract, run against every run reporter: the file reporters behind `-o`
 * (json, junit, markdown), the terminal summary, and the progress line (plain and TTY).
 *
 * There is no keyed builtin map of run reporters to type this list against: the CLI builds the
 * file reporters from a private map by extension (`cli/outputs.ts`) and terminal and progress
 * inline (`cli/commands/eval.ts`). A reporter added there must be added here by hand.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import type { Reporter } from '../../src/contracts/reporter.js'
import { jsonFileReporter } from '../../src/reporters/json.js'
import { junitFileReporter } from '../../src/reporters/junit.js'
import { markdownFileReporter } from '../../src/reporters/markdown.js'
import { progressReporter } from '../../src/reporters/progress.js'
import { terminalReporter } from '../../src/reporters/terminal.js'
import { reporterContract, type ReporterHarness } from '../contract/reporter.contract.js'

const dir = mkdtempSync(join(tmpdir(), 'shipgate-reporter-contract-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

/** A file reporter writing a fresh file under the temp dir. */
function file(
  format: ReporterHarness['format'],
  make: (path: string) => Reporter,
): ReporterHarness {
  return {
    format,
    lists: 'every',
    make() {
      const path = join(dir, `out-${(files += 1)}`)
      return { reporter: make(path), written: () => Promise.resolve(readFileSync(path, 'utf8')) }
    },
  }
}

/** A reporter writing text to a stream, kept in memory. */
function stream(
  lists: ReporterHarness['lists'],
  make: (write: (text: string) => void) => Reporter,
): ReporterHarness {
  return {
    format: 'text',
    lists,
    make() {
      let text = ''
      return { reporter: make((t) => (text += t)), written: () => Promise.resolve(text) }
    },
  }
}

/** A clock that moves 10 s per reading, so the progress line is drawn on every sample. */
function ticking(): () => number {
  let now = 0
  return () => (now += 10_000)
}

const REPORTERS: Readonly<Record<string, ReporterHarness>> = {
  json: file('json', jsonFileReporter),
  junit: file('junit', junitFileReporter),
  markdown: {
    ...file('markdown', markdownFileReporter),
    // A summary: it lists the failing (and flaky) cases, not every one.
    lists: 'failing',
  },
  terminal: stream('failing', (write) => terminalReporter({ write })),
  progress: stream('none', (write) => progressReporter({ write, tty: false, now: ticking() })),
  'progress (tty)': stream('none', (write) =>
    progressReporter({ write, tty: true, now: ticking(), columns: 60 }),
  ),
}

for (const [name, harness] of Object.entries(REPORTERS)) reporterContract(name, harness)
