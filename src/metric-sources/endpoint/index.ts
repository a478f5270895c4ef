/**
 * The `endpoint` metric source: reads the service's own `/metrics`. In Prometheus text (the
 * default) it keeps the previous scrape per instance and selector and reports the difference:
 * the first windowed read of a selector primes and reports zero requests, a read whose window
 * starts at or before 0 reports the totals since the service started. `read` and `readWindow`
 * (the canary analysis's counts) keep their previous scrapes apart. In JSON it reports the
 * service's own rolling window, whatever the window asked. With several instances (a local target
 * running two releases) it reads each one and adds them up.
 */
import type { TargetInstance } from '../../contracts/deploy.js'
import type { MetricSelector, MetricSource, MetricWindow } from '../../contracts/metrics.js'
import { getText } from '../http.js'
import { RELEASE_LABEL } from '../names.js'
import { trafficOf } from '../traffic.js'
import { parseExposition } from './exposition.js'
import { readJsonMetrics } from './json.js'
import { addTotals, difference, metricsOf, NO_TOTALS, totalsOf, type Totals } from './totals.js'

/** Where one read goes: a metrics URL, and the labels that select the release there. */
export interface ScrapeTarget {
  readonly url: string
  readonly match: Readonly<Record<string, string>>
}

/** Options of {@link createEndpointSource}. */
export interface EndpointSourceOptions {
  readonly format: 'prometheus' | 'json'
  /** The metrics URLs to read for `selector`, resolved on every read. */
  readonly targets: (selector: MetricSelector) => Promise<readonly ScrapeTarget[]>
  readonly clock?: { now(): number }
}

/** The `endpoint` source. */
export function createEndpointSource(options: EndpointSourceOptions): MetricSource {
  if (options.format === 'json') {
    return {
      type: 'endpoint',
      read: async (selector, _window, signal) =>
        readJsonMetrics(await options.targets(selector), signal),
    }
  }
  const clock = options.clock ?? { now: () => Date.now() }
  // read() and readWindow() keep their own previous scrapes: one must not consume the other's.
  const metrics = deltaReader(options, clock)
  const traffic = deltaReader(options, clock)
  return {
    type: 'endpoint',
    async read(selector, window, signal) {
      const { totals, elapsedMs } = await metrics(selector, window, signal)
      return metricsOf(totals, elapsedMs)
    },
    async readWindow(selector, window, signal) {
      return trafficOf((await traffic(selector, window, signal)).totals)
    },
  }
}

/** What happened since the previous read of a selector, and over how long. */
interface Delta {
  readonly totals: Totals
  /** `null` for totals since the start, or on the first (priming) read. */
  readonly elapsedMs: number | null
}

/**
 * Scrapes every target of a selector and reports the difference from this reader's previous
 * scrape of it: the first read of a selector primes (zero), a window starting at or before 0
 * gives the totals since the service started.
 */
function deltaReader(
  options: EndpointSourceOptions,
  clock: { now(): number },
): (selector: MetricSelector, window: MetricWindow, signal: AbortSignal) => Promise<Delta> {
  const previous = new Map<string, { totals: Totals; atMs: number }>()
  const primed = new Set<string>()
  return async (selector, window, signal) => {
    const targets = await options.targets(selector)
    const scraped = await Promise.all(targets.map((t) => scrape(t, signal)))
    const atMs = clock.now()
    if (window.startMs <= 0) return { totals: addTotals(scraped), elapsedMs: null }
    const selectorKey = JSON.stringify(selector.release ?? null)
    const first = !primed.has(selectorKey)
    primed.add(selectorKey)
    let elapsedMs: number | null = null
    const deltas = scraped.map((totals, i) => {
      const key = `${selectorKey} ${targets[i]?.url ?? ''}`
      const before = previous.get(key)
      previous.set(key, { totals, atMs })
      if (first) return NO_TOTALS
      if (before !== undefined) elapsedMs = Math.max(elapsedMs ?? 0, atMs - before.atMs)
      // An instance started since the last read is counted from its start.
      return difference(totals, before?.totals ?? NO_TOTALS)
    })
    return { totals: addTotals(deltas), elapsedMs }
  }
}

async function scrape(target: ScrapeTarget, signal: AbortSignal): Promise<Totals> {
  const what = `metrics endpoint ${target.url}`
  const answer = await getText(target.url, 'text/plain', signal, what)
  if (answer.status !== 200) {
    throw new Error(`${what}: ${answer.status} ${answer.statusText}, expected 200`)
  }
  return totalsOf(parseExposition(answer.text), target.match)
}

/**
 * The scrape targets of a service: each instance running `selector.release` (chosen by the
 * instance's release, so no label filter), or the one metrics URL filtered by the `release`
 * label.
 */
export function scrapeTargets(
  metricsUrl: string | null,
  instances: (() => Promise<readonly TargetInstance[]>) | undefined,
): (selector: MetricSelector) => Promise<readonly ScrapeTarget[]> {
  return async (selector) => {
    if (instances !== undefined) {
      const running = await instances()
      return running
        .filter((i) => selector.release === undefined || i.releaseId === selector.release)
        .map((i) => ({ url: joinUrl(i.url, '/metrics'), match: {} }))
    }
    if (metricsUrl === null) return []
    const match = selector.release === undefined ? {} : { [RELEASE_LABEL]: selector.release }
    return [{ url: metricsUrl, match }]
  }
}

/** `http://host:1/base` + `/metrics` → `http://host:1/base/metrics`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`
}
