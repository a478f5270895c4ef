// `shipgate select` (issue 6) over a repository of 5,000 files and 200 suites, run by
// bench/run.mjs: the whole CLI run, after 20 files changed on a branch. Median of 5 runs.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../bin/shipgate.js', import.meta.url))

export function repo(files, suites) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-select-bench-'))
  const write = (path, text) => {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  const lines = ['version: 1', 'providers:', '  bot: { type: mock }', 'prompts:']
  for (let i = 0; i < suites; i++) lines.push(`  p${i}: { user: { file: prompts/p${i}.liquid } }`)
  lines.push('suites:')
  for (let i = 0; i < suites; i++) {
    lines.push(
      `  s${i}: { prompt: p${i}, provider: bot, cases: cases/s${i}.yaml, depends_on: ["src/m${i % 50}/**"] }`,
    )
    write(`prompts/p${i}.liquid`, `Prompt ${i}: {{ n }}\n`)
    write(`cases/s${i}.yaml`, `- vars: { n: ${i} }\n`)
  }
  write('shipgate.yaml', `${lines.join('\n')}\n`)
  for (let i = 0; i < files - 2 * suites - 1; i++) {
    write(`src/m${i % 50}/f${i}.ts`, `export const v${i} = ${i}\n`)
  }
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('-c', 'user.email=b@example.com', '-c', 'user.name=b', 'commit', '-q', '-m', 'base')
  git('checkout', '-q', '-b', 'change')
  for (let i = 0; i < 20; i++) write(`src/m${i}/f${i}.ts`, `export const v${i} = ${i + 1}\n`)
  return dir
}

/** Milliseconds of `shipgate select --since main` (median), and how many suites it selected. */
export function selectBench(files = 5_000, suites = 200, runs = 5) {
  const dir = repo(files, suites)
  try {
    const times = []
    let selected = 0
    for (let r = 0; r < runs; r++) {
      const started = process.hrtime.bigint()
      const result = spawnSync(process.execPath, [BIN, 'select', '--since', 'main', '--json'], {
        cwd: dir,
        encoding: 'utf8',
      })
      times.push(Number(process.hrtime.bigint() - started) / 1e6)
      if (result.status !== 0) throw new Error(`select exited ${result.status}: ${result.stderr}`)
      selected = JSON.parse(result.stdout).suites.length
    }
    times.sort((a, b) => a - b)
    return { ms: times[Math.floor(runs / 2)], selected }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
