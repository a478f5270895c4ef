/**
 * The reporter contract, run against every builtin run reporter through the builtin map: json,
 * junit, markdown and html to a file (what `-o` writes) and to a stream, the terminal summary, and the
 * progress line (plain and TTY, on a clock that ticks so every sample draws).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import type { Reporter, ReporterFactory } from '../../src/contracts/reporter.js'
import { builtinReporters, type ReporterName } from '../../src/reporters/index.js'
import { progressReporter } from '../../src/reporters/progress.js'
import { reporterContract, type ReporterHarness } from '../contract/reporter.contract.js'

const dir = mkdtempSync(join(tmpdir(), 'shipgate-reporter-contract-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

/** The builtin `name`'s factory, loaded through the map. */
const factories = Object.fromEntries(
  await Promise.all(
    Object.entries(builtinReporters).map(async ([name, load]) => [name, await load()] as const),
  ),
) as Record<ReporterName, ReporterFactory>

/** A builtin writing a fresh file under the temp dir, as `-o` makes it. */
function file(
  name: ReporterName,
  format: ReporterHarness['format'],
  lists: ReporterHarness['lists'] = 'every',
): ReporterHarness {
  return {
    format,
    lists,
    make() {
      const path = join(dir, `out-${(files += 1)}`)
      const reporter = factories[name]({ file: path })
      return { reporter, written: () => Promise.resolve(readFileSync(path, 'utf8')) }
    },
  }
}

/** A reporter writing text to a stream, kept in memory. */
function stream(
  lists: ReporterHarness['lists'],
  make: (write: (text: string) => void) => Reporter,
  format: ReporterHarness['format'] = 'text',
): ReporterHarness {
  return {
    format,
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

/** Every builtin, with each of its outputs; a builtin missing here fails the typecheck. */
const REPORTERS: Record<ReporterName, Readonly<Record<string, ReporterHarness>>> = {
  json: {
    json: file('json', 'json'),
    'json (stream)': stream('every', (write) => factories.json({ write }), 'json'),
  },
  junit: { junit: file('junit', 'junit') },
  // A summary: it lists the failing (and flaky) cases, not every one.
  markdown: { markdown: file('markdown', 'markdown', 'failing') },
  // Failing and flaky cases first, so it names every case but not in declaration order.
  html: { html: file('html', 'html', 'failing') },
  terminal: { terminal: stream('failing', (write) => factories.terminal({ write })) },
  progress: {
    progress: stream('none', (write) => progressReporter({ write, tty: false, now: ticking() })),
    'progress (tty)': stream('none', (write) =>
      progressReporter({ write, tty: true, now: ticking(), columns: 60 }),
    ),
  },
}

for (const harnesses of Object.values(REPORTERS)) {
  for (const [name, harness] of Object.entries(harnesses)) reporterContract(name, harness)
}
