import { afterEach } from 'vitest'
import type { ProviderContext } from '../../src/contracts/provider.js'
import { silentLogger } from '../../src/logger.js'
import { anthropicProvider } from '../../src/providers/anthropic/index.js'
import { anthropicOptions } from '../../src/providers/anthropic/schema.js'
import { openaiProvider } from '../../src/providers/openai/index.js'
import { openaiOptions } from '../../src/providers/openai/schema.js'
import { systemClock } from '../../src/utils/clock.js'
import { startFakeAnthropic } from '../fakes/anthropic.js'
import type { FakeAnthropicOptions } from '../fakes/anthropic.js'
import { startFakeOpenAI } from '../fakes/openai.js'
import type { FakeOpenAIOptions } from '../fakes/openai.js'
import type { FakeServer } from '../fakes/server.js'

/* The SDK providers against the loopback fakes: each started fake is closed after its test. */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** Both API keys set. */
export const KEYS = { ANTHROPIC_API_KEY: 'sk-test', OPENAI_API_KEY: 'sk-test' }

/** A provider context on the real clock and the global fetch (loopback only). */
export function providerContext(
  env: Record<string, string> = KEYS,
  extra: Partial<ProviderContext> = {},
): ProviderContext {
  return {
    name: 'p',
    baseDir: '.',
    env,
    clock: systemClock,
    logger: silentLogger,
    fetch: globalThis.fetch,
    offline: false,
    ...extra,
  }
}

/** A fresh signal that never aborts. */
export const signal = (): AbortSignal => new AbortController().signal

/** An `anthropic` provider (haiku 3.5) talking to a new fake Anthropic. */
export async function anthropicAgainst(
  fakeOptions: FakeAnthropicOptions,
  extra: Record<string, unknown> = {},
  context: ProviderContext = providerContext(),
) {
  const fake = await startFakeAnthropic(fakeOptions)
  servers.push(fake)
  const options = anthropicOptions.parse({
    type: 'anthropic',
    model: 'claude-3-5-haiku-20241022',
    baseUrl: fake.url,
    ...extra,
  })
  return { fake, provider: anthropicProvider.create(options, context) }
}

/** An `openai` provider (gpt-4o-mini) talking to a new fake OpenAI. */
export async function openaiAgainst(
  fakeOptions: FakeOpenAIOptions,
  extra: Record<string, unknown> = {},
  context: ProviderContext = providerContext(),
) {
  const fake = await startFakeOpenAI(fakeOptions)
  servers.push(fake)
  const options = openaiOptions.parse({
    type: 'openai',
    model: 'gpt-4o-mini',
    baseUrl: `${fake.url}/v1`,
    ...extra,
  })
  return { fake, provider: openaiProvider.create(options, context) }
}
