// A store shaped like a busy team's, for the viewer's benchmark and screenshots: runs an hour
// apart on main and feature branches, two suites of 25 cases with 2 samples each, outputs a few
// hundred characters long, a contains check and a judge's grade with its reason on each sample,
// and one large run of 2,000 cases × 3 samples. Written through the Store interface (any store).

const SUITE_NAMES = ['support', 'rag']
const BRANCHES = ['main', 'main', 'main', 'feature/retrieval', 'feature/tone', 'fix/refunds']
const BATCH = 2_000

/** A suite as a run plans it. */
function suiteInfo(name, repeat) {
  return {
    name,
    provider: { name: 'gpt', id: 'openai:gpt-4o-mini' },
    prompt: { name, version: 'v3' },
    threshold: 0.8,
    repeat,
    casePass: 'all',
    k: 1,
  }
}

/** A fixed pseudo-random stream (mulberry32), so every store built here is the same. */
function stream(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function output(random, caseId) {
  const n = 2 + Math.floor(random() * 4)
  const sentences = [
    `Thanks for reaching out about ${caseId}.`,
    'I have checked your order history and the refund was issued on the 3rd.',
    'It can take up to five business days to appear on your statement.',
    'If it has not arrived by then, reply here and I will escalate it to billing.',
    'You can also track the status from the Orders page under Refunds.',
  ]
  return sentences.slice(0, n).join(' ')
}

function sampleOf(random, suite, caseId, index, failRate) {
  const pass = random() >= failRate
  const judgeScore = pass ? 0.75 + random() * 0.25 : random() * 0.5
  const latencyMs = Math.round(300 + 900 * -Math.log(1 - random() * 0.999))
  return {
    suite,
    caseId,
    sample: index,
    output: output(random, caseId),
    pass,
    score: pass ? 1 : 0.5 * judgeScore,
    grades: [
      { type: 'contains', pass: true, score: 1, reason: 'found "refund"', weight: 1 },
      {
        type: 'llm-rubric',
        pass,
        score: judgeScore,
        reason: pass
          ? 'The answer states when the refund was issued and what to do next.'
          : 'The answer promises an escalation the policy does not allow.',
        weight: 1,
        judge: {
          provider: 'openai:gpt-4o',
          calls: 1,
          usage: { input: 410, output: 38, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
          costUsd: 0.00141,
          latencyMs: 620,
          cached: false,
        },
      },
    ],
    usage: { input: 212, output: 64, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    costUsd: 0.0000702,
    latencyMs,
    error: null,
    attempts: 1,
    cached: false,
  }
}

function summaryOf(suites, cases, samples, durationMs) {
  const passed = samples.filter((s) => s.pass).length
  const cost = samples.reduce((sum, s) => sum + s.costUsd, 0)
  return {
    suites,
    cases,
    samples: samples.length,
    passed,
    failed: samples.length - passed,
    errors: 0,
    costUsd: cost,
    judgeCostUsd: samples.length * 0.00141,
    durationMs,
    pass: passed / samples.length >= 0.8,
  }
}

/** One run: create, its samples in batches, finish. */
async function writeRun(store, { id, startedAt, branch, suites, cases, repeat, failRate, random }) {
  const planned = suites.flatMap((suite) =>
    Array.from({ length: cases }, (_, c) => ({
      suite,
      id: `${suite}-${String(c).padStart(4, '0')}`,
      vars: {
        question: `Where is my refund for order ${10_000 + c}?`,
        tier: c % 3 === 0 ? 'gold' : 'basic',
      },
      tags: c % 5 === 0 ? ['billing'] : [],
    })),
  )
  await store.runs.create(
    {
      id,
      startedAt,
      git: { commit: id.slice(-6).padEnd(40, '0'), branch, dirty: false },
      configHash: 'view-bench',
      shipgateVersion: '0.1.0',
      suites: suites.map((s) => suiteInfo(s, repeat)),
      owner: null,
    },
    planned,
  )
  const samples = []
  let batch = []
  for (const c of planned) {
    for (let i = 0; i < repeat; i++) {
      const s = sampleOf(random, c.suite, c.id, i, failRate)
      samples.push(s)
      batch.push(s)
      if (batch.length === BATCH) {
        await store.runs.appendSamples(id, batch)
        batch = []
      }
    }
  }
  if (batch.length > 0) await store.runs.appendSamples(id, batch)
  const durationMs = 40_000 + Math.round(random() * 20_000)
  await store.runs.finish(id, {
    status: random() < 0.03 ? 'interrupted' : 'completed',
    finishedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    summary: summaryOf(suites.length, planned.length, samples, durationMs),
  })
  return samples.length
}

/**
 * Fills `store` with `runs` runs (the last, newest one the large run) and returns the large
 * run's id and how many samples were written.
 */
export async function fillViewStore(store, { runs = 10_000, bigCases = 2_000, onProgress } = {}) {
  const random = stream(20261207)
  const start = Date.UTC(2025, 10, 1)
  let samples = 0
  let bigRunId = ''
  for (let i = 0; i < runs; i++) {
    const at = new Date(start + i * 3_600_000)
    const id = `${at.toISOString().slice(0, 10).replaceAll('-', '')}-${String(i).padStart(6, '0')}-view`
    const big = i === runs - 1
    if (big) bigRunId = id
    samples += await writeRun(store, {
      id,
      startedAt: at.toISOString(),
      branch: big ? 'main' : BRANCHES[i % BRANCHES.length],
      suites: big ? ['support'] : SUITE_NAMES,
      cases: big ? bigCases : 25,
      repeat: big ? 3 : 2,
      // A regression on some branches: the trend has something to show.
      failRate: big ? 0.06 : i % BRANCHES.length >= 3 ? 0.12 : 0.05,
      random,
    })
    if (onProgress !== undefined && i % 1000 === 999) onProgress(i + 1, samples)
  }
  return { bigRunId, samples }
}
