/**
 * The project the sharding tests run (test/e2e/shards.test.ts, shared-run.test.ts): 40 cases,
 * repeat 2 — `review` (30 cases; those ending in 3 or 7 fail: 0.8 ≥ 0.7 passes) and `answer`
 * (10 cases; those ending in 0 or 5 fail: 0.8 < 0.9 fails), so an unsharded run exits 1.
 */
import type { ResultsDocument, SuiteResult } from '../../src/contracts/results.js'
import { tempProject } from './project.js'

/** Options of {@link shardedProject}. */
export interface ShardedProjectOptions {
  /** Each answer takes this long, two at a time, so a shard can be stopped half-way. */
  readonly latencyMs?: number
  /** Tag answer case a4 `solo`. */
  readonly soloTag?: boolean
}

const jsonl = (prefix: string, n: number, extra: (i: number) => string = () => '') =>
  Array.from(
    { length: n },
    (_, i) => `{ "id": "${prefix}${i}", "vars": { "n": ${i} }${extra(i)} }`,
  ).join('\n')

/** A temp project of the two suites; returns its directory. */
export function shardedProject(options: ShardedProjectOptions = {}): string {
  const slow =
    options.latencyMs === undefined
      ? ''
      : `    latencyMs: ${options.latencyMs}\n    usage: { input: 100, output: 20 }\n`
  return tempProject({
    'shipgate.yaml': `version: 1
${options.latencyMs === undefined ? '' : 'runner: { concurrency: 2 }\n'}providers:
  bot:
    type: mock
    model: claude-3-5-haiku-20241022
    default: ok
${slow}    responses:
      - { regex: '^review \\d*[37]$', output: bad }
      - { regex: '^answer \\d*[05]$', output: bad }
prompts:
  review: { user: "review {{ n }}" }
  answer: { user: "answer {{ n }}" }
suites:
  review:
    prompt: review
    provider: bot
    cases: review.jsonl
    repeat: 2
    threshold: 0.7
    assert: [{ type: equals, value: ok }]
  answer:
    prompt: answer
    provider: bot
    cases: answer.jsonl
    repeat: 2
    threshold: 0.9
    assert: [{ type: equals, value: ok }]
`,
    'review.jsonl': jsonl('r', 30),
    'answer.jsonl': jsonl('a', 10, (i) =>
      options.soloTag === true && i === 4 ? ', "tags": ["solo"]' : '',
    ),
  })
}

/**
 * What must not depend on sharding: everything but ids, times, durations and latencies — the
 * summary, each suite's statistics, and each case's samples field by field.
 */
export function comparable(results: ResultsDocument) {
  const { durationMs: _duration, ...summary } = results.summary
  return {
    summary,
    suites: results.suites.map((s: SuiteResult) => {
      const { latencyMs: _latency, ...stats } = s.stats
      const { cases, stats: _stats, ...suite } = s
      return {
        ...suite,
        stats,
        cases: cases.map(({ samples, ...kase }) => ({
          ...kase,
          samples: samples.map(({ latencyMs: _ms, ...sample }) => sample),
        })),
      }
    }),
  }
}
