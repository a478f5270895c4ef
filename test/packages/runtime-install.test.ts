/**
 * @shipgate/runtime installs slim. Packed as npm would publish it and installed from the
 * registry into an empty project, as a service would: at most 40 packages, nothing native, and
 * its types compile with `skipLibCheck: false` and none of its optional peers (Express, Hono,
 * ioredis). Needs the built package (`npm run build`) and the npm registry or npm's cache.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PACKAGE = join(ROOT, 'packages', 'runtime')
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const MAX_PACKAGES = 40
const PEERS = ['express', 'hono', 'ioredis']

/** What `npm pack --json` says of the tarball. */
interface Packed {
  readonly filename: string
  readonly files: readonly { readonly path: string }[]
}

/** A lockfile entry of an installed package. */
interface Locked {
  readonly hasInstallScript?: boolean
}

const temp = mkdtempSync(join(tmpdir(), 'shipgate-runtime-install-'))
const service = join(temp, 'service')
let packed: Packed
let locked: Record<string, Locked>

beforeAll(async () => {
  if (!existsSync(join(PACKAGE, 'dist', 'index.d.ts'))) throw new Error('run `npm run build` first')
  const [info] = JSON.parse(
    await npm(PACKAGE, 'pack', '--json', '--ignore-scripts', '--pack-destination', temp),
  ) as Packed[]
  packed = info!
  mkdirSync(service)
  writeJson(join(service, 'package.json'), {
    name: 'service',
    version: '1.0.0',
    private: true,
    type: 'module',
  })
  await npm(
    service,
    'install',
    join(temp, packed.filename),
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
  )
  const lock = JSON.parse(readFileSync(join(service, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, Locked>
  }
  locked = Object.fromEntries(Object.entries(lock.packages).filter(([path]) => path !== ''))
}, 300_000)

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('the @shipgate/runtime tarball', () => {
  it('holds the built code, the price data and its licence, and no sources or tests', () => {
    const files = packed.files.map((f) => f.path)
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'data/model-prices.json',
        'data/model-prices.LICENSE.txt',
        'data/README.md',
      ]),
    )
    const unwanted = files.filter((f) =>
      /^src\/|(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.|tsbuildinfo$/.test(f),
    )
    expect(unwanted).toEqual([])
  })

  it('holds every file its exports point at', () => {
    const manifest = readJson(join(PACKAGE, 'package.json')) as {
      exports: Record<string, string | Record<string, string>>
    }
    const targets = Object.values(manifest.exports).flatMap((entry) =>
      typeof entry === 'string'
        ? [entry]
        : Object.entries(entry)
            .filter(([condition]) => condition !== '@shipgate/source')
            .map(([, target]) => target),
    )
    const files = new Set(packed.files.map((f) => f.path))
    expect(targets.filter((t) => !files.has(t.replace(/^\.\//, '')))).toEqual([])
  })

  it('has types that never name an optional peer', () => {
    const named = packed.files
      .filter((f) => f.path.endsWith('.d.ts'))
      .filter((f) => PEERS.some((peer) => readPacked(f.path).includes(`'${peer}'`)))
    expect(named.map((f) => f.path)).toEqual([])
  })
})

describe('@shipgate/runtime installed into an empty project', () => {
  it(`adds at most ${MAX_PACKAGES} packages, none of the optional peers`, () => {
    const names = Object.keys(locked)
    expect(names).toContain('node_modules/@shipgate/runtime')
    expect(names.length).toBeLessThanOrEqual(MAX_PACKAGES)
    for (const peer of PEERS) expect(names).not.toContain(`node_modules/${peer}`)
  })

  it('builds nothing native: no install scripts, binding.gyp or .node files', () => {
    const scripted = Object.keys(locked).filter((path) => {
      const manifest = readJson(join(service, path, 'package.json')) as {
        scripts?: Record<string, string>
      }
      const scripts = manifest.scripts ?? {}
      return (
        locked[path]!.hasInstallScript === true ||
        ['preinstall', 'install', 'postinstall'].some((s) => s in scripts) ||
        existsSync(join(service, path, 'binding.gyp'))
      )
    })
    expect(scripted).toEqual([])
    expect(filesEndingWith(join(service, 'node_modules'), '.node')).toEqual([])
  })

  it('compiles a service with strict, skipLibCheck: false and only Node types', async () => {
    writeFileSync(
      join(service, 'service.ts'),
      "import { createRuntimeHandler, createTelemetry } from '@shipgate/runtime'\n" +
        "export const runtime = createRuntimeHandler({ telemetry: createTelemetry({ service: 's', version: '1', release: 'r' }) })\n",
    )
    writeFileSync(
      join(service, 'entries.ts'),
      [
        "import { createRateLimiter, FileFlagProvider } from '@shipgate/runtime'",
        "import { expressMiddleware } from '@shipgate/runtime/express'",
        "import { honoMiddleware } from '@shipgate/runtime/hono'",
        "import { readRollout } from '@shipgate/runtime/flags'",
        "import { costOf, createPriceLookup } from '@shipgate/runtime/pricing'",
        "import { ShipgateError } from '@shipgate/runtime/internal'",
        'export const entries = [createRateLimiter, FileFlagProvider, expressMiddleware,',
        '  honoMiddleware, readRollout, costOf, createPriceLookup, ShipgateError]',
        '',
      ].join('\n'),
    )
    writeJson(join(service, 'tsconfig.json'), {
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2023'],
        types: ['node'],
        // @types/node from the repository, so the project installs nothing but the tarball.
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        noEmit: true,
      },
      include: ['*.ts'],
    })
    // tsc prints its errors on stdout and exits 2; show them rather than the exit code.
    const { stdout } = await run(process.execPath, [TSC, '-p', service]).catch(
      (error: Error & { stdout?: string }) => ({ stdout: error.stdout ?? error.message }),
    )
    expect(stdout).toBe('')
  })

  it('runs: /health answers and the vendored price table is found', async () => {
    writeFileSync(
      join(service, 'check.mjs'),
      [
        "import { createRuntimeHandler, createTelemetry } from '@shipgate/runtime'",
        "import { createPriceLookup } from '@shipgate/runtime/pricing'",
        "import '@shipgate/runtime/express'",
        "const telemetry = createTelemetry({ service: 's', version: '1', release: 'r' })",
        "const health = await createRuntimeHandler({ telemetry })(new Request('http://localhost/health'))",
        "const price = createPriceLookup()('anthropic', 'claude-3-5-haiku-20241022')",
        'console.log(JSON.stringify({ health: health?.status, priced: price !== undefined }))',
        '',
      ].join('\n'),
    )
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: service })
    expect(JSON.parse(stdout)).toEqual({ health: 200, priced: true })
  })

  it('says ioredis is missing when a limiter is given a Redis URL, and applies onError', async () => {
    writeFileSync(
      join(service, 'redis.mjs'),
      [
        "import { createRateLimiter } from '@shipgate/runtime'",
        'const warnings = []',
        'const limiter = createRateLimiter({ rate: 1, burst: 1, redisUrl: "redis://127.0.0.1:9",',
        '  onError: "deny", logger: { warn: (m) => warnings.push(m) } })',
        "const { allowed } = await limiter.take('user')",
        'await limiter.close()',
        'console.log(JSON.stringify({ allowed, warnings }))',
        '',
      ].join('\n'),
    )
    const { stdout } = await run(process.execPath, ['redis.mjs'], { cwd: service })
    const answer = JSON.parse(stdout) as { allowed: boolean; warnings: string[] }
    expect(answer.allowed).toBe(false)
    expect(answer.warnings).toHaveLength(1)
    expect(answer.warnings[0]).toContain('ioredis is not installed')
    expect(answer.warnings[0]).toContain('npm install ioredis')
  })
})

/** Runs npm in `cwd` without the variables an enclosing `npm test` sets (its prefix above all). */
async function npm(cwd: string, ...args: string[]): Promise<string> {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_registry'])
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.has(key)),
  )
  const { stdout } = await run('npm', args, { cwd, env, maxBuffer: 16 * 1024 * 1024 })
  return stdout
}

/** A file of the package as installed from the tarball. */
function readPacked(path: string): string {
  return readFileSync(join(service, 'node_modules', '@shipgate', 'runtime', path), 'utf8')
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
}

function filesEndingWith(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix))
}
