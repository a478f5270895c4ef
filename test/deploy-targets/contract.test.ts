/** The deploy-target contract, run against command, kubernetes, local and flags. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TargetContext } from '../../src/contracts/deploy.js'
import { createTarget, stopLocalTarget } from '../../src/deploy-targets/index.js'
import type { TargetConfig } from '../../src/deploy-targets/schemas.js'
import { silentLogger } from '../../src/logger.js'
import {
  contractRelease,
  deployTargetContract,
  type TargetHarness,
} from '../contract/deploy-target.contract.js'
import { calls, context, fakeCli } from './helpers.js'

const deps = { logger: silentLogger }

function workspace(): { dir: string; ctx: TargetContext; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-contract-'))
  const ctx = context(dir, { PATH: process.env.PATH, HOME: dir })
  return { dir, ctx, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Calls that change something: everything but the read-only ones named. */
function mutating(dir: string, tool: string, readOnly: readonly string[]): string {
  const changed = calls(dir, tool).filter((c) => !readOnly.some((r) => c.args.includes(r)))
  return JSON.stringify(changed.map((c) => c.args))
}

deployTargetContract('command', async () => {
  const { dir, remove } = workspace()
  const bin = fakeCli(
    dir,
    'railway',
    "if (args[0] === 'fail') { console.error('no service'); process.exit(1) }",
  )
  const ctx = context(dir, { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: dir })
  const config = (deploy: string, rollback: string): TargetConfig => ({
    type: 'command',
    verify: 'railway whoami',
    deploy,
    rollback,
    setVariables: 'railway variables set {{ key }}={{ value }}',
    timeout: '30s',
    env: [],
  })
  return {
    target: await createTarget(
      'railway',
      config('railway up {{ version }}', 'railway rollback'),
      deps,
    ),
    broken: await createTarget('railway', config('railway fail', 'railway fail'), deps),
    ctx,
    changes: () => Promise.resolve(mutating(dir, 'railway', ['whoami'])),
    cleanup: () => Promise.resolve(remove()),
  } satisfies TargetHarness
})

deployTargetContract('command (canary: variables)', async () => {
  const { dir, remove } = workspace()
  const bin = fakeCli(
    dir,
    'railway',
    "if (args[0] === 'fail') { console.error('no service'); process.exit(1) }",
  )
  const ctx = context(dir, { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: dir })
  const config = (setVariables: string): TargetConfig => ({
    type: 'command',
    verify: 'railway whoami',
    canary: 'variables',
    setVariables,
    timeout: '30s',
    env: [],
  })
  return {
    target: await createTarget(
      'railway',
      config('railway variables set {{ key }}={{ value }}'),
      deps,
    ),
    broken: await createTarget('railway', config('railway fail {{ key }}'), deps),
    ctx,
    changes: () => Promise.resolve(mutating(dir, 'railway', ['whoami'])),
    cleanup: () => Promise.resolve(remove()),
  } satisfies TargetHarness
})

deployTargetContract('kubernetes', async () => {
  const { dir, remove } = workspace()
  const bin = fakeCli(dir, 'kubectl')
  fakeCli(dir, 'kubectl-broken', "console.error('connection refused'); process.exit(1)")
  const ctx = context(dir, { PATH: process.env.PATH, HOME: dir })
  const config = (kubectl: string): TargetConfig => ({
    type: 'kubernetes',
    url: 'https://agent.example.com',
    deployment: 'agent',
    image: 'registry.example/agent:{{ release.code.commit }}',
    kubectl: join(bin, kubectl),
    timeout: '1m',
  })
  return {
    target: await createTarget('k8s', config('kubectl'), deps),
    broken: await createTarget('k8s', config('kubectl-broken'), deps),
    ctx,
    changes: () => Promise.resolve(mutating(dir, 'kubectl', ['version', 'get'])),
    cleanup: () => Promise.resolve(remove()),
  } satisfies TargetHarness
})

const SERVICE = `const http = require('node:http')
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ release: process.env.RELEASE_ID }))
}).listen(Number(process.env.PORT), '127.0.0.1')
`

deployTargetContract('local', async () => {
  const { dir, ctx, remove } = workspace()
  writeFileSync(join(dir, 'service.cjs'), SERVICE)
  const brokenDir = join(dir, 'broken')
  const brokenCtx = { ...ctx, stateDir: brokenDir }
  const config = (command: string): TargetConfig => ({
    type: 'local',
    command,
    port: 0,
    host: '127.0.0.1',
    healthPath: '/health',
    healthTimeout: '10s',
    healthCheck: { interval: '2s', timeout: '1s', unhealthyThreshold: 3, healthyThreshold: 2 },
    drain: '0ms',
    env: {},
  })
  const target = await createTarget('local', config(`"${process.execPath}" service.cjs`), deps)
  const broken = await createTarget('local', config('exit 7'), deps)
  return {
    target,
    broken,
    ctx,
    // The broken twin keeps its own state directory, so it never touches the working one.
    brokenCtx,
    changes: () => {
      let state = 'no state'
      try {
        state = readFileSync(join(ctx.stateDir, 'state.json'), 'utf8')
      } catch {
        // Nothing ever started.
      }
      return Promise.resolve(state)
    },
    cleanup: async () => {
      await stopLocalTarget(ctx.stateDir)
      await stopLocalTarget(brokenDir)
      remove()
    },
  } satisfies TargetHarness
})

deployTargetContract('flags', async () => {
  const { dir, ctx, remove } = workspace()
  writeFileSync(join(dir, 'flags.json'), '{ "flags": {} }\n')
  // The broken twin's flag file sits under a regular file: it can be neither read nor written.
  writeFileSync(join(dir, 'not-a-dir'), '')
  const config = (file: string): TargetConfig => ({
    type: 'flags',
    file,
    flag: 'release',
    url: 'http://127.0.0.1:9/',
    onCodeChange: 'refuse',
  })
  const one = (id: string, name: string) => ({
    ...contractRelease(id, name),
    code: { commit: 'c0ffee0000000000', branch: 'main', dirty: false },
  })
  return {
    target: await createTarget('prompts', config('flags.json'), deps),
    broken: await createTarget('prompts', config('not-a-dir/flags.json'), deps),
    ctx,
    releases: [one('rel-contract0a', 'v1'), one('rel-contract0b', 'v2')],
    changes: () => Promise.resolve(readFileSync(join(dir, 'flags.json'), 'utf8')),
    cleanup: () => Promise.resolve(remove()),
  } satisfies TargetHarness
})
