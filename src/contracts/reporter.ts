import type { ResultsDocument, SampleResult, SuiteInfo } from './results.js'

/** Announced once before the first sample. */
export interface RunStartEvent {
  readonly runId: string
  readonly suites: readonly SuiteInfo[]
  /** Samples planned in all: cases × repeats. */
  readonly totalSamples: number
}

/**
 * Receives a run's events. Reporters show and write; they never decide the exit code. A reporter
 * that throws is logged and skipped by the multiplexer, never fatal to the run.
 */
export interface Reporter {
  readonly name: string
  onRunStart?(event: RunStartEvent): void | Promise<void>
  onSample?(sample: SampleResult): void
  onRunEnd?(results: ResultsDocument): void | Promise<void>
}
