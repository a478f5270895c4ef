import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { Notifier } from '../../src/contracts/notifier.js'
import { createNotifiers } from '../../src/notifiers/index.js'
import { silentLogger } from '../../src/logger.js'
import { startWebhookCatcher, type WebhookCatcher } from '../fakes/webhook.js'
import { tempProject } from '../helpers/project.js'

/*
 * The verification recipes of docs/alerts.md, copied out of the page and run against a real
 * signed delivery: they accept it, and refuse another secret and a changed body.
 */

const DOC = new URL('../../docs/alerts.md', import.meta.url)
const SECRET = 'whsec_recipe_0123456789abcdef'

const catchers: WebhookCatcher[] = []
afterEach(async () => {
  await Promise.all(catchers.splice(0).map((c) => c.close()))
})

function block(language: string): string {
  const text = readFileSync(DOC, 'utf8')
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text)
  if (match?.[1] === undefined) throw new Error(`no ${language} block in docs/alerts.md`)
  return match[1]
}

async function delivery() {
  const server = await startWebhookCatcher()
  catchers.push(server)
  const [notifier] = createNotifiers(
    [{ type: 'webhook', url: server.url, secretEnv: 'S', retries: 0, timeout: '2s' }],
    { env: { S: SECRET }, logger: silentLogger },
  )
  const event = {
    type: 'gate.failed',
    severity: 'warning',
    summary: 'gate failed: “quoted” <b> & ünïcode',
    at: '2026-11-30T12:00:00.000Z',
  } as const
  await (notifier as Notifier).notify(event, new AbortController().signal)
  const request = server.requests[0]
  if (request === undefined) throw new Error('nothing delivered')
  return { raw: request.raw, headers: request.headers }
}

describe('the verification recipes in docs/alerts.md', () => {
  it('the Node.js recipe accepts a delivery and refuses another secret or body', async () => {
    const dir = tempProject({ 'verify.mjs': block('js') })
    const { verifyShipgate } = (await import(pathToFileURL(join(dir, 'verify.mjs')).href)) as {
      verifyShipgate: (s: string, b: string, h: Record<string, string>) => boolean
    }
    const { raw, headers } = await delivery()
    expect(verifyShipgate(SECRET, raw, headers)).toBe(true)
    expect(verifyShipgate('whsec_wrong_0123456789abcdef', raw, headers)).toBe(false)
    expect(verifyShipgate(SECRET, raw.replace('failed', 'passed'), headers)).toBe(false)
    const old = {
      ...headers,
      'x-shipgate-timestamp': String(Number(headers['x-shipgate-timestamp']) - 600),
    }
    expect(verifyShipgate(SECRET, raw, old)).toBe(false)
  })

  it('the Python recipe does the same', async () => {
    const dir = tempProject({ 'verify.py': block('python') })
    const { raw, headers } = await delivery()
    const driver = `
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
from verify import verify_shipgate
case = json.load(sys.stdin)
print(json.dumps([
    verify_shipgate(case["secret"].encode(), body.encode(), case["headers"])
    for body in case["bodies"]
] + [verify_shipgate(b"whsec_wrong_0123456789abcdef", case["bodies"][0].encode(), case["headers"])]))
`
    writeFileSync(join(dir, 'driver.py'), driver)
    const out = execFileSync('python3', [join(dir, 'driver.py')], {
      input: JSON.stringify({ secret: SECRET, headers, bodies: [raw, `${raw} `] }),
      encoding: 'utf8',
    })
    expect(JSON.parse(out)).toEqual([true, false, false])
  })
})
