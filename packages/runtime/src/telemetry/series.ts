import { Buffer } from 'node:buffer'

/**
 * The runtime's own counters and histograms: prom-client-compatible metric objects (they sit
 * in a prom-client `Registry`, which renders them like its own) that also render themselves
 * fast. A series renders its label set once, when it is created, and keeps the UTF-8 bytes of
 * its lines until its next update, so a scrape re-encodes only the series that changed since
 * the last one. prom-client formats every label of every line on every scrape, which took
 * ~100–200 ms for the 200 model ids of docs/benchmarks.md (10,000 lines).
 */

/** Receives the exposition as UTF-8 pieces. */
export type Push = (bytes: Uint8Array) => void

/** UTF-8 bytes of a string (Buffer's encoder is the faster one on Node 20). */
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8')

/** A label value escaped for the text exposition format. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

/** `a="1",b="2"` for label names and values. */
export function renderLabels(names: readonly string[], values: readonly string[]): string {
  return names.map((name, i) => `${name}="${escapeLabel(values[i] ?? '')}"`).join(',')
}

interface Series {
  /** The rendered label set, constant labels included. */
  readonly text: string
  /** The same labels as an object, for prom-client's `get()`. */
  readonly labels: Readonly<Record<string, string>>
  /** The series' lines as last rendered; dropped on each update. */
  bytes?: Uint8Array | undefined
}

/** What prom-client reads of a metric object (`get()` values, as its own metrics give them). */
interface MetricValue {
  value: number
  labels: Record<string, string>
  metricName?: string
}

/** What prom-client reads of a metric object (`get()`): its name, kind and values. */
interface MetricSnapshot {
  name: string
  help: string
  type: string
  aggregator: string
  values: MetricValue[]
}

/**
 * Constant labels that replace a family's own for some series: the release and variant of a
 * request a canary served, in a process whose identity is the stable release's. `key` tells
 * the sets apart (series with the family's own constants have none).
 */
export interface ConstantOverride {
  readonly key: string
  readonly labels: Readonly<Record<string, string>>
}

/** A family of series under one name: one series per label values (and constant override). */
abstract class Family<S extends Series> {
  protected readonly series = new Map<string, S>()
  /** prom-client reads these when it renders or aggregates the registry. */
  readonly aggregator = 'sum'

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    /** Constant labels of every series, e.g. the service identity. */
    private readonly constant: Readonly<Record<string, string>>,
  ) {}

  protected at(
    values: readonly string[],
    make: (s: Series) => S,
    override: ConstantOverride | undefined,
  ): S {
    const own = values.length === 1 ? values[0]! : values.join('\u0000')
    const key = override === undefined ? own : `${own}\u0001${override.key}`
    let s = this.series.get(key)
    if (s === undefined) {
      // An empty value is an absent label, as Prometheus reads it: it is left out.
      const labels: Record<string, string> = {}
      this.labelNames.forEach((name, i) => {
        if (values[i] !== undefined && values[i] !== '') labels[name] = values[i]
      })
      Object.assign(labels, override?.labels ?? this.constant)
      const names = Object.keys(labels)
      const text = renderLabels(
        names,
        names.map((n) => labels[n]!),
      )
      this.series.set(key, (s = make({ text, labels })))
    }
    return s
  }

  /** Forgets every series (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    this.series.clear()
  }

  private headBytes: Uint8Array | undefined

  /** Pushes the family's Prometheus text (no final newline); each line starts with one. */
  render(push: Push): void {
    this.headBytes ??= utf8(
      `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}`,
    )
    push(this.headBytes)
    for (const s of this.series.values()) push((s.bytes ??= utf8(this.lines(s))))
  }

  abstract readonly type: 'counter' | 'histogram'

  /** The text of one series' lines, each after a newline. */
  protected abstract lines(s: S): string
}

interface CounterSeries extends Series {
  value: number
}

/** A counter; `inc(values, by, override?)` with the label values in `labelNames` order. */
export class CounterFamily extends Family<CounterSeries> {
  readonly type = 'counter' as const

  inc(values: readonly string[], by = 1, override?: ConstantOverride): void {
    const s = this.at(values, (base) => ({ ...base, value: 0 }), override)
    s.value += by
    s.bytes = undefined
  }

  protected lines(s: CounterSeries): string {
    return `\n${this.name}{${s.text}} ${s.value}`
  }

  get(): Promise<MetricSnapshot> {
    const values = [...this.series.values()].map((s) => ({
      value: s.value,
      labels: { ...s.labels },
    }))
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: 'counter',
      aggregator: this.aggregator,
      values,
    })
  }
}

interface HistogramSeries extends Series {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array
  sum: number
  count: number
}

/** A histogram with fixed upper bounds; `observe(values, v, override?)`. */
export class HistogramFamily extends Family<HistogramSeries> {
  readonly type = 'histogram' as const
  private readonly les: readonly string[]

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    constant: Readonly<Record<string, string>>,
    private readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames, constant)
    this.les = [...buckets.map(String), '+Inf']
  }

  observe(values: readonly string[], v: number, override?: ConstantOverride): void {
    const s = this.at(
      values,
      (base) => ({ ...base, counts: new Float64Array(this.les.length), sum: 0, count: 0 }),
      override,
    )
    let i = 0
    while (i < this.buckets.length && v > this.buckets[i]!) i++
    s.counts[i]!++
    s.sum += v
    s.count++
    s.bytes = undefined
  }

  protected lines(s: HistogramSeries): string {
    let text = ''
    let cumulative = 0
    for (let i = 0; i < this.les.length; i++) {
      cumulative += s.counts[i]!
      text += `\n${this.name}_bucket{le="${this.les[i]}",${s.text}} ${cumulative}`
    }
    return `${text}\n${this.name}_sum{${s.text}} ${s.sum}\n${this.name}_count{${s.text}} ${s.count}`
  }

  get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = []
    for (const s of this.series.values()) {
      let cumulative = 0
      this.les.forEach((le, i) => {
        cumulative += s.counts[i]!
        values.push({
          value: cumulative,
          labels: { le, ...s.labels },
          metricName: `${this.name}_bucket`,
        })
      })
      values.push({ value: s.sum, labels: { ...s.labels }, metricName: `${this.name}_sum` })
      values.push({ value: s.count, labels: { ...s.labels }, metricName: `${this.name}_count` })
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: this.aggregator,
      values,
    })
  }
}
