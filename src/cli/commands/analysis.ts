import { defineCommand, defineGroup } from '../define.js'
import { EXIT, project } from '../io.js'
import { configOption, nonNegativeInt } from '../options.js'

/**
 * `shipgate analysis serve TARGET|URL`: the canary analysis endpoint for Argo Rollouts' `web`
 * metric, until stopped (Ctrl-C or SIGTERM; exit 130). Its URL goes to stdout.
 */
const serve = defineCommand({
  meta: {
    name: 'serve',
    description:
      'serve the canary analysis over HTTP (GET /analysis?canary=…&stable=…) for an Argo Rollouts web metric',
  },
  options: (command) =>
    command
      .argument('<target>', 'a URL (http://…) or a target under targets:, read by monitor.source')
      .addOption(configOption('for monitor.source and targets:'))
      .option('--port <n>', 'port to listen on (0 picks one)', nonNegativeInt, 8790)
      .option('--host <host>', 'address to bind (default 127.0.0.1; others need --token-env)')
      .option(
        '--token-env <name>',
        'environment variable holding the bearer token callers must send (required off loopback)',
      ),
  async run({ args: [spec], flags, io }) {
    const { serveAnalysis } = await import('../../workflows/analysis/index.js')
    const analysis = await serveAnalysis({
      ...project(io, flags.config),
      spec,
      port: flags.port,
      host: flags.host,
      tokenEnv: flags.tokenEnv,
    })
    io.stdout(`${analysis.url}\n`)
    io.stderr(
      `shipgate analysis (${analysis.source} metrics) on ${analysis.url}\n` +
        `  GET ${analysis.url}/analysis?canary=RELEASE&stable=RELEASE&interval=1m\n`,
    )
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve()
      io.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await analysis.close()
    return EXIT.interrupted
  },
})

/** `shipgate analysis serve`. */
export default defineGroup(
  { name: 'analysis', description: 'the canary analysis for Argo Rollouts: its endpoint' },
  [serve],
)
