import { resolve } from 'node:path'
import { createDeck } from '../../cassettes/deck.js'
import { CassetteFiles } from '../../cassettes/files.js'
import { startProxy } from '../../cassettes/proxy.js'
import { CASSETTE_MODES, type CassetteMode } from '../../cassettes/types.js'
import { rawConfigString } from '../../config/raw.js'
import { usageError } from '../../errors.js'
import { EXIT, type CommandIO } from '../io.js'
import type { ProxyFlags } from '../program.js'

/**
 * `shipgate proxy`: serves the Anthropic and OpenAI APIs from cassettes until stopped (Ctrl-C or
 * SIGTERM). The cassette directory is `--cassettes`, else the config's `cassettes.dir` when a
 * shipgate.yaml is found, else `./cassettes`.
 */
export async function runProxy(flags: ProxyFlags, io: CommandIO): Promise<number> {
  const mode = flags.mode as CassetteMode
  if (!CASSETTE_MODES.includes(mode)) {
    throw usageError(`unknown mode "${flags.mode}"`, `use one of: ${CASSETTE_MODES.join(', ')}`)
  }
  if (flags.timing !== 'instant' && flags.timing !== 'recorded') {
    throw usageError(`unknown timing "${flags.timing}"`, 'use instant or recorded')
  }
  const dir = flags.cassettes === undefined ? defaultDir(io.cwd) : resolve(io.cwd, flags.cassettes)
  const secrets = [io.env.ANTHROPIC_API_KEY, io.env.OPENAI_API_KEY].filter(
    (v): v is string => v !== undefined && v !== '',
  )
  const files = new CassetteFiles(dir)
  const deck = createDeck({
    mode,
    files,
    secrets,
    // An application's test suite may run many times against one proxy.
    cycle: true,
  })
  const proxy = await startProxy({
    port: flags.port,
    ...(flags.host === undefined ? {} : { host: flags.host }),
    upstreams: { anthropic: flags.anthropicUpstream, openai: flags.openaiUpstream },
    deck,
    timing: flags.timing,
    logger: io.logger.child('proxy'),
  })
  io.stdout(`${proxy.url}\n`)
  io.stderr(
    `shipgate proxy (${mode}, cassettes ${dir}) on ${proxy.url}\n` +
      `  ANTHROPIC_BASE_URL=${proxy.url}  OPENAI_BASE_URL=${proxy.url}/v1\n`,
  )
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve()
    io.signal.addEventListener('abort', () => resolve(), { once: true })
  })
  await proxy.close()
  await files.flush()
  return EXIT.interrupted
}

function defaultDir(cwd: string): string {
  try {
    const { dir, value } = rawConfigString({ cwd }, ['cassettes', 'dir'])
    return resolve(dir, value ?? 'cassettes')
  } catch {
    // No config (an application in another language): cassettes next to where it runs.
    return resolve(cwd, 'cassettes')
  }
}
