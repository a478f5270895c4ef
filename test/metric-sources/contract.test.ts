/**
 * The metric-source contract, run against every builtin: the endpoint source on the agent
 * service's Prometheus text and on its JSON, and the prometheus source through a real
 * Prometheus 2.42 scraping the same service (skipped with the reason when Prometheus is not
 * installed, failed under SHIPGATE_REQUIRE_SERVICES=1).
 */
import type { builtinMetricSources } from '../../src/metric-sources/index.js'
import {
  metricsOf,
  metricSourceContract,
  type MetricSourceHarness,
} from '../contract/metric-source.contract.js'
import { startPrometheus } from '../helpers/prometheus.js'
import { requireService, waitFor } from '../helpers/services.js'

function endpoint(format: 'prometheus' | 'json'): MetricSourceHarness {
  return {
    type: 'endpoint',
    start: (agent) =>
      Promise.resolve({
        config: { type: 'endpoint', format, url: metricsOf(agent) },
        stop: () => Promise.resolve(),
      }),
    configAt: (base) => ({ type: 'endpoint', format, url: `${base}/metrics` }),
  }
}

const prometheus: MetricSourceHarness = {
  type: 'prometheus',
  describe: requireService('Prometheus', 'prometheus'),
  async start(agent, requests) {
    const server = await startPrometheus([agent.hostPort])
    try {
      await waitFor(
        async () => (await server.query('sum(http_server_requests_total)'))[0]?.value === requests,
        20_000,
        { what: 'Prometheus to scrape the traffic', intervalMs: 200 },
      )
    } catch (error) {
      await server.stop()
      throw error
    }
    return { config: { type: 'prometheus', url: server.url, selector: '' }, stop: server.stop }
  },
  configAt: (base) => ({ type: 'prometheus', url: base, selector: '' }),
}

/** Every builtin, with each of its modes; a builtin missing here fails the typecheck. */
const HARNESSES: Record<
  keyof typeof builtinMetricSources,
  Readonly<Record<string, MetricSourceHarness>>
> = {
  endpoint: {
    'endpoint (Prometheus text)': endpoint('prometheus'),
    'endpoint (JSON)': endpoint('json'),
  },
  prometheus: { prometheus },
}

for (const harnesses of Object.values(HARNESSES)) {
  for (const [name, harness] of Object.entries(harnesses)) metricSourceContract(name, harness)
}
