import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Client, EventDetails, ProviderEvents } from '@openfeature/server-sdk'
import type { FlagFile } from '../../packages/runtime/src/flags/index.js'
import { writeFileAtomic } from '../../src/utils/files.js'

/** A fresh temp dir and a function removing it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-flags-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes a flag file as an editor or a deploy would: a temp file renamed over the old one. */
export function writeFlags(path: string, file: FlagFile | string): Promise<void> {
  return writeFileAtomic(path, typeof file === 'string' ? file : JSON.stringify(file, null, 2))
}

/** The variant each of `n` users (`user-0` …) gets, evaluated through the OpenFeature client. */
export async function assign(client: Client, key: string, n: number): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    out.push(await client.getStringValue(key, 'default', { targetingKey: `user-${i}` }))
  }
  return out
}

/** Share of `values` equal to `variant`. */
export function share(values: readonly string[], variant: string): number {
  return values.filter((v) => v === variant).length / values.length
}

/** The next `event` the client sees, or a rejection after `ms`. */
export function nextEvent(
  client: Client,
  event: ProviderEvents,
  ms = 5_000,
): Promise<EventDetails | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.removeHandler(event, handler)
      reject(new Error(`no ${event} event within ${ms} ms`))
    }, ms)
    const handler = (details?: EventDetails): void => {
      clearTimeout(timer)
      client.removeHandler(event, handler)
      resolve(details)
    }
    client.addHandler(event, handler)
  })
}
