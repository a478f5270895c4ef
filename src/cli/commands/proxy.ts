import { Option } from '@commander-js/extra-typings'
import { CASSETTE_MODES } from '../../contracts/cassette.js'
import { defineCommand } from '../define.js'
import { EXIT, untilStopped } from '../io.js'
import { nonNegativeInt } from '../options.js'

/**
 * `shipgate proxy`: serves the Anthropic and OpenAI APIs from cassettes until stopped (Ctrl-C or
 * SIGTERM), then exits 130.
 */
export default defineCommand({
  meta: {
    name: 'proxy',
    description:
      'serve the Anthropic and OpenAI APIs from cassettes, for applications in any language',
  },
  options: (command) =>
    command
      .option('--port <n>', 'port to listen on (0 picks one)', nonNegativeInt, 8787)
      .option('--host <host>', 'address to bind (default 127.0.0.1)')
      .addOption(
        new Option('--mode <mode>', 'what is answered from cassettes and what is recorded')
          .choices(CASSETTE_MODES)
          .default('replay' as const),
      )
      .option(
        '--cassettes <dir>',
        "cassette directory (default: the config's cassettes.dir, or cassettes/)",
      )
      .addOption(
        new Option('--timing <timing>', 'replayed streams: at once, or at the recorded pace')
          .choices(['instant', 'recorded'] as const)
          .default('instant' as const),
      )
      .option(
        '--anthropic-upstream <url>',
        'where Anthropic calls go out',
        'https://api.anthropic.com',
      )
      .option('--openai-upstream <url>', 'where OpenAI calls go out', 'https://api.openai.com'),
  async run({ flags, io }) {
    const { serveCassettes } = await import('../../workflows/proxy/index.js')
    const proxy = await serveCassettes({
      cwd: io.cwd,
      env: io.env,
      mode: flags.mode,
      cassettes: flags.cassettes,
      port: flags.port,
      host: flags.host,
      timing: flags.timing,
      upstreams: { anthropic: flags.anthropicUpstream, openai: flags.openaiUpstream },
      logger: io.logger,
    })
    io.stdout(`${proxy.url}\n`)
    io.stderr(
      `shipgate proxy (${proxy.mode}, cassettes ${proxy.dir}) on ${proxy.url}\n` +
        `  ANTHROPIC_BASE_URL=${proxy.url}  OPENAI_BASE_URL=${proxy.url}/v1\n`,
    )
    await untilStopped(io)
    await proxy.close()
    return EXIT.interrupted
  },
})
