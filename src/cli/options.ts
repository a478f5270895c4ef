/**
 * Options and argument parsers several commands share, declared once. Each returns a fresh
 * `Option` (commander options belong to one command); the flag's type travels with it.
 */
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings'
import { parseDuration } from '../utils/duration.js'

/** `-c, --config <file>`; `purpose` says what the command reads from it. */
export function configOption(purpose = 'default: shipgate.yaml found upward') {
  return new Option('-c, --config <file>', `config file (${purpose})`)
}

/** `--json`: the command's result as JSON on stdout instead of a table. */
export function jsonOption(what: string) {
  return new Option('--json', `print ${what} as JSON`)
}

/** `-o, --output <file>` (repeatable): files the result is written to, by extension. */
export function outputOption(formats: string) {
  return new Option('-o, --output <file>', `write ${formats} (repeatable)`).argParser(collect)
}

/** `--limit <n>` of a listing. */
export function limitOption(fallback = 20) {
  return new Option('--limit <n>', 'how many').argParser(positiveInt).default(fallback)
}

/** A repeatable string option's parser: every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/** A whole number ≥ 0. */
export function nonNegativeInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number')
  return n
}

/** An http(s) URL, for links put into reports. */
export function httpUrl(value: string): string {
  const url = URL.parse(value)
  if (url === null || !/^https?:$/.test(url.protocol))
    throw new InvalidArgumentError(`"${value}" is not an http(s) URL`)
  return url.href
}

/** A whole number ≥ 1. */
export function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer')
  return n
}

/** A duration flag's parser: `500ms`, `30s`, `5m`, `1h` → milliseconds (> 0). */
export function duration(value: string): number {
  const ms = parseDuration(value)
  if (ms === undefined || ms <= 0) {
    throw new InvalidArgumentError(
      `"${value}" is not a duration: write it as 500ms, 30s, 5m, 1h or 30d`,
    )
  }
  return ms
}

/** A date (`2026-12-01`, read as UTC midnight) or an ISO time, for `--since`. */
export function date(value: string): Date {
  const parsed = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(parsed.getTime())) {
    throw new InvalidArgumentError(
      `"${value}" is not a date: write it as 2026-12-01 or an ISO time`,
    )
  }
  return parsed
}

/**
 * The options `eval` and `ci` share: what to run, how, and where the results go. Declared on
 * the blank command (a generic version makes the type checker take minutes).
 */
export function runOptions(command: Command) {
  return command
    .addOption(configOption())
    .option('--suite <name>', 'run only this suite (repeatable)', collect)
    .option(
      '--since <ref>',
      'run only the suites that changes since this git ref affect (see select)',
    )
    .option(
      '--reuse-baseline',
      "copy the baseline's results of cases whose prompt, provider config, vars and assertions are unchanged",
    )
    .option(
      '--baseline <ref>',
      'the baseline (of --reuse-baseline, and of the gate in ci): a branch, a run id or a results file (default: gate.baseline, main)',
    )
    .option('--tag <tag>', 'run only cases with this tag (repeatable)', collect)
    .option(
      '--variant <name>',
      'run only this variant of the suites with variants (repeatable; suites without variants are left out)',
      collect,
    )
    .option('--repeat <n>', 'samples per case, overriding the config', positiveInt)
    .option('--concurrency <n>', 'provider calls in flight at once', positiveInt)
    .option(
      '--batch',
      'send the calls of providers with a batch API (openai, anthropic; judges too) through it: half the price, answers within 24 h; other providers run live',
    )
    .option(
      '--batch-poll <ms>',
      'with --batch: first wait between polls of a batch, doubling up to 60 s (default 5000)',
      positiveInt,
    )
    .addOption(outputOption('results: .json results, .xml JUnit, .md summary, .html report'))
    .option(
      '--provider <NAME.KEY=VALUE>',
      'override a provider for this run, e.g. haiku.model=claude-3-haiku-20240307 or haiku.temperature=0 (repeatable)',
      collect,
    )
    .addOption(
      new Option(
        '--replay',
        'answer only from cassettes; a missing recording fails (exit 3); no key needed',
      ).conflicts(['recordMissing', 'record', 'passthrough']),
    )
    .addOption(
      new Option(
        '--record-missing',
        'answer from cassettes, record what is missing (the response cache)',
      ).conflicts(['record', 'passthrough']),
    )
    .addOption(
      new Option('--record', 'call the APIs and re-record every cassette').conflicts('passthrough'),
    )
    .option('--passthrough', 'ignore cassettes')
    .option(
      '--cassettes <dir>',
      'cassette directory (default: cassettes.dir of the config, or cassettes/)',
    )
    .option(
      '--shard <i/n>',
      'run only shard i of n: the cases whose hashed id falls there (merge the shards with `shipgate merge`)',
    )
    .option('--no-progress', 'no progress on stderr')
}
