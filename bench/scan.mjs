// Secret scan (issue 6), run by bench/run.mjs: `shipgate scan` over a generated git repository
// of N tracked source files of about 2 KB, one in 100 with a planted GitHub token. Timed in
// process (the library call `scanSecrets`: git ls-files, reads, secretlint's recommended rules,
// fingerprints) and as a whole CLI run (start-up and the bundle's load included).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scanSecrets } from '../dist/workflows/scan/index.js'
import { silentLogger } from '../dist/logger.js'

const BIN = fileURLToPath(new URL('../bin/shipgate.js', import.meta.url))

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** A token of the `ghp_` shape, built at run time so this file holds none. */
function token(i) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  const body = Array.from({ length: 36 }, (_, k) => alphabet[(i * 31 + k * 7) % alphabet.length])
  return `gh${'p'}_${body.join('')}`
}

/** A git repository of `n` files of ~2 KB in 20 directories; every 100th holds a token. */
function tree(n) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-scan-'))
  const line = (i, k) =>
    `export const value${k} = compute(${i}, ${k}) // ordinary code, no secret\n`
  for (let i = 0; i < n; i++) {
    const sub = join(dir, 'src', `d${i % 20}`)
    mkdirSync(sub, { recursive: true })
    let text = Array.from({ length: 28 }, (_, k) => line(i, k)).join('')
    if (i % 100 === 0) text += `const token = '${token(i)}'\n`
    writeFileSync(join(sub, `f${i}.ts`), text)
  }
  execFileSync('git', ['init', '-q'], { cwd: dir })
  execFileSync('git', ['add', '.'], { cwd: dir })
  return dir
}

/** Scans a generated tree of `n` files `runs` times: median files/s in process, and CLI ms. */
export async function scanBench(n = 2000, runs = 3) {
  const dir = tree(n)
  try {
    const times = []
    let findings = 0
    for (let r = 0; r < runs; r++) {
      const started = performance.now()
      const report = await scanSecrets({ cwd: dir, env: {}, logger: silentLogger })
      times.push(performance.now() - started)
      findings = report.findings.length
      if (report.filesScanned !== n) throw new Error(`scanned ${report.filesScanned} of ${n}`)
    }
    const cli = Array.from({ length: runs }, () => {
      const started = performance.now()
      const result = spawnSync(process.execPath, [BIN, 'scan'], { cwd: dir, stdio: 'ignore' })
      if (result.status !== 1) throw new Error(`shipgate scan exited ${result.status}, not 1`)
      return performance.now() - started
    })
    const ms = median(times)
    return { files: n, findings, ms, filesPerSecond: n / (ms / 1000), cliMs: median(cli) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
