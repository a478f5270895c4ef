/**
 * A real Prometheus (Debian's 2.42) for tests: on a free loopback port, storage in a temp dir,
 * scraping the given targets every second. Guard the suite with
 * `requireService('Prometheus', 'prometheus')` and stop it in `afterAll`.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startService } from './services.js'

/** A running Prometheus. */
export interface TestPrometheus {
  readonly url: string
  /** Runs an instant PromQL query; the vector's samples as `{ labels, value }`. */
  query(promql: string): Promise<{ labels: Record<string, string>; value: number }[]>
  stop(): Promise<void>
}

/** Starts Prometheus scraping `targets` (`host:port`) every second. */
export async function startPrometheus(targets: readonly string[]): Promise<TestPrometheus> {
  const service = await startService({
    name: 'Prometheus',
    command: 'prometheus',
    args: (port, dir) => {
      const config = join(dir, 'prometheus.yml')
      writeFileSync(
        config,
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'scrape_configs:',
          '  - job_name: service',
          `    static_configs: [{ targets: [${targets.map((t) => `"${t}"`).join(', ')}] }]`,
          '',
        ].join('\n'),
      )
      return [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ]
    },
    ready: async (port) => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok,
    timeoutMs: 20_000,
  })
  const url = `http://127.0.0.1:${service.port}`
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)
      const body = (await response.json()) as {
        status: string
        error?: string
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] }
      }
      if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error}`)
      return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }))
    },
    stop: service.stop,
  }
}
