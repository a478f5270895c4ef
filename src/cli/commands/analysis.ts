import { defineCommand, defineGroup } from '../define.js'
import { EXIT, project, untilStopped } from '../io.js'
import { collect, configOption, duration, nonNegativeInt, positiveInt } from '../options.js'

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
    await untilStopped(io)
    await analysis.close()
    return EXIT.interrupted
  },
})

/**
 * `shipgate analysis manifests`: the Argo Rollouts Rollout and AnalysisTemplate of a canary
 * judged by `analysis serve`, as YAML on stdout.
 */
const manifests = defineCommand({
  meta: {
    name: 'manifests',
    description:
      'print an Argo Rollouts Rollout (canary steps) and the AnalysisTemplate that asks analysis serve',
  },
  options: (command) =>
    command
      .requiredOption('--service <name>', "the Rollout and container name, and the pods' app label")
      .requiredOption('--image <image>', "the canary's container image")
      .requiredOption('--canary-release <id>', "the canary's release id (RELEASE_ID in its pods)")
      .requiredOption('--stable-release <id>', "the stable release's id")
      .requiredOption(
        '--analysis-url <url>',
        'where the Argo controller reaches analysis serve, e.g. http://shipgate-analysis:8790',
      )
      .option(
        '--step <step>',
        'a canary step, in order (repeatable): setWeight=N, pause, pause=30s, analysis; default setWeight=5 analysis setWeight=100',
        collect,
      )
      .option('--interval <d>', 'between measurements, and the analysis interval', duration)
      .option('--count <n>', 'measurements per analysis step (default 10)', positiveInt)
      .option('--replicas <n>', 'pods (default 5)', positiveInt)
      .option('--port <n>', "the container's port (default 8080)", positiveInt)
      .option('--namespace <ns>', 'metadata.namespace of both')
      .option(
        '--token-secret <name:key>',
        "the Secret and key holding analysis serve's bearer token (sent as Authorization)",
      ),
  async run({ flags, io }) {
    const { argoManifests, parseStep } = await import('../../workflows/analysis/index.js')
    const [name, key] = flags.tokenSecret?.split(':', 2) ?? []
    const { yaml } = argoManifests({
      service: flags.service,
      image: flags.image,
      canaryRelease: flags.canaryRelease,
      stableRelease: flags.stableRelease,
      analysisUrl: flags.analysisUrl,
      steps: flags.step?.map(parseStep),
      intervalMs: flags.interval,
      count: flags.count,
      replicas: flags.replicas,
      port: flags.port,
      namespace: flags.namespace,
      tokenSecret: name === undefined ? undefined : { name, key: key ?? 'token' },
    })
    io.stdout(yaml)
    return EXIT.ok
  },
})

/** `shipgate analysis serve|manifests`. */
export default defineGroup(
  {
    name: 'analysis',
    description:
      'the canary analysis for Argo Rollouts: its endpoint and the manifests that call it',
  },
  [serve, manifests],
)
