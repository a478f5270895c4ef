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
  /**
   * A report the user asked for by name (`-o results.json`): when it cannot be written the
   * command fails as an environment error (exit 3) once the run is saved and the other
   * reporters have run. Other reporters' failures are only logged.
   */
  readonly required?: boolean
  onRunStart?(event: RunStartEvent): void | Promise<void>
  onSample?(sample: SampleResult): void
  onRunEnd?(results: ResultsDocument): void | Promise<void>
}

/**
 * Where a run reporter writes: a file (written atomically when the run ends), or a stream
 * (stdout for results, stderr for progress) with what is known of the terminal behind it.
 */
export type ReporterOutput =
  | { readonly file: string }
  | {
      readonly write: (text: string) => void
      /** A terminal gets redrawn progress; a log gets a plain line every few seconds. */
      readonly tty?: boolean
      readonly columns?: number
    }

/** Makes a run reporter for an output; chosen by name from the builtin map. */
export type ReporterFactory = (output: ReporterOutput) => Reporter
