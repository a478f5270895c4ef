import { defineCommand } from '../define.js'
import { EXIT, project, untilStopped } from '../io.js'
import { configOption, nonNegativeInt } from '../options.js'

/** `shipgate view`: serves the web viewer over the store until Ctrl-C or SIGTERM (exit 130). */
export default defineCommand({
  meta: {
    name: 'view',
    description:
      'a local web app over the store: runs with filters, a run’s cases and samples, comparisons, trends, releases and deployments',
  },
  options: (command) =>
    command
      .addOption(configOption('for the store location'))
      .option('--port <n>', 'port to listen on (0 picks one)', nonNegativeInt, 8790)
      .option('--host <host>', 'address to bind (default 127.0.0.1; others need a token)')
      .option(
        '--token-env <name>',
        'environment variable holding the token to require (default SHIPGATE_VIEW_TOKEN; required off loopback)',
      )
      .option('--new-token', 'generate a token and print it in the URL to open'),
  async run({ flags, io }) {
    const { startViewer } = await import('../../workflows/view/index.js')
    const viewer = await startViewer({
      ...project(io, flags.config),
      port: flags.port,
      host: flags.host,
      tokenEnv: flags.tokenEnv,
      newToken: flags.newToken,
    })
    // The URL to open goes to stdout (scripts read it); it carries the token when there is one.
    io.stdout(`${viewer.openUrl}\n`)
    const auth = viewer.authenticated ? 'token required' : 'no token (loopback only)'
    io.stderr(`shipgate view on ${viewer.url} (${auth}); Ctrl-C stops it\n`)
    await untilStopped(io)
    await viewer.close()
    return EXIT.interrupted
  },
})
